package robot

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"outreach/ivr"
)

// fakeCall is a call at the robot's own seam: digits are fed by the test,
// Play takes virtual time proportional to the audio.
type fakeCall struct {
	digits  chan rune
	done    chan struct{}
	played  int
	playErr error // returned by Play at once when set
}

func newFakeCall() *fakeCall {
	return &fakeCall{digits: make(chan rune, 16), done: make(chan struct{})}
}

func (f *fakeCall) Play(ctx context.Context, pcm []int16, bargeIn bool) (bool, error) {
	if f.playErr != nil {
		return false, f.playErr
	}
	t := time.NewTimer(time.Duration(len(pcm)) * time.Second / 8000)
	defer t.Stop()
	if !bargeIn {
		select {
		case <-t.C:
		case <-f.done:
		}
		f.played++
		return false, nil
	}
	for {
		select {
		case <-t.C:
			f.played++
			return false, nil
		case <-f.done:
			return false, nil
		default:
		}
		if len(f.digits) > 0 {
			return true, nil
		}
		select {
		case <-t.C:
			f.played++
			return false, nil
		case <-time.After(10 * time.Millisecond):
		case <-f.done:
			return false, nil
		}
	}
}
func (f *fakeCall) Digits() <-chan rune                    { return f.digits }
func (f *fakeCall) Transfer(context.Context, string) error { return nil }
func (f *fakeCall) Hangup(context.Context) error           { close(f.done); return nil }
func (f *fakeCall) Done() <-chan struct{}                  { return f.done }
func (fakeVoice) Render(context.Context, ivr.Prompt) ([]int16, error) {
	return make([]int16, 8000), nil
}

type fakeVoice struct{}

func TestCollect(t *testing.T) {
	cases := []struct {
		name  string
		c     ivr.Collect
		press map[time.Duration]rune
		want  ivr.Input
	}{
		{"one key", ivr.Collect{Timeout: 5 * time.Second, MaxDigits: 1},
			map[time.Duration]rune{time.Second: '1'}, ivr.Input{Kind: ivr.InputDigits, Digits: "1", Confidence: 1}},
		{"no input", ivr.Collect{Timeout: 5 * time.Second, MaxDigits: 1},
			nil, ivr.Input{Kind: ivr.InputNone}},
		{"terminator", ivr.Collect{Timeout: 5 * time.Second, InterDigitTimeout: 3 * time.Second, MaxDigits: 3, Terminator: "#"},
			map[time.Duration]rune{time.Second: '3', 2 * time.Second: '6', 3 * time.Second: '#'}, ivr.Input{Kind: ivr.InputDigits, Digits: "36#", Confidence: 1}},
		{"max digits", ivr.Collect{Timeout: 5 * time.Second, InterDigitTimeout: 3 * time.Second, MaxDigits: 3, Terminator: "#"},
			map[time.Duration]rune{time.Second: '3', 2 * time.Second: '6', 3 * time.Second: '5'}, ivr.Input{Kind: ivr.InputDigits, Digits: "365", Confidence: 1}},
		{"inter-digit timeout", ivr.Collect{Timeout: 5 * time.Second, InterDigitTimeout: 2 * time.Second, MaxDigits: 3, Terminator: "#"},
			map[time.Duration]rune{time.Second: '3', 4 * time.Second: '6'}, ivr.Input{Kind: ivr.InputDigits, Digits: "3", Confidence: 1}},
		{"terminator after max digits", ivr.Collect{Timeout: 5 * time.Second, InterDigitTimeout: 3 * time.Second, MaxDigits: 3, Terminator: "#"},
			map[time.Duration]rune{time.Second: '3', 1300 * time.Millisecond: '6', 1600 * time.Millisecond: '5', 1900 * time.Millisecond: '#'},
			ivr.Input{Kind: ivr.InputDigits, Digits: "365#", Confidence: 1}},
		{"extra digit kept in the entry", ivr.Collect{Timeout: 5 * time.Second, InterDigitTimeout: 3 * time.Second, MaxDigits: 3, Terminator: "#"},
			map[time.Duration]rune{time.Second: '3', 1300 * time.Millisecond: '6', 1600 * time.Millisecond: '5', 1900 * time.Millisecond: '5', 2200 * time.Millisecond: '#'},
			ivr.Input{Kind: ivr.InputDigits, Digits: "3655#", Confidence: 1}},
		{"terminator grace ends a full entry", ivr.Collect{Timeout: 5 * time.Second, InterDigitTimeout: 4 * time.Second, MaxDigits: 3, Terminator: "#"},
			map[time.Duration]rune{time.Second: '3', 1300 * time.Millisecond: '6', 1600 * time.Millisecond: '5', 3200 * time.Millisecond: '#'},
			ivr.Input{Kind: ivr.InputDigits, Digits: "365", Confidence: 1}},
		{"no terminator: max digits ends", ivr.Collect{Timeout: 5 * time.Second, InterDigitTimeout: 3 * time.Second, MaxDigits: 4},
			map[time.Duration]rune{time.Second: '1', 1100 * time.Millisecond: '1', 1200 * time.Millisecond: '2', 1300 * time.Millisecond: '5', 1400 * time.Millisecond: '9'},
			ivr.Input{Kind: ivr.InputDigits, Digits: "1125", Confidence: 1}},
		{"prefix completes", ivr.Collect{Prefix: "1", Timeout: 5 * time.Second, MaxDigits: 1},
			nil, ivr.Input{Kind: ivr.InputDigits, Digits: "1", Confidence: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				call := newFakeCall()
				for at, d := range tc.press {
					time.AfterFunc(at, func() { call.digits <- d })
				}
				got, err := NewSession(call, fakeVoice{}, nil).Collect(t.Context(), tc.c)
				if err != nil || got != tc.want {
					t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
				}
			})
		})
	}
}

