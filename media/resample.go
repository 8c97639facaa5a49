package media

import "math"

// Sample-rate conversion by band-limited (windowed-sinc) interpolation.
//
// Each output sample is a weighted sum of the input around its position, the
// weights being a sinc low-pass filter with cut-off at resampleCutoff of the
// lower of the two Nyquist frequencies, windowed by a Blackman window spanning
// resampleZeros zero crossings on each side. When downsampling (e.g. 44.1 kHz
// → 8 kHz) the filter is stretched so it removes everything above ~3.6 kHz
// before decimation, so there is no aliasing (stop-band attenuation of the
// Blackman window ≈ 74 dB); when upsampling it removes the images. When the
// ratio reduces to at most resampleMaxPhases output phases (every common
// audio rate to 8 kHz does), the weights are computed once per phase
// (polyphase); otherwise they are computed per output sample. Each phase is
// normalised to unit DC gain.
const (
	resampleZeros     = 16   // zero crossings of the sinc on each side
	resampleCutoff    = 0.92 // of the lower Nyquist frequency
	resampleMaxPhases = 1024
	maxSampleRate     = 768000
)

// Resample converts pcm from sample rate from to sample rate to (Hz) and
// returns a new slice (a copy when the rates are equal). Rates outside
// 1..768000 give nil.
func Resample(pcm []int16, from, to int) []int16 {
	if from <= 0 || to <= 0 || from > maxSampleRate || to > maxSampleRate {
		return nil
	}
	if from == to {
		return append([]int16(nil), pcm...)
	}
	g := gcd(from, to)
	up, down := to/g, from/g // output n sits at input position n·down/up
	outLen := int((int64(len(pcm))*int64(up) + int64(down) - 1) / int64(down))
	out := make([]int16, outLen)
	cut := resampleCutoff * math.Min(1, float64(to)/float64(from))
	half := int(math.Ceil(resampleZeros / cut)) // taps on each side
	var table []float64
	if up <= resampleMaxPhases {
		table = make([]float64, up*2*half)
		for p := range up {
			kernel(table[p*2*half:(p+1)*2*half], float64(p)/float64(up), cut, half)
		}
	}
	taps := make([]float64, 2*half)
	for n := range out {
		pos := int64(n) * int64(down)
		i, p := int(pos/int64(up)), int(pos%int64(up))
		w := taps
		if table != nil {
			w = table[p*2*half : (p+1)*2*half]
		} else {
			kernel(w, float64(p)/float64(up), cut, half)
		}
		var acc float64
		// w[j] weighs input sample i - half + 1 + j.
		lo, hi := max(0, half-1-i), min(2*half, len(pcm)-i+half-1)
		for j := lo; j < hi; j++ {
			acc += w[j] * float64(pcm[i-half+1+j])
		}
		out[n] = clamp16(acc)
	}
	return out
}

// kernel fills w with the filter weights for an output sample frac (0..1)
// input samples after input sample i: w[j] weighs input i-half+1+j, whose
// distance to the output position is d = frac + half - 1 - j.
func kernel(w []float64, frac, cut float64, half int) {
	var sum float64
	span := float64(half)
	for j := range w {
		d := frac + float64(half-1-j)
		v := 0.0
		if math.Abs(d) < span {
			x := math.Pi * cut * d
			s := 1.0
			if x != 0 {
				s = math.Sin(x) / x
			}
			t := (d/span + 1) / 2 // 0..1 across the window
			v = cut * s * (0.42 - 0.5*math.Cos(2*math.Pi*t) + 0.08*math.Cos(4*math.Pi*t))
		}
		w[j] = v
		sum += v
	}
	if sum != 0 {
		for j := range w {
			w[j] /= sum
		}
	}
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
