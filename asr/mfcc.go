package asr

import (
	"math"

	"outreach/media"
)

// Feature extraction of the template engine: mel-frequency cepstral
// coefficients (Davis & Mermelstein 1980) of 8 kHz telephone audio, the
// classic front end of small-vocabulary recognisers.
const (
	mfccWindow      = media.SampleRate * 25 / 1000 // 25 ms Hamming window
	mfccHop         = media.SampleRate * 10 / 1000 // every 10 ms
	mfccFFTSize     = 256
	mfccFilters     = 24
	mfccCeps        = 13 // c0…c12
	mfccDims        = 2 * mfccCeps
	mfccPreEmphasis = 0.97
	mfccLowHz       = 100.0
	mfccHighHz      = 3800.0 // below Nyquist: telephone audio has nothing above 3.4 kHz
	mfccLifter      = 22.0
	mfccDeltaWidth  = 2 // frames each side of the regression

	// A frame belongs to the utterance when it is within speechRangeDB of
	// the loudest frame and above speechFloorDBFS; shorter spans than
	// minSpeechFrames are not speech.
	speechRangeDB   = 35.0
	speechFloorDBFS = -55.0
	minSpeechFrames = 10
)

// mfcc computes feature vectors: 13 cepstra and their deltas per 10 ms
// frame, with the cepstral mean of the utterance removed. Safe for
// concurrent use once built.
type mfcc struct {
	fft     *fft
	window  []float64
	filters []melFilter
	dct     [][]float64 // mfccCeps × mfccFilters, liftered
}

// melFilter is one triangular filter: weights of FFT bins from first on.
type melFilter struct {
	first   int
	weights []float64
}

func newMFCC() *mfcc {
	m := &mfcc{fft: newFFT(mfccFFTSize), window: make([]float64, mfccWindow)}
	for i := range m.window {
		m.window[i] = 0.54 - 0.46*math.Cos(2*math.Pi*float64(i)/float64(mfccWindow-1))
	}
	m.filters = melFilters(mfccFilters, mfccFFTSize, media.SampleRate, mfccLowHz, mfccHighHz)
	m.dct = make([][]float64, mfccCeps)
	for k := range m.dct {
		lift := 1 + mfccLifter/2*math.Sin(math.Pi*float64(k)/mfccLifter)
		norm := math.Sqrt(2.0 / mfccFilters)
		m.dct[k] = make([]float64, mfccFilters)
		for n := range m.dct[k] {
			m.dct[k][n] = lift * norm * math.Cos(math.Pi*float64(k)*(float64(n)+0.5)/mfccFilters)
		}
	}
	return m
}

func hzToMel(f float64) float64 { return 2595 * math.Log10(1+f/700) }
func melToHz(m float64) float64 { return 700 * (math.Pow(10, m/2595) - 1) }

// melFilters builds n triangular filters equally spaced on the mel scale
// between low and high Hz, over the bins of an FFT of size fftSize.
func melFilters(n, fftSize, rate int, low, high float64) []melFilter {
	lo, hi := hzToMel(low), hzToMel(high)
	edges := make([]float64, n+2) // in Hz
	for i := range edges {
		edges[i] = melToHz(lo + (hi-lo)*float64(i)/float64(n+1))
	}
	binHz := float64(rate) / float64(fftSize)
	out := make([]melFilter, n)
	for i := range out {
		left, centre, right := edges[i], edges[i+1], edges[i+2]
		first := int(math.Ceil(left / binHz))
		f := melFilter{first: first}
		for b := first; float64(b)*binHz < right && b <= fftSize/2; b++ {
			hz := float64(b) * binHz
			w := (hz - left) / (centre - left)
			if hz > centre {
				w = (right - hz) / (right - centre)
			}
			f.weights = append(f.weights, max(0, w))
		}
		out[i] = f
	}
	return out
}

// features returns the feature vectors of the speech in pcm (silence
// before and after it trimmed by energy), or nil when pcm holds no speech.
func (m *mfcc) features(pcm []int16) [][]float64 {
	ceps, energy := m.cepstra(pcm)
	lo, hi, ok := speechSpan(energy)
	if !ok {
		return nil
	}
	ceps = ceps[lo : hi+1]
	var mean [mfccCeps]float64
	for _, c := range ceps {
		for k, v := range c {
			mean[k] += v / float64(len(ceps))
		}
	}
	out := make([][]float64, len(ceps))
	for t, c := range ceps {
		v := make([]float64, mfccDims)
		for k := range mfccCeps {
			v[k] = c[k] - mean[k]
			v[mfccCeps+k] = delta(ceps, t, k)
		}
		out[t] = v
	}
	return out
}

// delta is the regression slope of cepstrum k around frame t, the edge
// frames repeated.
func delta(ceps [][]float64, t, k int) float64 {
	num, den := 0.0, 0.0
	for n := 1; n <= mfccDeltaWidth; n++ {
		next := ceps[min(t+n, len(ceps)-1)][k]
		prev := ceps[max(t-n, 0)][k]
		num += float64(n) * (next - prev)
		den += 2 * float64(n*n)
	}
	return num / den
}

// cepstra returns the liftered cepstra of each frame of pcm and its level
// in dBFS.
func (m *mfcc) cepstra(pcm []int16) (ceps [][]float64, energy []float64) {
	if len(pcm) < mfccWindow {
		return nil, nil
	}
	n := 1 + (len(pcm)-mfccWindow)/mfccHop
	ceps, energy = make([][]float64, n), make([]float64, n)
	re, im := make([]float64, mfccFFTSize), make([]float64, mfccFFTSize)
	logMel := make([]float64, mfccFilters)
	for t := range n {
		frame := pcm[t*mfccHop : t*mfccHop+mfccWindow]
		power := 0.0
		for i := range re {
			re[i], im[i] = 0, 0
		}
		prev := 0.0
		if t > 0 {
			prev = float64(pcm[t*mfccHop-1])
		}
		for i, s := range frame {
			x := float64(s)
			power += x * x
			re[i] = (x - mfccPreEmphasis*prev) * m.window[i]
			prev = x
		}
		energy[t] = 10 * math.Log10(power/float64(mfccWindow)/(32768*32768)+1e-12)
		m.fft.transform(re, im)
		for i, f := range m.filters {
			e := 0.0
			for j, w := range f.weights {
				b := f.first + j
				e += w * (re[b]*re[b] + im[b]*im[b])
			}
			logMel[i] = math.Log(e + 1)
		}
		c := make([]float64, mfccCeps)
		for k, row := range m.dct {
			for i, v := range logMel {
				c[k] += row[i] * v
			}
		}
		ceps[t] = c
	}
	return ceps, energy
}

// speechSpan finds the first and last frame of the utterance by level.
func speechSpan(energy []float64) (lo, hi int, ok bool) {
	peak := math.Inf(-1)
	for _, e := range energy {
		peak = max(peak, e)
	}
	if peak < speechFloorDBFS {
		return 0, 0, false
	}
	thr := max(speechFloorDBFS, peak-speechRangeDB)
	lo, hi = -1, -1
	for i, e := range energy {
		if e >= thr {
			if lo < 0 {
				lo = i
			}
			hi = i
		}
	}
	return lo, hi, hi-lo+1 >= minSpeechFrames
}
