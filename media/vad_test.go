package media

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// frames renders a pattern, one character per 20 ms frame: 'S' loud noise
// (about -20 dBFS), '.' silence, 'n' line noise at about -60 dBFS.
func frames(pattern string, rng *rand.Rand) [][]int16 {
	var out [][]int16
	for _, c := range pattern {
		f := make([]int16, FrameSamples)
		sigma := map[rune]float64{'S': 3300, 'n': 33, '.': 0}[c]
		for i := range f {
			f[i] = clamp16(rng.NormFloat64() * sigma)
		}
		out = append(out, f)
	}
	return out
}

func TestVAD(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, tc := range []struct {
		name    string
		cfg     VADConfig
		pattern string
		want    string // one character per frame: '1' speech, '0' not
	}{
		{"defaults: onset after 2, 15 frames hangover", VADConfig{},
			"..SSSS" + strings.Repeat(".", 17),
			"000111" + strings.Repeat("1", 15) + "00"},
		{"single burst ignored", VADConfig{}, "nSnnSnn", "0000000"},
		{"pause inside hangover bridged", VADConfig{HangFrames: 3}, "SSS..SS....", "01111111110"},
		{"no hangover", VADConfig{HangFrames: -1, StartFrames: 1}, "S.S.", "1010"},
		{"line noise is not speech", VADConfig{}, "nnnnnnnnnn", "0000000000"},
		{"high threshold", VADConfig{ThresholdDBFS: -10}, "SSSS", "0000"},
	} {
		v := NewVAD(tc.cfg)
		var got strings.Builder
		for _, f := range frames(tc.pattern, rng) {
			if v.Process(f) {
				got.WriteByte('1')
			} else {
				got.WriteByte('0')
			}
		}
		if got.String() != tc.want {
			t.Errorf("%s:\n pattern %s\n got     %s\n want    %s", tc.name, tc.pattern, got.String(), tc.want)
		}
	}
}

func TestVADResetAndSpeaking(t *testing.T) {
	v := NewVAD(VADConfig{StartFrames: 1})
	loud := Tone([]float64{300}, FrameDuration, 0.5)
	if !v.Process(loud) || !v.Speaking() {
		t.Fatal("tone not speech")
	}
	v.Reset()
	if v.Speaking() || v.Process(Silence(FrameDuration)) {
		t.Error("speech after Reset")
	}
	if a := testing.AllocsPerRun(100, func() { v.Process(loud) }); a != 0 {
		t.Errorf("Process: %v allocs", a)
	}
}

func TestLevels(t *testing.T) {
	full := Tone([]float64{1000}, time.Second, 1)
	for _, tc := range []struct {
		name     string
		pcm      []int16
		rms, dbf float64
	}{
		{"full-scale sine", full[100 : len(full)-100], 32767 / 1.41421356, -3.01},
		{"silence", Silence(FrameDuration), 0, MinDBFS},
		{"empty", nil, 0, MinDBFS},
		{"square", []int16{-32768, -32768, -32768, -32768}, 32768, 0},
	} {
		if r := RMS(tc.pcm); r < tc.rms-2 || r > tc.rms+2 {
			t.Errorf("%s: RMS %.1f, want %.1f", tc.name, r, tc.rms)
		}
		if d := DBFS(tc.pcm); d < tc.dbf-0.02 || d > tc.dbf+0.02 {
			t.Errorf("%s: DBFS %.2f, want %.2f", tc.name, d, tc.dbf)
		}
	}
}
