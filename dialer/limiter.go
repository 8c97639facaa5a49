package dialer

import (
	"sync"
	"time"
)

// trunkLimiter enforces one trunk's MaxCalls, CPS (a token bucket) and the
// pause a 503 Retry-After imposes. Time comes from the injected clock.
type trunkLimiter struct {
	maxCalls int
	rate     float64 // tokens per second; 0 = unlimited
	burst    float64

	mu          sync.Mutex
	active      int
	tokens      float64
	last        time.Time
	pausedUntil time.Time
}

func newTrunkLimiter(maxCalls int, cps float64) *trunkLimiter {
	burst := max(1, cps)
	return &trunkLimiter{maxCalls: maxCalls, rate: cps, burst: burst, tokens: burst}
}

// pause stops new dials until now+d (a later pause extends it, never shortens).
func (l *trunkLimiter) pause(now time.Time, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until := now.Add(d); until.After(l.pausedUntil) {
		l.pausedUntil = until
	}
}

// paused returns how long the trunk stays paused (0 = not paused).
func (l *trunkLimiter) paused(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(0, l.pausedUntil.Sub(now))
}

// acquireSlot takes one concurrent-call slot; false when MaxCalls is reached.
func (l *trunkLimiter) acquireSlot() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.maxCalls > 0 && l.active >= l.maxCalls {
		return false
	}
	l.active++
	return true
}

func (l *trunkLimiter) releaseSlot() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.active > 0 {
		l.active--
	}
}

// Active returns the number of calls holding a slot.
func (l *trunkLimiter) Active() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.active
}

// reserve takes one CPS token and returns how long the caller must wait
// before sending (0 = now). Tokens refill continuously at rate per second up
// to burst; a reservation may drive the bucket negative, queueing callers
// fairly behind each other.
func (l *trunkLimiter) reserve(now time.Time) time.Duration {
	if l.rate <= 0 {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.last.IsZero() {
		if el := now.Sub(l.last).Seconds(); el > 0 {
			l.tokens = min(l.burst, l.tokens+el*l.rate)
		}
	}
	l.last = now
	l.tokens--
	if l.tokens >= 0 {
		return 0
	}
	return time.Duration(-l.tokens / l.rate * float64(time.Second))
}

// cancelReservation returns a token taken by reserve when the caller gave up.
func (l *trunkLimiter) cancelReservation() {
	if l.rate <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tokens = min(l.burst, l.tokens+1)
}
