package media

import (
	"math"
	"testing"
	"time"
)

// sine returns d of a sine at freq sampled at rate, amplitude a of full scale.
func sine(freq float64, rate int, d time.Duration, a float64) []int16 {
	out := make([]int16, int(int64(d)*int64(rate)/int64(time.Second)))
	for i := range out {
		out[i] = clamp16(a * 32767 * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return out
}

func TestResamplePassband(t *testing.T) {
	for _, tc := range []struct {
		from, to int
		freq     float64
	}{
		{44100, 8000, 1000}, {48000, 8000, 3000}, {16000, 8000, 440}, {11025, 8000, 2500},
		{22050, 8000, 300}, {8000, 16000, 1000}, {8000, 44100, 3000}, {7919, 8000, 1000}, {8000, 8000, 1000},
	} {
		in := sine(tc.freq, tc.from, time.Second, 0.5)
		out := Resample(in, tc.from, tc.to)
		if want := (len(in)*tc.to + tc.from - 1) / tc.from; len(out) != want {
			t.Errorf("%d→%d: %d samples, want %d", tc.from, tc.to, len(out), want)
		}
		mid := out[len(out)/4 : 3*len(out)/4] // away from the edges
		gain := RMS(mid) / (0.5 * 32767 / math.Sqrt2)
		if math.Abs(20*math.Log10(gain)) > 0.2 {
			t.Errorf("%d→%d: %g Hz gain %.2f dB", tc.from, tc.to, tc.freq, 20*math.Log10(gain))
		}
		if tc.to == SampleRate {
			if lvl := ToneLevel(mid, tc.freq); lvl < 0.99 {
				t.Errorf("%d→%d: %g Hz tone level %.3f", tc.from, tc.to, tc.freq, lvl)
			}
		}
	}
}

// TestResampleNoAliasing checks that content above the new Nyquist frequency
// is removed, not folded back into the telephone band.
func TestResampleNoAliasing(t *testing.T) {
	for _, tc := range []struct {
		from int
		freq float64
	}{{44100, 5000}, {44100, 12000}, {48000, 4500}, {16000, 6000}, {22050, 7000}} {
		in := sine(tc.freq, tc.from, time.Second, 0.9)
		out := Resample(in, tc.from, SampleRate)
		mid := out[len(out)/4 : 3*len(out)/4]
		if db := DBFS(mid); db > -60 {
			t.Errorf("%d Hz from %d: aliased energy at %.1f dBFS", int(tc.freq), tc.from, db)
		}
	}
}

func TestResampleEdgeCases(t *testing.T) {
	if got := Resample([]int16{1, 2, 3}, 0, 8000); got != nil {
		t.Errorf("zero rate: %v", got)
	}
	if got := Resample([]int16{1, 2, 3}, 8000, -1); got != nil {
		t.Errorf("negative rate: %v", got)
	}
	if got := Resample(nil, 44100, 8000); len(got) != 0 {
		t.Errorf("empty input: %v", got)
	}
	in := []int16{1, 2, 3}
	out := Resample(in, 8000, 8000)
	out[0] = 9
	if in[0] != 1 {
		t.Error("equal rates must copy")
	}
	// A constant signal stays constant (unit DC gain) away from the edges.
	dc := make([]int16, 4410)
	for i := range dc {
		dc[i] = 10000
	}
	for _, v := range Resample(dc, 44100, 8000)[100:700] {
		if v < 9990 || v > 10010 {
			t.Fatalf("DC 10000 became %d", v)
		}
	}
}

func BenchmarkResample44100To8000(b *testing.B) {
	in := sine(1000, 44100, time.Second, 0.5)
	b.ReportAllocs()
	for b.Loop() {
		Resample(in, 44100, 8000)
	}
}
