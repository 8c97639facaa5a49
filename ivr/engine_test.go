package ivr

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func mustLoad(t *testing.T, src string) *Script {
	t.Helper()
	s, err := Load([]byte(src))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return s
}

type failingSession struct {
	fakeSession
	playErr error
	hungUp  bool
}

func (f *failingSession) Play(ctx context.Context, p Prompt) (PlayResult, error) {
	return PlayResult{}, f.playErr
}

func (f *failingSession) Hangup(ctx context.Context, reason string) error {
	f.hungUp = true
	return nil
}

func TestRunSessionErrorHangsUpAndReports(t *testing.T) {
	s := mustLoad(t, head+okNodes)
	clock := &fakeClock{t: time.Unix(0, 0)}
	sess := &failingSession{fakeSession: fakeSession{clock: clock}, playErr: errors.New("rtp: media timeout")}
	res, err := NewEngine(s, Options{Now: clock.Now}).Run(context.Background(), sess, Data{})
	if err == nil || !strings.Contains(err.Error(), "media timeout") || !strings.Contains(err.Error(), "at node q") {
		t.Fatalf("err = %v", err)
	}
	if res == nil || res.Status != StatusPartial || !sess.hungUp {
		t.Fatalf("res %+v hungUp %v", res, sess.hungUp)
	}
}

func TestRunCancelled(t *testing.T) {
	s := mustLoad(t, head+okNodes)
	clock := &fakeClock{t: time.Unix(0, 0)}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := NewEngine(s, Options{Now: clock.Now}).Run(ctx, &fakeSession{clock: clock}, Data{})
	if !errors.Is(err, context.Canceled) || res.Status != StatusPartial {
		t.Fatalf("err %v status %v", err, res.Status)
	}
}

func TestRunStepLimit(t *testing.T) {
	src := head + `  q:
    say: "again?"
    ask: {type: yes_no}
    next: {yes: bye, no: q, default: q}
  bye:
    say: bye
    hangup: true
`
	s := mustLoad(t, src)
	clock := &fakeClock{t: time.Unix(0, 0)}
	sess := &fakeSession{clock: clock, steps: rep(K("2"), 10)}
	res, err := NewEngine(s, Options{Now: clock.Now, MaxSteps: 5}).Run(context.Background(), sess, Data{})
	if err != nil || res.Status != StatusPartial || len(sess.steps) != 5 {
		t.Fatalf("err %v status %v left %d", err, res.Status, len(sess.steps))
	}
}

func TestNamesMaskedUnlessConfigured(t *testing.T) {
	src := strings.Replace(head, "start: q", "start: hi", 1) + `  hi:
    say: "{{.Resident.MaskedName}}/NAME"
    hangup: true
`
	for _, tt := range []struct {
		unmask bool
		name   string
		want   string
	}{
		{false, "张三华", "张*华/"},
		{false, "Alice Smith", "Alice S./"},
		{true, "张三华", "张*华/张三华"},
	} {
		text := strings.Replace(src, "NAME", "", 1)
		if tt.unmask {
			text = "unmask_names: true\n" + strings.Replace(src, "NAME", "{{.Resident.Name}}", 1)
		}
		s := mustLoad(t, text)
		clock := &fakeClock{t: time.Unix(0, 0)}
		res, err := NewEngine(s, Options{Now: clock.Now}).Run(context.Background(), &fakeSession{clock: clock}, Data{Resident: Resident{Name: tt.name}})
		if err != nil {
			t.Fatal(err)
		}
		var said string
		for _, e := range res.Transcript {
			if e.Kind == EventPrompt {
				said = e.Text
			}
		}
		if said != tt.want {
			t.Errorf("unmask=%v %s: said %q, want %q", tt.unmask, tt.name, said, tt.want)
		}
	}
}

func TestTransferFailureWithoutFallbackHangsUp(t *testing.T) {
	src := strings.Replace(head, "start: q", "start: tr", 1) + "  tr:\n    say: 请稍候\n    transfer: \"8001\"\n"
	s := mustLoad(t, src)
	clock := &fakeClock{t: time.Unix(0, 0)}
	sess := &fakeSession{clock: clock, transferErr: errTransferBusy}
	res, err := NewEngine(s, Options{Now: clock.Now}).Run(context.Background(), sess, Data{})
	if err != nil || res.Transferred || res.Status != StatusPartial || sess.log[len(sess.log)-1] != "hangup transfer_failed" {
		t.Fatalf("err %v res %+v log %v", err, res, sess.log)
	}
}

