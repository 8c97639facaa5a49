package rtp

import (
	"testing"
	"time"

	"outreach/media"
)

func TestRecorderMixAndAlign(t *testing.T) {
	start := time.Unix(1000, 0)
	r := newRecorder(start)
	ms := func(n int) time.Time { return start.Add(time.Duration(n) * time.Millisecond) }
	frame := func(v int16) []int16 {
		f := make([]int16, media.FrameSamples)
		for i := range f {
			f[i] = v
		}
		return f
	}
	r.addOut(ms(0), frame(30000))
	r.addOut(ms(20), frame(100))
	// Incoming: anchored at its arrival (5 ms late), then placed by RTP
	// timestamp across the 32-bit wrap even though it arrives jittered.
	r.addIn(ms(5), 7, 0xffffff60, frame(10000)) // samples 40..199
	r.addIn(ms(31), 7, 0x00000000, frame(-200)) // ts +160 → samples 200..359
	got := r.samples()
	cases := []struct {
		at   int
		want int16
	}{
		{0, 30000}, {39, 30000}, {40, 32767} /* clipped */, {159, 32767},
		{160, 10100}, {199, 10100}, {200, -100}, {319, -100}, {320, -200}, {359, -200},
	}
	for _, c := range cases {
		if got[c.at] != c.want {
			t.Errorf("sample %d = %d, want %d", c.at, got[c.at], c.want)
		}
	}
	if len(got) != 360 {
		t.Fatalf("length %d", len(got))
	}
	// A new SSRC re-anchors at its arrival time.
	r.addIn(ms(100), 8, 12345, frame(1))
	if got := r.samples(); len(got) != 800+160 || got[800] != 1 {
		t.Fatalf("re-anchor: length %d", len(got))
	}
}

func TestSessionRecordingBothDirections(t *testing.T) {
	a, b := pair(t, func(c *Config) { c.Silence = SilenceNone })
	a.EnableRecording()
	a.Start(ctxT(t))
	b.Start(ctxT(t))
	out := sine(1000, 10*media.FrameSamples, 0.5)
	in := sine(400, 10*media.FrameSamples, 0.5)
	if _, err := a.Play(ctxT(t), out, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Play(ctxT(t), in, nil); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Second, "b's audio recorded", func() bool { return a.Stats().PacketsIn >= 10 })
	rec := a.Recording()
	var loud int
	for _, v := range rec {
		if v > 1000 || v < -1000 {
			loud++
		}
	}
	// Both prompts (2 × 200 ms) are in the recording, one after the other.
	if loud < 2*1200 || len(rec) < len(out)+len(in) {
		t.Fatalf("recording %d samples, %d loud", len(rec), loud)
	}
	if b.Recording() != nil {
		t.Fatal("recording without EnableRecording")
	}
}
