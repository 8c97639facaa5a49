package asr

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outreach/ivr"
	"outreach/media"
)

// shippedSpeech returns the template engine over the shipped references,
// the manifest of the residents' recordings and their directory.
func shippedSpeech(t *testing.T) (Recognizer, TemplateManifest, string) {
	t.Helper()
	dir := filepath.Join("..", "scripts", "samples", "speech") // as shipped (embedded by scripts/samples)
	rec, err := New(Config{Engine: EngineTemplate, TemplateDir: filepath.Join(dir, "references")})
	if err != nil {
		t.Fatal(err)
	}
	residents := filepath.Join(dir, "residents")
	m, err := ReadTemplateManifest(residents)
	if err != nil {
		t.Fatal(err)
	}
	return rec, m, residents
}

// alawRoundTrip is what G.711 A-law does to audio on the way to the robot.
func alawRoundTrip(pcm []int16) []int16 {
	b := make([]byte, len(pcm))
	media.EncodeALaw(b, pcm)
	out := make([]int16, len(pcm))
	media.DecodeALaw(out, b)
	return out
}

// listenTo runs Listen with default endpointing over half a second of
// silence, pcm through A-law, and two seconds of silence.
func listenTo(t *testing.T, rec Recognizer, opts Options, pcm []int16) Utterance {
	t.Helper()
	in := append(append(media.Silence(500*time.Millisecond), alawRoundTrip(pcm)...), media.Silence(2*time.Second)...)
	var frames [][]int16
	for f := range chunk(in) {
		frames = append(frames, f)
	}
	u, err := Listen(context.Background(), rec, feed(frames), ListenConfig{Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// vocabulary returns the texts of the manifest's recordings in lang.
func vocabulary(m TemplateManifest, lang string) []string {
	var out []string
	for _, r := range m.Recordings {
		if r.Language == lang {
			out = append(out, r.Text)
		}
	}
	return out
}

// TestTemplateRecognisesResidents: every recorded answer, in the
// residents' voice (slower, higher) through A-law and endpointing, is
// recognised against the references of the whole vocabulary of its
// language, with a confidence the scripts accept.
func TestTemplateRecognisesResidents(t *testing.T) {
	rec, m, dir := shippedSpeech(t)
	for _, lang := range []string{"zh-CN", "en-US"} {
		words := vocabulary(m, lang)
		if len(words) < 5 {
			t.Fatalf("%s: only %d recorded words", lang, len(words))
		}
		correct := 0
		for _, w := range words {
			pcm, err := media.ReadWAVFile(m.Find(dir, lang, w))
			if err != nil {
				t.Fatal(err)
			}
			u := listenTo(t, rec, Options{Type: ivr.TypeChoice, Language: lang, Hints: words}, pcm)
			if u.Text != w || u.Confidence < 0.5 {
				t.Errorf("%s %q: heard %q (confidence %.2f)", lang, w, u.Text, u.Confidence)
				continue
			}
			correct++
		}
		t.Logf("%s: %d/%d words recognised", lang, correct, len(words))
	}
}

// TestTemplateDailyHealthCheck recognises the demo residents' answers
// with the grammars of the daily health check's questions.
func TestTemplateDailyHealthCheck(t *testing.T) {
	rec, m, dir := shippedSpeech(t)
	cases := []struct {
		lang, node string
		opts       Options
		say        string
	}{
		{"zh-CN", "identity", Options{Type: ivr.TypeYesNo, Hints: []string{"是我", "本人", "不是"}}, "是我"},
		{"zh-CN", "cough", Options{Type: ivr.TypeYesNo, Hints: []string{"咳嗽", "有点咳"}}, "有"},
		{"zh-CN", "cough", Options{Type: ivr.TypeYesNo, Hints: []string{"咳嗽", "有点咳"}}, "没有"},
		{"zh-CN", "needs", Options{Type: ivr.TypeChoice, Hints: []string{"药", "买药", "菜", "买菜", "吃的", "不需要", "不用"}}, "不需要"},
		{"zh-CN", "doctor", Options{Type: ivr.TypeYesNo}, "不需要"},
		{"en-US", "identity", Options{Type: ivr.TypeYesNo, Hints: []string{"speaking", "it's me", "wrong"}}, "yes"},
		{"en-US", "cough", Options{Type: ivr.TypeYesNo, Hints: []string{"coughing", "a little"}}, "no"},
		{"en-US", "needs", Options{Type: ivr.TypeChoice, Hints: []string{"medicine", "pills", "food", "groceries", "nothing", "fine"}}, "nothing"},
	}
	for _, c := range cases {
		c.opts.Language = c.lang
		c.opts.Hints = append(c.opts.Hints, "再说一遍", "repeat") // repeat words are hints too
		pcm, err := media.ReadWAVFile(m.Find(dir, c.lang, c.say))
		if err != nil {
			t.Fatal(err)
		}
		if u := listenTo(t, rec, c.opts, pcm); u.Text != c.say {
			t.Errorf("%s %s: said %q, heard %q", c.lang, c.node, c.say, u.Text)
		}
	}
}

// TestTemplateRejects: words the question does not accept, silence,
// noise and a tone give no text.
func TestTemplateRejects(t *testing.T) {
	rec, m, dir := shippedSpeech(t)
	needsZH := Options{Type: ivr.TypeChoice, Language: "zh-CN", Hints: []string{"药", "买药", "菜", "买菜", "吃的", "不需要", "不用"}}
	needsEN := Options{Type: ivr.TypeChoice, Language: "en-US", Hints: []string{"medicine", "pills", "food", "groceries", "nothing", "fine"}}
	identityZH := Options{Type: ivr.TypeYesNo, Language: "zh-CN", Hints: []string{"是我", "本人", "不是"}}
	for _, c := range []struct {
		opts Options
		say  string
	}{{needsZH, "是我"}, {needsZH, "有"}, {needsZH, "是"}, {needsEN, "yes"}, {needsEN, "it's me"}, {identityZH, "买药"}} {
		pcm, err := media.ReadWAVFile(m.Find(dir, c.opts.Language, c.say))
		if err != nil {
			t.Fatal(err)
		}
		if u := listenTo(t, rec, c.opts, pcm); u.Text != "" {
			t.Errorf("%q not in the grammar, heard %q (%.2f)", c.say, u.Text, u.Confidence)
		}
	}
	var noise []int16
	seed := uint32(7)
	for range media.SampleRate {
		seed = seed*1664525 + 1013904223
		noise = append(noise, int16(int32(seed>>16)-32768)/6)
	}
	for name, pcm := range map[string][]int16{
		"silence": media.Silence(time.Second), "noise": noise,
		"tone": media.Tone([]float64{440}, 700*time.Millisecond, 0.3),
	} {
		r, err := rec.Recognize(context.Background(), identityZH, ended(framesOf(alawRoundTrip(pcm))), nil)
		if err != nil || r.Text != "" || !r.Final {
			t.Errorf("%s: %+v, %v; want a final result with no text", name, r, err)
		}
	}
}

// framesOf splits pcm into 20 ms frames.
func framesOf(pcm []int16) [][]int16 {
	var out [][]int16
	for f := range chunk(pcm) {
		out = append(out, f)
	}
	return out
}

// ended returns frames on a channel that is then closed (the end of the
// utterance).
func ended(frames [][]int16) chan []int16 {
	ch := feed(frames)
	close(ch)
	return ch
}

// TestTemplateShortInput: no audio, frames of any length, and a cancelled
// context end recognition without a panic.
func TestTemplateShortInput(t *testing.T) {
	rec, _, _ := shippedSpeech(t)
	opts := Options{Type: ivr.TypeYesNo, Language: "zh-CN"}
	for name, frames := range map[string][][]int16{
		"none": nil, "empty frames": {nil, {}}, "one sample": {{12000}},
		"odd frames": {make([]int16, 7), media.Tone([]float64{300}, 30*time.Millisecond, 0.5), {-32768, 32767}},
		"short word": framesOf(media.Tone([]float64{300, 900}, 90*time.Millisecond, 0.5)),
	} {
		r, err := rec.Recognize(context.Background(), opts, ended(frames), nil)
		if err != nil || r.Text != "" || !r.Final {
			t.Errorf("%s: %+v, %v; want a final result with no text", name, r, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := rec.Recognize(ctx, opts, make(chan []int16), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
	long := ended(framesOf(media.Tone([]float64{300, 900}, 15*time.Second, 0.5)))
	if r, err := rec.Recognize(context.Background(), opts, long, nil); err != nil || r.Text != "" {
		t.Errorf("15 s of tone: %+v, %v", r, err)
	}
}

// TestTemplateNoGrammar: questions with no recorded phrase fail at once
// with ErrNoGrammar, so the robot takes keys.
func TestTemplateNoGrammar(t *testing.T) {
	rec, _, _ := shippedSpeech(t)
	for name, opts := range map[string]Options{
		"number":         {Type: ivr.TypeNumber, Language: "zh-CN"},
		"digits":         {Type: ivr.TypeDigits, Language: "en-US", Length: 4},
		"free speech":    {Type: ivr.TypeSpeech},
		"unrecorded":     {Type: ivr.TypeChoice, Language: "en-US", Hints: []string{"by train", "by car"}},
		"other language": {Type: ivr.TypeYesNo, Language: "fr-FR"},
	} {
		// Never read: an engine that needs no audio must not wait for it.
		if _, err := rec.Recognize(context.Background(), opts, make(chan []int16), nil); !errors.Is(err, ErrNoGrammar) {
			t.Errorf("%s: err = %v, want ErrNoGrammar", name, err)
		}
	}
}

func TestTemplateConfig(t *testing.T) {
	if err := (Config{Engine: EngineTemplate}).Validate(); err == nil || !strings.Contains(err.Error(), "template_dir") {
		t.Errorf("no directory: %v", err)
	}
	empty := t.TempDir()
	if _, err := New(Config{Engine: EngineTemplate, TemplateDir: empty}); err == nil {
		t.Error("no manifest: no error")
	}
	if err := WriteTemplateManifest(empty, TemplateManifest{}); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{Engine: EngineTemplate, TemplateDir: empty}); err == nil {
		t.Error("no recordings: no error")
	}
	if err := os.WriteFile(filepath.Join(empty, "quiet.wav"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	bad := TemplateManifest{Recordings: []TemplateRecording{{Language: "zh-CN", Text: "是", File: "quiet.wav"}}}
	if err := WriteTemplateManifest(empty, bad); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{Engine: EngineTemplate, TemplateDir: empty}); err == nil || !strings.Contains(err.Error(), "是") {
		t.Errorf("unreadable recording: %v", err)
	}
	rec, _, _ := shippedSpeech(t)
	if rec.Name() != EngineTemplate {
		t.Errorf("name %q", rec.Name())
	}
}
