//go:build pocketsphinx

package asr

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"outreach/asr/meaning"
	"outreach/ivr"
	"outreach/media"
)

// phoneAudio synthesises text with espeak-ng and passes it through the
// telephone path: 8 kHz, G.711 A-law encode and decode, with silence
// around it as a caller leaves it.
func phoneAudio(t testing.TB, dir, voice string, rate int, text string) []int16 {
	t.Helper()
	pcm, err := synthesize(dir, synth{voice, rate, text})
	if err != nil {
		t.Fatal(err)
	}
	return pcm
}

func synthesize(dir string, j synth) ([]int16, error) {
	p := filepath.Join(dir, fmt.Sprintf("%s-%d-%s.wav", j.voice, j.rate, strings.ReplaceAll(j.text, " ", "_")))
	out, err := exec.Command("espeak-ng", "-v", j.voice, "-s", fmt.Sprint(j.rate), "-w", p, j.text).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("espeak-ng (run scripts/provision.sh or apt-get install espeak-ng): %v %s", err, out)
	}
	pcm, err := media.ReadWAVFile(p)
	if err != nil {
		return nil, err
	}
	pcm = append(append(media.Silence(400*time.Millisecond), pcm...), media.Silence(1200*time.Millisecond)...)
	g711 := make([]byte, len(pcm))
	media.CodecPCMA.Encode(g711, pcm)
	media.CodecPCMA.Decode(pcm, g711)
	return pcm, nil
}

// synth is one utterance to synthesise.
type synth struct {
	voice string
	rate  int
	text  string
}

// phoneAudioAll synthesises in parallel (espeak-ng start-up dominates).
func phoneAudioAll(t testing.TB, dir string, jobs []synth) [][]int16 {
	t.Helper()
	out := make([][]int16, len(jobs))
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i], errs[i] = synthesize(dir, j)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// hear runs the robot's path: endpointing, then pocketsphinx.
func hear(t testing.TB, rec Recognizer, pcm []int16, opts Options) string {
	t.Helper()
	in := make(chan []int16, len(pcm)/media.FrameSamples+1)
	for f := range chunk(pcm) {
		in <- f
	}
	close(in)
	u, err := Listen(context.Background(), rec, in, ListenConfig{Options: opts,
		Endpoint: EndpointConfig{Pause: 700 * time.Millisecond, NoInput: 3 * time.Second}})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	if u.End != EventSpeechEnd {
		t.Fatalf("utterance ended by %v", u.End)
	}
	return u.Text
}

var (
	sphinxOnce sync.Once
	sphinxRec  Recognizer
	sphinxErr  error
)

func sphinxEngine(t testing.TB) Recognizer {
	sphinxOnce.Do(func() { sphinxRec, sphinxErr = New(Config{Engine: EnginePocketsphinx, Decoders: 2}) })
	if sphinxErr != nil {
		t.Fatalf("pocketsphinx (apt-get install libpocketsphinx-dev pocketsphinx-en-us): %v", sphinxErr)
	}
	return sphinxRec
}

var testVoices = []string{"en-us", "en", "en-us+f3", "en-gb-x-rp"}

// TestPocketsphinxYesNo: synthesised yes/no answers over G.711, through
// endpointing, pocketsphinx with the question's grammar, and the meaning
// layer. Target ≥ 95% correct.
func TestPocketsphinxYesNo(t *testing.T) {
	rec := sphinxEngine(t)
	words := []struct {
		said string
		yes  bool
	}{{"yes", true}, {"yeah", true}, {"yep", true}, {"sure", true}, {"correct", true},
		{"no", false}, {"nope", false}, {"not really", false}, {"no thanks", false}, {"wrong", false}}
	opts := Options{Type: ivr.TypeYesNo, Language: "en-US"}
	var jobs []synth
	var want []bool
	for _, w := range words {
		for _, v := range testVoices {
			for _, rate := range []int{140, 175} {
				jobs = append(jobs, synth{v, rate, w.said})
				want = append(want, w.yes)
			}
		}
	}
	total, right := 0, 0
	for i, pcm := range phoneAudioAll(t, t.TempDir(), jobs) {
		text := hear(t, rec, pcm, opts)
		r := meaning.YesNo(text, nil)
		total++
		if r.OK && r.Value == want[i] {
			right++
		} else {
			t.Logf("%q (%s, %d wpm) heard %q → %v", jobs[i].text, jobs[i].voice, jobs[i].rate, text, r.Value)
		}
	}
	acc := float64(right) / float64(total)
	t.Logf("yes/no accuracy over G.711: %d/%d = %.1f%%", right, total, 100*acc)
	if acc < 0.95 {
		t.Errorf("yes/no accuracy %.1f%%, want ≥ 95%%", 100*acc)
	}
}

