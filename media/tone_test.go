package media

import (
	"math"
	"testing"
	"time"
)

func TestTone(t *testing.T) {
	for _, tc := range []struct {
		name  string
		freqs []float64
		d     time.Duration
		amp   float64
		n     int
		peak  float64 // expected peak, fraction of full scale
	}{
		{"one frame", []float64{1000}, FrameDuration, 0.5, 160, 0.5},
		{"one second", []float64{440}, time.Second, 1, 8000, 1},
		{"two tones", []float64{697, 1209}, 500 * time.Millisecond, 0.8, 4000, 0.8},
		{"amplitude clamped", []float64{1000}, 100 * time.Millisecond, 7, 800, 1},
		{"no frequencies", nil, 100 * time.Millisecond, 0.5, 800, 0},
		{"NaN amplitude", []float64{1000}, 100 * time.Millisecond, math.NaN(), 800, 0},
		{"negative duration", []float64{1000}, -time.Second, 0.5, 0, 0},
	} {
		pcm := Tone(tc.freqs, tc.d, tc.amp)
		if len(pcm) != tc.n {
			t.Errorf("%s: %d samples, want %d", tc.name, len(pcm), tc.n)
			continue
		}
		peak := 0
		for _, s := range pcm {
			peak = max(peak, abs(int(s)))
		}
		// Two incommensurate tones rarely line up exactly: allow 10 % below.
		if got := float64(peak) / 32767; got > tc.peak+0.001 || got < tc.peak*0.9 {
			t.Errorf("%s: peak %.3f, want %.3f", tc.name, got, tc.peak)
		}
		if len(pcm) > 0 && (abs(int(pcm[0])) > 1 || abs(int(pcm[len(pcm)-1])) > 200) {
			t.Errorf("%s: no fade at the ends (%d … %d)", tc.name, pcm[0], pcm[len(pcm)-1])
		}
	}
}

func TestDTMFTone(t *testing.T) {
	for i, digit := range allDigits {
		pcm, err := DTMFTone(digit, 100*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		low, high := dtmfRows[i/4], dtmfCols[i%4]
		body := pcm[40 : len(pcm)-40]
		l, h := ToneLevel(body, low), ToneLevel(body, high)
		if l < 0.45 || h < 0.45 || l+h < 0.98 {
			t.Errorf("%c: level %.3f at %g Hz, %.3f at %g Hz", digit, l, low, h, high)
		}
		if db := DBFS(body); db < -9.6 || db > -8.6 {
			t.Errorf("%c: %.1f dBFS, want about -9.1", digit, db)
		}
	}
	if _, err := DTMFTone('d', FrameDuration); err != nil {
		t.Errorf("lower-case d: %v", err)
	}
	for _, bad := range []rune{'E', 'x', ' ', 0, '٣'} {
		if _, err := DTMFTone(bad, FrameDuration); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestSilence(t *testing.T) {
	if s := Silence(time.Second); len(s) != 8000 || RMS(s) != 0 {
		t.Errorf("Silence(1s): %d samples, RMS %g", len(s), RMS(s))
	}
	if s := Silence(-time.Second); len(s) != 0 {
		t.Errorf("negative duration: %d samples", len(s))
	}
}

func TestToneLevel(t *testing.T) {
	pcm := Tone([]float64{1000}, time.Second, 0.5)
	for _, tc := range []struct {
		name     string
		pcm      []int16
		freq     float64
		min, max float64
	}{
		{"on frequency", pcm, 1000, 0.99, 1},
		{"off frequency", pcm, 1500, 0, 0.001},
		{"near frequency", pcm, 1010, 0, 0.05},
		{"silence", Silence(time.Second), 1000, 0, 0},
		{"empty", nil, 1000, 0, 0},
		{"half of a two-tone", Tone([]float64{350, 440}, time.Second, 0.5), 440, 0.49, 0.51},
	} {
		if got := ToneLevel(tc.pcm, tc.freq); got < tc.min || got > tc.max {
			t.Errorf("%s: %.4f, want %.3f..%.3f", tc.name, got, tc.min, tc.max)
		}
	}
}
