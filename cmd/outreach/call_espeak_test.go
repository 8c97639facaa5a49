package main

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outreach/media"
	"outreach/prompts"
	"outreach/sim"
)

// TestCallEspeakTemplatePrompt runs a script whose only prompt holds a
// template field (the resident's masked name), so it cannot be pre-rendered:
// the CLI renders it through espeak-ng during the call. At the callee (the
// sim), the audio heard must be that prompt: as long and as loud as the
// same text rendered here, with the same loudness envelope.
func TestCallEspeakTemplatePrompt(t *testing.T) {
	t.Parallel()
	s := startScriptSim(t, true)
	cases := []struct {
		name, lang, voice, say, want string
	}{
		{"zh", "zh-CN", "cmn-latn-pinyin", "您好，{{.Resident.MaskedName}}，这是一条测试通知，请注意查收。", "您好，张*华，这是一条测试通知，请注意查收。"},
		{"en", "en-US", "en-us", "Hello {{.Resident.MaskedName}}, this is a test notice from your community office.",
			"Hello 张*华, this is a test notice from your community office."},
	}
	cache := t.TempDir()
	var calls []func() callResult
	for i, tc := range cases {
		dir := t.TempDir() // no prompts/ next to the script: nothing shipped
		script := filepath.Join(dir, "hello.yaml")
		src := "id: espeak-" + tc.name + "\nversion: 1\nlanguage: " + tc.lang + "\nvoice: {engine: espeak-ng, name: " +
			tc.voice + "}\nstart: hello\nnodes:\n  hello:\n    say: \"" + tc.say + "\"\n    barge_in: false\n    hangup: true\n"
		if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		number := "1390000001" + string(rune('0'+i))
		calls = append(calls, func() callResult { return runScriptCall(s.Addr(), script, number, cache) })
	}
	results := runConcurrently(t, calls)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := results[i].decode(t)
			if out.Script.Status != "completed" || len(out.Script.Transcript) < 3 {
				t.Fatalf("script status %q, transcript %v", out.Script.Status, out.Script.Transcript)
			}
			if said := out.Script.Transcript[2].Text; said != tc.want {
				t.Fatalf("prompt said %q, want %q", said, tc.want)
			}
			r := &prompts.Renderer{Engine: &prompts.EspeakEngine{}}
			want, err := r.Render(context.Background(), prompts.Request{Text: tc.want,
				Language: prompts.Language(tc.lang), Voice: tc.voice})
			if err != nil {
				t.Fatal(err)
			}
			log := finishedLog(t, s, out.CallID)
			checkHeard(t, log, want)
		})
	}
}

// finishedLog waits until the sim's log of callID is final.
func finishedLog(t *testing.T, s *sim.Server, callID string) sim.CallLog {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		log, ok := s.Call(callID)
		if ok && log.Finished {
			return log
		}
		if time.Now().After(deadline) {
			t.Fatalf("sim log of call %s not finished (found %v)", callID, ok)
		}
		time.Sleep(20 * time.Millisecond) // polling another component's state
	}
}

// checkHeard compares what the callee heard with the rendered prompt.
func checkHeard(t *testing.T, log sim.CallLog, want []int16) {
	t.Helper()
	wantDur, wantDB := audible(want, -45)
	t.Logf("rendered %v audible at %.1f dBFS; heard %v audible at %.1f dBFS (%d samples)",
		wantDur, wantDB, log.HeardDuration, log.HeardEnergyDBFS, log.HeardSamples)
	if wantDur < time.Second || wantDB < -30 {
		t.Fatalf("rendered prompt is not speech: %v at %.1f dBFS", wantDur, wantDB)
	}
	if d := log.HeardDuration - wantDur; d < -wantDur/10 || d > wantDur/10 {
		t.Errorf("heard %v of audible audio, rendered %v (more than 10%% apart)", log.HeardDuration, wantDur)
	}
	if math.Abs(log.HeardEnergyDBFS-wantDB) > 3 {
		t.Errorf("heard level %.1f dBFS, rendered %.1f dBFS", log.HeardEnergyDBFS, wantDB)
	}
	c := envelopeMatch(log.Heard, want)
	t.Logf("loudness envelope correlation %.3f", c)
	// 1.000 on a quiet machine; a loaded one shifts frames by a tick or
	// two (0.898 seen). Silence or another prompt scores near 0.
	if c < 0.75 {
		t.Errorf("heard audio does not follow the prompt's loudness envelope: correlation %.2f", c)
	}
}

// audible returns the duration and mean level of the 20 ms frames above
// threshold dBFS (as the sim measures what it hears).
func audible(pcm []int16, threshold float64) (time.Duration, float64) {
	limit := 32768.0 * 32768.0 * math.Pow(10, threshold/10)
	var n int
	var energy float64
	for i := 0; i+media.FrameSamples <= len(pcm); i += media.FrameSamples {
		var sum float64
		for _, v := range pcm[i : i+media.FrameSamples] {
			sum += float64(v) * float64(v)
		}
		if sum/media.FrameSamples > limit {
			n += media.FrameSamples
			energy += sum
		}
	}
	if n == 0 {
		return 0, media.MinDBFS
	}
	return time.Duration(n) * time.Second / media.SampleRate, 10 * math.Log10(energy/float64(n)/(32768.0*32768.0))
}

