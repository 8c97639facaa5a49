package asr

import "math"

// dtw is the dynamic time warping distance (Sakoe & Chiba 1978) between
// two feature sequences: the symmetric step pattern with slope constraint
// P = 1, so the warping path is at most twice as steep or as flat as the
// diagonal (one sequence spoken up to twice as fast as the other, never a
// sound stretched without bound). The path joins both first frames and
// both last frames; the distance is the weighted sum of the Euclidean
// frame distances along the best path divided by len(a)+len(b), so
// utterances of any length compare. It is +Inf when no path satisfies
// the constraint (one sequence more than about twice as long as the
// other) or a sequence is empty.
func dtw(a, b [][]float64) float64 {
	n, m := len(a), len(b)
	if n == 0 || m == 0 || m-1 > 2*(n-1) || n-1 > 2*(m-1) {
		return math.Inf(1)
	}
	inf := math.Inf(1)
	// Rows i-2, i-1 and i of the accumulated distance g, and rows i-1 and
	// i of the local distance d.
	g2, g1, g0 := fill(m, inf), fill(m, inf), fill(m, inf)
	d1, d0 := make([]float64, m), make([]float64, m)
	for i := range n {
		for j := range m {
			d0[j] = frameDistance(a[i], b[j])
			g := inf
			switch {
			case i == 0 && j == 0:
				g = 2 * d0[0]
			default:
				if i >= 1 && j >= 1 {
					g = min(g, g1[j-1]+2*d0[j])
				}
				if i >= 2 && j >= 1 {
					g = min(g, g2[j-1]+2*d1[j]+d0[j])
				}
				if i >= 1 && j >= 2 {
					g = min(g, g1[j-2]+2*d0[j-1]+d0[j])
				}
			}
			g0[j] = g
		}
		g2, g1, g0 = g1, g0, g2
		d1, d0 = d0, d1
	}
	return g1[m-1] / float64(n+m)
}

func fill(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// frameDistance is the Euclidean distance of two feature vectors.
func frameDistance(x, y []float64) float64 {
	s := 0.0
	for k := range x {
		d := x[k] - y[k]
		s += d * d
	}
	return math.Sqrt(s)
}
