package media

import "math"

// goertzel is one streaming Goertzel filter (a single-bin DFT evaluated with
// a second-order recursion). Feed samples with add, read power after a block
// and reset for the next one.
type goertzel struct {
	coef   float64 // 2·cos(2π·f/fs)
	s1, s2 float64
}

func newGoertzel(freq float64) goertzel {
	return goertzel{coef: 2 * math.Cos(2*math.Pi*freq/SampleRate)}
}

func (g *goertzel) add(x float64) {
	g.s1, g.s2 = x+g.coef*g.s1-g.s2, g.s1
}

// power returns |X(f)|² for the samples added since the last reset. A sine of
// amplitude A at f over N samples gives about (A·N/2)².
func (g *goertzel) power() float64 {
	return g.s1*g.s1 + g.s2*g.s2 - g.coef*g.s1*g.s2
}

func (g *goertzel) reset() { g.s1, g.s2 = 0, 0 }

// ToneLevel returns the share (0..1) of the energy of pcm that lies at freq:
// the Goertzel power of freq normalised so that a pure sine at freq filling
// pcm gives 1, divided by the total energy. Silence or an empty buffer gives 0.
func ToneLevel(pcm []int16, freq float64) float64 {
	g := newGoertzel(freq)
	var energy float64
	for _, s := range pcm {
		x := float64(s)
		g.add(x)
		energy += x * x
	}
	if energy == 0 {
		return 0
	}
	level := 2 * g.power() / (float64(len(pcm)) * energy)
	return math.Max(0, math.Min(1, level))
}

// MinDBFS is the floor DBFS returns for silence.
const MinDBFS = -120.0

// RMS returns the root mean square of frame in sample units (0..32768).
func RMS(frame []int16) float64 {
	if len(frame) == 0 {
		return 0
	}
	var sum float64
	for _, s := range frame {
		x := float64(s)
		sum += x * x
	}
	return math.Sqrt(sum / float64(len(frame)))
}

// DBFS returns the RMS level of frame in dB relative to full scale (32768),
// so a full-scale square wave is 0 dBFS and a full-scale sine about -3 dBFS.
// Silence and empty frames give MinDBFS.
func DBFS(frame []int16) float64 {
	r := RMS(frame)
	if r == 0 {
		return MinDBFS
	}
	return math.Max(MinDBFS, 20*math.Log10(r/32768))
}
