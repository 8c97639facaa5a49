package asr

import "math"

// upsampleTaps is the length of the interpolation filter of Upsampler.
const upsampleTaps = 16

// Upsampler doubles the sample rate of a stream (8 → 16 kHz) frame by frame
// without the edge effects of resampling each frame alone: it keeps the
// last input samples and interpolates the odd outputs with a windowed-sinc
// half-band filter. Output lags input by upsampleTaps/2 samples (1 ms).
type Upsampler struct {
	hist [upsampleTaps]float64
	taps [upsampleTaps]float64
}

// NewUpsampler returns an upsampler primed with silence.
func NewUpsampler() *Upsampler {
	u := &Upsampler{}
	sum := 0.0
	for j := range u.taps {
		x := float64(j-upsampleTaps/2) + 0.5 // distance to the half-sample point
		w := 0.5 - 0.5*math.Cos(2*math.Pi*(float64(j)+0.5)/upsampleTaps)
		u.taps[j] = math.Sin(math.Pi*x) / (math.Pi * x) * w
		sum += u.taps[j]
	}
	for j := range u.taps {
		u.taps[j] /= sum
	}
	return u
}

// Process appends 2·len(in) samples at twice the rate to dst.
func (u *Upsampler) Process(dst, in []int16) []int16 {
	for _, s := range in {
		copy(u.hist[:], u.hist[1:])
		u.hist[upsampleTaps-1] = float64(s)
		even := u.hist[upsampleTaps/2-1]
		odd := 0.0
		for j, t := range u.taps {
			odd += t * u.hist[j]
		}
		dst = append(dst, int16(even), clip16(odd))
	}
	return dst
}

func clip16(v float64) int16 {
	return int16(max(-32768, min(32767, math.Round(v))))
}
