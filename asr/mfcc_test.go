package asr

import (
	"encoding/binary"
	"math"
	"math/cmplx"
	"testing"
	"time"

	"outreach/media"
)

func TestFFT(t *testing.T) {
	const n = 16
	f := newFFT(n)
	re, im := make([]float64, n), make([]float64, n)
	in := make([]complex128, n)
	for i := range in {
		in[i] = complex(math.Sin(float64(i)*0.7)+float64(i%3), math.Cos(float64(i)))
		re[i], im[i] = real(in[i]), imag(in[i])
	}
	f.transform(re, im)
	for k := range n {
		var want complex128
		for j, x := range in {
			want += x * cmplx.Exp(complex(0, -2*math.Pi*float64(j*k)/n))
		}
		if cmplx.Abs(complex(re[k], im[k])-want) > 1e-9 {
			t.Errorf("bin %d: %v, want %v", k, complex(re[k], im[k]), want)
		}
	}
}

func TestMelFilters(t *testing.T) {
	fs := melFilters(mfccFilters, mfccFFTSize, media.SampleRate, mfccLowHz, mfccHighHz)
	if len(fs) != mfccFilters {
		t.Fatalf("%d filters", len(fs))
	}
	last := -1
	for i, f := range fs {
		peak := 0.0
		for _, w := range f.weights {
			peak = max(peak, w)
		}
		if len(f.weights) == 0 || peak < 0.5 || f.first <= last || f.first+len(f.weights) > mfccFFTSize/2+1 {
			t.Errorf("filter %d: first bin %d, %d weights, peak %.2f", i, f.first, len(f.weights), peak)
		}
		last = f.first
	}
}

func TestFeatures(t *testing.T) {
	m := newMFCC()
	if f := m.features(media.Silence(time.Second)); f != nil {
		t.Errorf("silence: %d frames, want none", len(f))
	}
	if f := m.features(media.Tone([]float64{500}, 50*time.Millisecond, 0.5)); f != nil {
		t.Errorf("50 ms click: %d frames, want none", len(f))
	}
	// 200 ms silence, 500 ms tone, 300 ms silence: about 50 frames of it.
	pcm := append(append(media.Silence(200*time.Millisecond), media.Tone([]float64{300, 1200}, 500*time.Millisecond, 0.4)...),
		media.Silence(300*time.Millisecond)...)
	f := m.features(pcm)
	if len(f) < 45 || len(f) > 52 {
		t.Fatalf("%d frames for 500 ms of tone", len(f))
	}
	var mean [mfccCeps]float64
	for _, v := range f {
		if len(v) != mfccDims {
			t.Fatalf("%d dimensions", len(v))
		}
		for k := range mfccCeps {
			mean[k] += v[k] / float64(len(f))
		}
	}
	for k, v := range mean {
		if math.Abs(v) > 1e-9 {
			t.Errorf("cepstral mean %d = %g after normalisation", k, v)
		}
	}
	// Louder is the same sound: the features hardly move.
	if d := dtw(f, m.features(scale(pcm, 0.25))); d > 1 {
		t.Errorf("same tone 12 dB quieter: distance %.2f", d)
	}
}

func scale(pcm []int16, g float64) []int16 {
	out := make([]int16, len(pcm))
	for i, s := range pcm {
		out[i] = int16(float64(s) * g)
	}
	return out
}

func TestDTW(t *testing.T) {
	seq := func(vals ...float64) [][]float64 {
		out := make([][]float64, len(vals))
		for i, v := range vals {
			out[i] = []float64{v, -v}
		}
		return out
	}
	a := seq(0, 1, 2, 3, 4, 5, 4, 3)
	slow := seq(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 4, 4, 3)
	cases := []struct {
		name string
		x, y [][]float64
		want func(float64) bool
	}{
		{"same", a, a, func(d float64) bool { return d == 0 }},
		{"twice as slow", a, slow, func(d float64) bool { return d < 1 }},
		{"three times as slow", seq(1, 2), seq(1, 1, 1, 2, 2, 2), func(d float64) bool { return math.IsInf(d, 1) }},
		{"empty", nil, a, func(d float64) bool { return math.IsInf(d, 1) }},
		{"one frame each", seq(1), seq(3), func(d float64) bool { return math.Abs(d-math.Sqrt(8)) < 1e-9 }},
		{"different", a, seq(5, 4, 3, 2, 1, 0, 1, 2), func(d float64) bool { return d > 3 }},
	}
	for _, c := range cases {
		d1, d2 := dtw(c.x, c.y), dtw(c.y, c.x)
		if !c.want(d1) || d1 != d2 {
			t.Errorf("%s: %g (reversed %g)", c.name, d1, d2)
		}
	}
}

// FuzzFeatures feeds arbitrary audio to the feature extractor and DTW:
// finite features of the right size or none, never a panic.
func FuzzFeatures(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0xff, 0x7f, 0x00, 0x80})
	tone := media.Tone([]float64{300, 900}, 300*time.Millisecond, 0.9)
	f.Add(binary.LittleEndian.AppendUint16(nil, 0))
	b := make([]byte, 2*len(tone))
	for i, s := range tone {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(s))
	}
	f.Add(b)
	m := newMFCC()
	ref := m.features(tone)
	f.Fuzz(func(t *testing.T, b []byte) {
		pcm := make([]int16, len(b)/2)
		for i := range pcm {
			pcm[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
		}
		feats := m.features(pcm)
		for _, v := range feats {
			if len(v) != mfccDims {
				t.Fatalf("%d dimensions", len(v))
			}
			for _, x := range v {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("feature %g", x)
				}
			}
		}
		if d := dtw(feats, ref); math.IsNaN(d) || d < 0 {
			t.Fatalf("distance %g", d)
		}
	})
}
