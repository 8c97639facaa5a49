package queue

import (
	"context"
	"fmt"
	"strings"
	"time"

	"outreach/campaigns"
)

// Leader is a Redis lock electing one scheduler among many processes. Each
// change of holder yields a larger fencing token, which storage uses to
// refuse writes from a scheduler that lost the lock.
type Leader struct {
	q   *Queue
	me  string
	ttl time.Duration
}

var _ campaigns.Lock = (*Leader)(nil)

// NewLeader returns the lock for candidate me; ttl is how long it holds
// without renewal (Acquire renews).
func (q *Queue) NewLeader(me string, ttl time.Duration) (*Leader, error) {
	if me == "" || strings.Contains(me, "|") {
		return nil, fmt.Errorf("queue leader: bad candidate id %q", me)
	}
	if ttl <= 0 {
		ttl = 30 * time.Second
	}
	return &Leader{q: q, me: me, ttl: ttl}, nil
}

// Acquire takes or renews the lock. ok is false while another candidate holds it.
func (l *Leader) Acquire(ctx context.Context) (fence int64, ok bool, err error) {
	f, err := l.q.s.leader.Run(ctx, l.q.rdb, []string{l.q.p}, l.me, ms(l.q.now()), l.ttl.Milliseconds()).Int64()
	if err != nil {
		return 0, false, fmt.Errorf("queue leader acquire: %w", err)
	}
	return f, f > 0, nil
}

// Release gives the lock up if held.
func (l *Leader) Release(ctx context.Context) error {
	if err := l.q.s.resign.Run(ctx, l.q.rdb, []string{l.q.p}, l.me).Err(); err != nil {
		return fmt.Errorf("queue leader release: %w", err)
	}
	return nil
}
