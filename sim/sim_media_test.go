package sim

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"outreach/media"
)

func dialAnswered(t *testing.T, s *Server, number string) (*phone, *testLeg, *attempt) {
	t.Helper()
	p := newPhone(t, "udp")
	leg, offer := newTestLeg(t)
	t.Cleanup(leg.close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a := p.dial(ctx, s, number, offer, func(sdp []byte) { leg.connect(t, sdp) })
	if a.err != nil {
		t.Fatal(a.err)
	}
	return p, leg, a
}

func waitEnded(t *testing.T, s *Server, number string) CallLog {
	t.Helper()
	eventually(t, 5*time.Second, "call end", func() bool {
		c, ok := callLog(s, number)
		return ok && c.Finished
	})
	c, _ := callLog(s, number)
	return c
}

func TestNotInServiceEarlyMedia(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Personas: []Rule{rule("13800000003", Persona{Name: "gone", Kind: KindNotInService})}})
	p := newPhone(t, "udp")
	leg, offer := newTestLeg(t)
	defer leg.close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a := p.dial(ctx, s, "13800000003", offer, func(sdp []byte) { leg.connect(t, sdp) })
	if a.finalStatus() != 404 {
		t.Fatalf("final %d err %v", a.finalStatus(), a.err)
	}
	n, first := leg.audibleFrames()
	// The tones last 990 ms: most of their 49 frames must have arrived, all before the 404.
	if n < 30 || first.IsZero() || !first.Before(a.finalAt) {
		t.Fatalf("%d audible early-media frames, first at %v, 404 at %v", n, first, a.finalAt)
	}
}

func TestDigitsByRFC4733(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Personas: []Rule{rule("13600000002", Persona{Name: "keys", Kind: KindHangup,
		HangupAfter: 1200 * time.Millisecond,
		Digits: []DigitAt{
			{Digit: '1', At: 200 * time.Millisecond},
			{Digit: '#', At: 200 * time.Millisecond, Relative: true},
			{Digit: '9', At: 700 * time.Millisecond},
		}})}})
	p, leg, _ := dialAnswered(t, s, "13600000002")
	<-p.byeCh
	eventually(t, 2*time.Second, "three digits", func() bool { return len(leg.gotDigits()) == 3 })
	if got := leg.gotDigits(); got != "1#9" {
		t.Fatalf("phone got digits %q, want 1#9", got)
	}
	if c := waitEnded(t, s, "13600000002"); c.DigitsSent != "1#9" || c.EndedBy != EndedByCallee {
		t.Fatalf("log %+v", c)
	}
}

func TestHeardAudioRecorded(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startSim(t, Config{Record: true, RecordDir: dir,
		Personas: []Rule{rule("13600000003", Persona{Name: "listener", Kind: KindSilent})}})
	_, leg, a := dialAnswered(t, s, "13600000003")
	const amp = 0.5
	leg.play(t, media.Tone([]float64{1000}, time.Second, amp))
	leg.play(t, media.Silence(200*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.sess.Bye(ctx); err != nil {
		t.Fatal(err)
	}
	c := waitEnded(t, s, "13600000003")
	if c.EndedBy != EndedByCaller {
		t.Fatalf("ended by %q", c.EndedBy)
	}
	if d := c.HeardDuration; d < 900*time.Millisecond || d > 1100*time.Millisecond {
		t.Fatalf("heard %v of tone, want about 1s", d)
	}
	if want := dbfsOf(amp); math.Abs(c.HeardEnergyDBFS-want) > 1.5 {
		t.Fatalf("heard level %.1f dBFS, want about %.1f", c.HeardEnergyDBFS, want)
	}
	if c.HeardSamples < 8000 || len(c.Heard) != c.HeardSamples {
		t.Fatalf("%d samples, %d recorded", c.HeardSamples, len(c.Heard))
	}
	if lvl := media.ToneLevel(c.Heard, 1000); lvl < 0.8 {
		t.Fatalf("1 kHz share of the recording %.2f", lvl)
	}
	if c.WAVPath != filepath.Join(dir, filepath.Base(c.WAVPath)) {
		t.Fatalf("wav path %q", c.WAVPath)
	}
	pcm, err := media.ReadWAVFile(c.WAVPath)
	if err != nil || len(pcm) != len(c.Heard) {
		t.Fatalf("wav: %d samples, err %v", len(pcm), err)
	}
}

func TestDigitsAfterPrompt(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Personas: []Rule{rule("13600000004", Persona{Name: "ivr", Kind: KindAnswer,
		PromptGap: 300 * time.Millisecond,
		Digits: []DigitAt{
			{Digit: '1', AfterPrompt: true},
			{Digit: '2', AfterPrompt: true, At: 100 * time.Millisecond},
		}})}})
	_, leg, a := dialAnswered(t, s, "13600000004")
	prompt := media.Tone([]float64{440}, 600*time.Millisecond, 0.3)
	leg.play(t, prompt)
	end1 := time.Now()
	eventually(t, 3*time.Second, "first digit", func() bool { return len(leg.gotDigits()) == 1 })
	if d := time.Since(end1); d < 250*time.Millisecond {
		t.Fatalf("digit came %v after the prompt, before the 300 ms gap", d)
	}
	leg.play(t, prompt)
	end2 := time.Now()
	eventually(t, 3*time.Second, "second digit", func() bool { return len(leg.gotDigits()) == 2 })
	if d := time.Since(end2); d < 350*time.Millisecond {
		t.Fatalf("second digit %v after the prompt, want gap+100ms", d)
	}
	if got := leg.gotDigits(); got != "12" {
		t.Fatalf("digits %q", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.sess.Bye(ctx); err != nil {
		t.Fatal(err)
	}
	if c := waitEnded(t, s, "13600000004"); c.Prompts != 2 || c.DigitsSent != "12" {
		t.Fatalf("log %+v", c)
	}
}

func TestSpeakPersona(t *testing.T) {
	t.Parallel()
	wav := filepath.Join(t.TempDir(), "yes.wav")
	if err := media.WriteWAVFile(wav, media.Tone([]float64{700}, 500*time.Millisecond, 0.4), 8000); err != nil {
		t.Fatal(err)
	}
	s := startSim(t, Config{Personas: []Rule{rule("13600000005", Persona{Name: "talker", Kind: KindHangup,
		Speak: wav, SpeakAt: 300 * time.Millisecond, HangupAfter: 1200 * time.Millisecond})}})
	p, leg, _ := dialAnswered(t, s, "13600000005")
	<-p.byeCh
	if n, _ := leg.audibleFrames(); n < 12 {
		t.Fatalf("heard %d audible frames of the 25 spoken", n)
	}
	if c := waitEnded(t, s, "13600000005"); c.Err != "" {
		t.Fatalf("call error %q", c.Err)
	}
}