// TestPocketsphinxDigits reports digit accuracy (strings and single
// digits) with a grammar of exactly the expected length.
func TestPocketsphinxDigits(t *testing.T) {
	rec := sphinxEngine(t)
	names := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	strs := []string{"1", "5", "7", "0", "36", "95", "2048", "7316", "8254", "1390"}
	var jobs []synth
	var want []string
	for _, s := range strs {
		var said []string
		for _, c := range s {
			said = append(said, names[c-'0'])
		}
		for _, v := range testVoices {
			jobs = append(jobs, synth{v, 140, strings.Join(said, " ")})
			want = append(want, s)
		}
	}
	total, right, digits, digitsRight := 0, 0, 0, 0
	for i, pcm := range phoneAudioAll(t, t.TempDir(), jobs) {
		s := want[i]
		text := hear(t, rec, pcm, Options{Type: ivr.TypeDigits, Length: len(s)})
		got, _ := meaning.Digits(text, len(s)).Value.(string)
		total++
		if got == s {
			right++
		} else {
			t.Logf("%s (%s) heard %q", s, jobs[i].voice, text)
		}
		for k := range s {
			digits++
			if k < len(got) && got[k] == s[k] {
				digitsRight++
			}
		}
	}
	t.Logf("digit strings %d/%d = %.1f%%, digits %d/%d = %.1f%%", right, total, 100*float64(right)/float64(total),
		digitsRight, digits, 100*float64(digitsRight)/float64(digits))
	if digitsRight*2 < digits {
		t.Errorf("digit accuracy %d/%d below 50%%", digitsRight, digits)
	}
}

func TestPocketsphinxPartialAndCancel(t *testing.T) {
	rec := sphinxEngine(t)
	pcm := phoneAudio(t, t.TempDir(), "en-us", 140, "three seven four one")
	in := make(chan []int16, len(pcm)/160+1)
	for f := range chunk(pcm) {
		in <- f
	}
	close(in)
	partial := make(chan Result, 100)
	r, err := rec.Recognize(context.Background(), Options{Type: ivr.TypeDigits}, in, partial)
	if err != nil || r.Text == "" || !r.Final || len(partial) == 0 {
		t.Errorf("result %+v err %v, %d partials", r, err, len(partial))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := rec.Recognize(ctx, Options{Type: ivr.TypeDigits}, make(chan []int16), nil); err == nil {
		t.Error("cancelled recognition returned no error")
	}
	if _, err := rec.Recognize(context.Background(), Options{Type: ivr.TypeSpeech}, in, nil); err == nil {
		t.Error("free speech has no grammar: want an error for the key fallback")
	}
}

// BenchmarkPocketsphinx: CPU of one recognition stream. One op decodes a
// 1.9 s answer (digits grammar); %cpu/stream = decode time / audio time.
func BenchmarkPocketsphinx(b *testing.B) {
	rec := sphinxEngine(b)
	pcm := phoneAudio(b, b.TempDir(), "en-us", 140, "three seven four one")
	var fs [][]int16
	for f := range chunk(pcm) {
		fs = append(fs, f)
	}
	opts := Options{Type: ivr.TypeDigits}
	b.ResetTimer()
	for b.Loop() {
		in := make(chan []int16, len(fs))
		for _, f := range fs {
			in <- f
		}
		close(in)
		if _, err := rec.Recognize(context.Background(), opts, in, nil); err != nil {
			b.Fatal(err)
		}
	}
	audio := time.Duration(len(pcm)) * time.Second / media.SampleRate
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(100*per.Seconds()/audio.Seconds(), "%cpu/stream")
	b.ReportMetric(audio.Seconds()/per.Seconds(), "streams/core")
}

// TestPocketsphinxConcurrent: more streams than decoders wait for one.
func TestPocketsphinxConcurrent(t *testing.T) {
	rec := sphinxEngine(t)
	pcm := phoneAudio(t, t.TempDir(), "en-us", 160, "yes")
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := make(chan []int16, len(pcm)/160+1)
			for f := range chunk(pcm) {
				in <- f
			}
			close(in)
			r, err := rec.Recognize(context.Background(), Options{Type: ivr.TypeYesNo}, in, nil)
			if err == nil && r.Text != "yes" && r.Text != "yeah" {
				err = fmt.Errorf("heard %q", r.Text)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
