package media

import (
	"fmt"
	"math"
	"time"
)

// DTMF frequencies (ITU-T Q.23): rows are the low group, columns the high group.
var (
	dtmfRows = [4]float64{697, 770, 852, 941}
	dtmfCols = [4]float64{1209, 1336, 1477, 1633}
)

// dtmfKeys is the keypad laid out by [row][col] (ITU-T Q.23 figure 1).
const dtmfKeys = "123A456B789C*0#D"

// dtmfLevel is the amplitude (fraction of full scale) of each of the two DTMF
// components: 0.35 is -12 dBFS RMS per component (about -9 dBm0, with
// 0 dBm0 ≈ -3 dBFS in G.711), inside the levels senders use (ITU-T Q.24).
const dtmfLevel = 0.35

// Tone returns d of the sum of sines at freqs, sampled at SampleRate. The sum
// peaks at amplitude (0..1, clamped) of full scale: each of the n components has
// amplitude/n. A 2 ms raised-cosine ramp at both ends avoids clicks.
func Tone(freqs []float64, d time.Duration, amplitude float64) []int16 {
	n := samplesFor(d)
	out := make([]int16, n)
	if len(freqs) == 0 || n == 0 {
		return out
	}
	amp := math.Max(0, math.Min(1, amplitude)) * 32767 / float64(len(freqs))
	if math.IsNaN(amp) {
		return out
	}
	ramp := min(n/2, samplesFor(2*time.Millisecond))
	for i := range out {
		var v float64
		for _, f := range freqs {
			v += math.Sin(2 * math.Pi * f * float64(i) / SampleRate)
		}
		g := 1.0
		if j := min(i, n-1-i); j < ramp {
			g = 0.5 - 0.5*math.Cos(math.Pi*float64(j)/float64(ramp))
		}
		out[i] = clamp16(v * amp * g)
	}
	return out
}

// DTMFTone returns d of the dual tone of digit (0-9, *, #, A-D; a-d accepted),
// each component at -12 dBFS RMS (-9 dBFS together).
func DTMFTone(digit rune, d time.Duration) ([]int16, error) {
	row, col, ok := dtmfPosition(digit)
	if !ok {
		return nil, fmt.Errorf("dtmf tone: invalid digit %q", digit)
	}
	return Tone([]float64{dtmfRows[row], dtmfCols[col]}, d, 2*dtmfLevel), nil
}

func dtmfPosition(digit rune) (row, col int, ok bool) {
	if 'a' <= digit && digit <= 'd' {
		digit -= 'a' - 'A'
	}
	for i := range len(dtmfKeys) {
		if rune(dtmfKeys[i]) == digit {
			return i / 4, i % 4, true
		}
	}
	return 0, 0, false
}

// Silence returns d of digital silence.
func Silence(d time.Duration) []int16 {
	return make([]int16, samplesFor(d))
}

// clamp16 rounds v to the nearest int16, saturating; NaN gives 0.
func clamp16(v float64) int16 {
	switch {
	case v >= math.MaxInt16:
		return math.MaxInt16
	case v <= math.MinInt16:
		return math.MinInt16
	case v != v:
		return 0
	}
	return int16(math.Round(v))
}
