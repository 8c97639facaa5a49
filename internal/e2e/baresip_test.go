package e2e

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"outreach/dialer"
	"outreach/media"
)

// TestBaresip calls a real softphone, directly and through Kamailio (digest
// auth): the robot's prompt carries a 1 kHz test tone, baresip presses keys
// through its control interface, the robot gets each key exactly once, and
// baresip's recording of what it heard contains the tone.
func TestBaresip(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"direct", "proxy", "www"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			runBaresip(t, mode)
		})
	}
}

func runBaresip(t *testing.T, mode string) {
	const number = "13812345678"
	dir := t.TempDir()
	// What baresip says: a quiet 300 Hz hum, longer than the call (baresip
	// hangs up when its audio file ends).
	src := writeToneWAV(t, dir, "resident.wav", []float64{300}, 30*time.Second)
	b := StartBaresip(t, BaresipConfig{User: number, AudioFile: src})
	trunk := dialer.Trunk{Name: "pbx", Addr: b.Addr}
	if mode != "direct" {
		k := StartKamailio(t, KamailioConfig{AuthMode: mode, Gateways: []string{b.Addr}})
		trunk = dialer.Trunk{Name: "pbx", Addr: k.Addr, Username: k.User, Password: k.Password}
	}
	d := startDialer(t, trunk)
	c := dialOK(t, d, dialer.Request{Trunk: "pbx", Number: number})

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Play(ctx, testTone(1500*time.Millisecond), false); err != nil {
		t.Fatalf("play: %v", err)
	}
	heard := make(chan []int16, 1)
	go func() { heard <- collectFrames(c, 2*time.Second) }()
	const keys = "15#"
	if err := b.SendDigits(keys); err != nil {
		t.Fatalf("baresip sndcode: %v", err)
	}
	if got := collectDigits(c, len(keys), 5*time.Second, time.Second); got != keys {
		t.Errorf("digits %q, want %q exactly once each", got, keys)
	}
	if l := toneIn(<-heard, 300); l < 0.3 {
		t.Errorf("300 Hz share of baresip's audio %.2f, want > 0.3", l)
	}
	hangup(t, c)
	checkBaresipTone(t, b)
}

// checkBaresipTone finds baresip's decoder dump (the audio it received) and
// looks for the 1 kHz tone of the prompt in it.
func checkBaresipTone(t *testing.T, b *Baresip) {
	var path string
	var pcm []int16
	ok := poll(5*time.Second, func() bool {
		p, err := b.HeardFile()
		if err != nil {
			return false
		}
		path = p
		pcm, err = media.ReadWAVFile(p)
		return err == nil && audible(pcm) >= time.Second
	})
	if !ok {
		_, err := b.HeardFile()
		t.Fatalf("baresip recording: %v (%s: %v audible)", err, path, audible(pcm))
	}
	t.Logf("baresip recording %s: %v audible, 1 kHz share %.2f", filepath.Base(path), audible(pcm), toneIn(pcm, 1000))
	if l := toneIn(pcm, 1000); l < 0.5 {
		t.Errorf("1 kHz share of baresip's recording %s: %.2f, want > 0.5", path, l)
	}
	if a := audible(pcm); a < 1200*time.Millisecond || a > 2*time.Second {
		t.Errorf("baresip heard %v of audio, want the 1.5 s prompt", a)
	}
}