func TestDigestIgnoresLayoutNotContent(t *testing.T) {
	a := mustLoad(t, head+okNodes)
	b := mustLoad(t, "# a comment\n"+strings.ReplaceAll(head+okNodes, "{type: yes_no}", "\n      type: yes_no"))
	c := mustLoad(t, head+strings.Replace(okNodes, "再见", "再会", 1))
	if a.Digest() != b.Digest() {
		t.Errorf("reformatting changed the digest")
	}
	if a.Digest() == c.Digest() || !strings.HasPrefix(a.Digest(), "sha256:") {
		t.Errorf("digest %s vs %s", a.Digest(), c.Digest())
	}
}

func TestBasicInterpreter(t *testing.T) {
	opts := []Option{{Key: "1", Value: "province", Words: []string{"this province"}}, {Key: "2", Value: "other", Words: []string{"another province", "外省"}}}
	tests := []struct {
		q    Question
		text string
		want any
		ok   bool
	}{
		{Question{Type: TypeYesNo}, "是的", true, true},
		{Question{Type: TypeYesNo}, "不是", false, true},
		{Question{Type: TypeYesNo}, "没有", false, true},
		{Question{Type: TypeYesNo}, "Yes, it is.", true, true},
		{Question{Type: TypeYesNo}, "nope", false, true},
		{Question{Type: TypeYesNo}, "yesterday", nil, false},
		{Question{Type: TypeYesNo, Words: map[string][]string{"no": {"挺好"}}}, "挺好的", false, true},
		{Question{Type: TypeChoice, Options: opts}, "from another province", "other", true},
		{Question{Type: TypeChoice, Options: opts}, "从外省回来", "other", true},
		{Question{Type: TypeChoice, Options: opts}, "mars", nil, false},
		{Question{Type: TypeNumber, Min: 34, Max: 43}, "三十七度二，37.2", 37.2, true},
		{Question{Type: TypeNumber, Min: 34, Max: 43}, "99", nil, false},
		{Question{Type: TypeDigits, Length: 4}, "1 1 2 5", "1125", true},
		{Question{Type: TypeDigits, Length: 4}, "112", nil, false},
		{Question{Type: TypeSpeech}, " 嗓子疼 ", "嗓子疼", true},
		{Question{Type: TypeSpeech}, "  ", nil, false},
	}
	for _, tt := range tests {
		v, ok, _ := BasicInterpreter{}.Interpret(tt.q, tt.text)
		if ok != tt.ok || (ok && v != tt.want) {
			t.Errorf("%s %q: got %v %v, want %v %v", tt.q.Type, tt.text, v, ok, tt.want, tt.ok)
		}
	}
}

func TestEstimateDuration(t *testing.T) {
	tests := []struct {
		text string
		want time.Duration
	}{
		{"", 0},
		{"您好", 500 * time.Millisecond},
		{"您好。", 800 * time.Millisecond},
		{"one two three four five", 2 * time.Second},
		{"请按1", 900 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := EstimateDuration(tt.text); got != tt.want.Round(100*time.Millisecond) {
			t.Errorf("%q: %v, want %v", tt.text, got, tt.want.Round(100*time.Millisecond))
		}
	}
}

func TestEnumStrings(t *testing.T) {
	if KindAsk.String() != "ask" || TypeDigits.String() != "digits" || StatusOptedOut.String() != "opted_out" ||
		MethodSpeech.String() != "speech" || InputSpeech.String() != "speech" || EventRule.String() != "rule" || EventEnd.String() != "end" {
		t.Fatal("enum names changed")
	}
}

func TestConcurrentRunsShareOneEngine(t *testing.T) {
	s, err := LoadFile("../scripts/samples/daily-health-check.zh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := NewEngine(s, Options{})
	inputs := dailyHealthCheck("zh")
	errs := make(chan error, len(inputs))
	for _, sc := range inputs {
		go func() {
			clock := &fakeClock{t: time.Unix(0, 0)}
			sess := &fakeSession{clock: clock, steps: append([]step(nil), sc.steps...), transferErr: nil}
			_, err := e.Run(context.Background(), sess, Data{Org: "o", Resident: Resident{Name: "张三华"}})
			errs <- err
		}()
	}
	for range inputs {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestStaticPrompts(t *testing.T) {
	s, err := LoadFile("../scripts/samples/notice-broadcast.en.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := s.StaticPrompts()
	if len(got) != 5 || got[0] != "If you heard the notice, press 1. To hear it again, press 2." {
		t.Fatalf("static prompts %q", got)
	}
}