func TestCollectHangup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		call := newFakeCall()
		time.AfterFunc(time.Second, func() { close(call.done) })
		_, err := NewSession(call, fakeVoice{}, nil).Collect(t.Context(), ivr.Collect{Timeout: 5 * time.Second, MaxDigits: 1})
		if !errors.Is(err, ivr.ErrHangup) {
			t.Fatalf("err = %v, want ErrHangup", err)
		}
	})
}

func TestPlayBargeInReturnsDigit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		call := newFakeCall()
		time.AfterFunc(300*time.Millisecond, func() { call.digits <- '2' })
		pr, err := NewSession(call, fakeVoice{}, nil).Play(t.Context(), ivr.Prompt{Node: "q", BargeIn: true})
		if err != nil || !pr.Interrupted || pr.Digit != '2' {
			t.Fatalf("got %+v, %v", pr, err)
		}
	})
}

// TestPlayFailsBeforeDone: the call closes its media just before Done; a
// play that fails meanwhile is a hangup, not a script error.
func TestPlayFailsBeforeDone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		call := newFakeCall()
		call.playErr = errors.New("rtp session closed")
		time.AfterFunc(10*time.Millisecond, func() { close(call.done) })
		_, err := NewSession(call, fakeVoice{}, nil).Play(t.Context(), ivr.Prompt{Node: "q"})
		if !errors.Is(err, ivr.ErrHangup) {
			t.Fatalf("err = %v, want ErrHangup", err)
		}
	})
}

func TestPlayAfterHangup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		call := newFakeCall()
		time.AfterFunc(300*time.Millisecond, func() { close(call.done) })
		_, err := NewSession(call, fakeVoice{}, nil).Play(t.Context(), ivr.Prompt{Node: "q"})
		if !errors.Is(err, ivr.ErrHangup) {
			t.Fatalf("err = %v, want ErrHangup", err)
		}
	})
}