// envelopeMatch is how well the heard 20 ms level envelope (dBFS) follows
// the rendered one: the best Pearson correlation over alignments of heard
// against want, or, when a loaded machine delivered the audio with gaps (a
// late packet shifts everything after it), the mean over 1 s windows of
// each window's best correlation within ±0.2 s of where the previous window
// ended (the alignment follows the drift), whichever is higher. Silence or
// another prompt scores low either way (0.00 and 0.47 in TestEnvelopeMatch).
func envelopeMatch(heard, want []int16) float64 {
	h, w := envelope(heard), envelope(want)
	best, at := -1.0, 0
	for lag := 0; lag+len(w) <= len(h); lag++ {
		if c := pearson(h[lag:lag+len(w)], w); c > best {
			best, at = c, lag
		}
	}
	const win, slack = 50, 10 // frames
	var sum float64
	var n int
	next := at // where window i is expected in heard: follows the drift
	for i := 0; i+win <= len(w); i += win {
		if variance(w[i:i+win]) < 1 { // a flat stretch says nothing
			next += win
			continue
		}
		wb, wl := -1.0, next
		for lag := max(next-slack, 0); lag <= next+slack && lag+win <= len(h); lag++ {
			if c := pearson(h[lag:lag+win], w[i:i+win]); c > wb {
				wb, wl = c, lag
			}
		}
		sum, n, next = sum+wb, n+1, wl+win
	}
	if n > 0 {
		best = max(best, sum/float64(n))
	}
	return best
}

func variance(a []float64) float64 {
	var m, v float64
	for _, x := range a {
		m += x
	}
	m /= float64(len(a))
	for _, x := range a {
		v += (x - m) * (x - m)
	}
	return v / float64(len(a))
}

func envelope(pcm []int16) []float64 {
	var out []float64
	for i := 0; i+media.FrameSamples <= len(pcm); i += media.FrameSamples {
		out = append(out, max(media.DBFS(pcm[i:i+media.FrameSamples]), -60))
	}
	return out
}

func pearson(a, b []float64) float64 {
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= float64(len(a))
	mb /= float64(len(b))
	var cov, va, vb float64
	for i := range a {
		cov += (a[i] - ma) * (b[i] - mb)
		va += (a[i] - ma) * (a[i] - ma)
		vb += (b[i] - mb) * (b[i] - mb)
	}
	if va == 0 || vb == 0 {
		return 0
	}
	return cov / math.Sqrt(va*vb)
}

// TestPromptEngineShipped checks the CLI's prompt engine for a sample
// script is the shipped directory (with espeak-ng behind it), and plain
// espeak-ng for a script without one.
func TestPromptEngineShipped(t *testing.T) {
	e := &env{stdout: os.Stdout, stderr: os.Stderr, logger: newLogger(os.Stderr, "error")}
	eng := promptEngine(e, filepath.Join(samplesDir, "daily-health-check.zh.yaml"))
	shipped, ok := eng.(*prompts.ShippedEngine)
	if !ok {
		t.Fatalf("engine %T for a sample script, want *prompts.ShippedEngine", eng)
	}
	if shipped.Len() < 20 || shipped.Name() != "espeak-ng" {
		t.Fatalf("shipped engine %q holds %d prompts", shipped.Name(), shipped.Len())
	}
	if eng := promptEngine(e, filepath.Join(t.TempDir(), "x.yaml")); !strings.Contains(eng.Name(), "espeak") {
		t.Fatalf("engine %q for a script without shipped prompts", eng.Name())
	}
}

// TestEnvelopeMatch: a prompt heard with a gap in the middle still matches
// its rendering; another prompt and silence do not.
func TestEnvelopeMatch(t *testing.T) {
	speech := func(seed uint64, n int) []int16 { // syllables of random length and level
		r := rand.New(rand.NewPCG(seed, 1))
		var out []int16
		for len(out) < n {
			amp := 0.02 + 0.5*r.Float64()
			if r.IntN(3) == 0 {
				amp = 0
			}
			out = append(out, media.Tone([]float64{300 + 400*r.Float64()}, time.Duration(60+r.IntN(240))*time.Millisecond, amp)...)
		}
		return out[:n]
	}
	want := speech(1, 5*media.SampleRate)
	half := len(want) / 2
	gap := make([]int16, media.SampleRate/5) // 200 ms of a late packet burst
	heard := append(append(append(make([]int16, media.SampleRate/2), want[:half]...), gap...), want[half:]...)
	heard = append(heard, make([]int16, media.SampleRate/2)...)
	t.Logf("with a gap %.3f, another prompt %.3f, silence %.3f", envelopeMatch(heard, want),
		envelopeMatch(append(make([]int16, media.SampleRate/2), speech(2, 6*media.SampleRate)...), want),
		envelopeMatch(make([]int16, 6*media.SampleRate), want))
	if c := envelopeMatch(heard, want); c < 0.75 {
		t.Errorf("the prompt with a 200 ms gap scores %.2f, want ≥ 0.75", c)
	}
	other := append(make([]int16, media.SampleRate/2), speech(2, 6*media.SampleRate)...)
	if c := envelopeMatch(other, want); c >= 0.75 {
		t.Errorf("another prompt scores %.2f, want < 0.75", c)
	}
	if c := envelopeMatch(make([]int16, 6*media.SampleRate), want); c >= 0.75 {
		t.Errorf("silence scores %.2f, want < 0.75", c)
	}
}
