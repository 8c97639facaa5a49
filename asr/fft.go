package asr

import (
	"math"
	"math/bits"
)

// fft is an in-place radix-2 complex FFT of one fixed size (a power of
// two), with its twiddle factors and bit-reversal table computed once.
// Safe for concurrent use: it keeps no state between calls.
type fft struct {
	n       int
	rev     []int
	cos     []float64
	sin     []float64
	log2len int
}

func newFFT(n int) *fft {
	if n < 2 || n&(n-1) != 0 {
		panic("asr: fft size must be a power of two")
	}
	f := &fft{n: n, rev: make([]int, n), cos: make([]float64, n/2), sin: make([]float64, n/2),
		log2len: bits.TrailingZeros(uint(n))}
	for i := range f.rev {
		f.rev[i] = int(bits.Reverse(uint(i)) >> (bits.UintSize - f.log2len))
	}
	for i := range f.cos {
		a := -2 * math.Pi * float64(i) / float64(n)
		f.cos[i], f.sin[i] = math.Cos(a), math.Sin(a)
	}
	return f
}

// transform replaces re, im (both of length n) with their DFT.
func (f *fft) transform(re, im []float64) {
	for i, j := range f.rev {
		if i < j {
			re[i], re[j] = re[j], re[i]
			im[i], im[j] = im[j], im[i]
		}
	}
	for size := 2; size <= f.n; size <<= 1 {
		half, step := size/2, f.n/size
		for start := 0; start < f.n; start += size {
			for k := range half {
				wr, wi := f.cos[k*step], f.sin[k*step]
				a, b := start+k, start+k+half
				tr := wr*re[b] - wi*im[b]
				ti := wr*im[b] + wi*re[b]
				re[b], im[b] = re[a]-tr, im[a]-ti
				re[a], im[a] = re[a]+tr, im[a]+ti
			}
		}
	}
}
