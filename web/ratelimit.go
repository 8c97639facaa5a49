package web

import (
	"sync"
	"time"
)

// loginLimiter allows Burst failed logins per key (IP+user) and refills one
// every Refill; time comes from now. Successful logins clear the key.
type loginLimiter struct {
	mu     sync.Mutex
	now    func() time.Time
	burst  int
	refill time.Duration
	keys   map[string]*bucket
}

type bucket struct {
	fails int
	last  time.Time
}

func newLoginLimiter(now func() time.Time, burst int, refill time.Duration) *loginLimiter {
	return &loginLimiter{now: now, burst: burst, refill: refill, keys: map[string]*bucket{}}
}

// Allow reports whether a login may be tried for key, and if not, when.
func (l *loginLimiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.keys[key]
	if b == nil {
		return true, 0
	}
	l.drain(key, b)
	if b.fails < l.burst {
		return true, 0
	}
	return false, l.refill - l.now().Sub(b.last)
}

func (l *loginLimiter) drain(key string, b *bucket) {
	now := l.now()
	n := int(now.Sub(b.last) / l.refill)
	if n <= 0 {
		return
	}
	b.fails -= n
	b.last = b.last.Add(time.Duration(n) * l.refill)
	if b.fails <= 0 {
		delete(l.keys, key)
	}
}

// Fail records a failed login.
func (l *loginLimiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.keys[key]
	if b == nil {
		if len(l.keys) > 100000 { // bounded memory under a spray
			l.keys = map[string]*bucket{}
		}
		b = &bucket{last: l.now()}
		l.keys[key] = b
	}
	l.drain(key, b)
	if l.keys[key] == nil {
		b = &bucket{last: l.now()}
		l.keys[key] = b
	}
	b.fails++
}

// Reset forgets key after a successful login.
func (l *loginLimiter) Reset(key string) {
	l.mu.Lock()
	delete(l.keys, key)
	l.mu.Unlock()
}
