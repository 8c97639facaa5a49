package followup

import "time"

// Backoff is exponential backoff with jitter: try n (1-based) waits
// Base·2^(n-1), capped at Max, minus a random share of up to Jitter of it.
type Backoff struct {
	Base   time.Duration
	Max    time.Duration
	Jitter float64 // 0..1; 0.5 = wait between half and all of the step
}

// Delay returns the wait after failed try n, with r in [0,1) the random draw.
func (b Backoff) Delay(n int, r float64) time.Duration {
	d := b.Base
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	if b.Max > 0 && d > b.Max {
		d = b.Max
	}
	j := min(max(b.Jitter, 0), 1)
	return d - time.Duration(j*r*float64(d))
}

func (b Backoff) orDefault(base, maxWait time.Duration) Backoff {
	if b.Base <= 0 {
		b.Base = base
	}
	if b.Max <= 0 {
		b.Max = maxWait
	}
	if b.Jitter == 0 {
		b.Jitter = 0.5
	}
	return b
}
