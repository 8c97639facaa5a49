package storage

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"outreach/campaigns"
)

// lockKey is the advisory lock key of the scheduler election: one per
// schema, so deployments (and tests) sharing a server do not collide.
const lockKey = `hashtext(current_schema() || '.outreach.scheduler')`

// SchedulerLock elects one scheduler among the processes sharing the
// database (campaigns.Lock). On PostgreSQL it is a session advisory lock
// held on a dedicated connection: losing the connection loses the lock.
// The fence grows with every change of holder. The embedded store serves
// one process, whose lock is always granted.
func (s *Store) SchedulerLock() campaigns.Lock { return &pgLock{s: s} }

type pgLock struct {
	s     *Store
	mu    sync.Mutex
	conn  *pgxpool.Conn
	fence int64
}

// Acquire acquires the lock or checks it is still held.
func (l *pgLock) Acquire(ctx context.Context) (int64, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	pg, ok := l.s.b.(*pgBackend)
	if !ok {
		if l.fence == 0 {
			f, err := l.nextFence(ctx, l.s.b)
			if err != nil {
				return 0, false, err
			}
			l.fence = f
		}
		return l.fence, true, nil
	}
	if l.conn != nil {
		if _, err := l.conn.Exec(ctx, `SELECT 1`); err == nil {
			return l.fence, true, nil
		}
		l.conn.Release() // the session, and the lock with it, is gone
		l.conn, l.fence = nil, 0
	}
	conn, err := pg.pool.Acquire(ctx)
	if err != nil {
		return 0, false, fmt.Errorf("scheduler lock: %w", err)
	}
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(`+lockKey+`)`).Scan(&got); err != nil || !got {
		conn.Release()
		if err != nil {
			return 0, false, fmt.Errorf("scheduler lock: %w", err)
		}
		return 0, false, nil
	}
	f, err := l.nextFence(ctx, l.s.b)
	if err != nil {
		_, _ = conn.Exec(ctx, `SELECT pg_advisory_unlock(`+lockKey+`)`)
		conn.Release()
		return 0, false, err
	}
	l.conn, l.fence = conn, f
	return f, true, nil
}

func (l *pgLock) nextFence(ctx context.Context, q querier) (int64, error) {
	var f int64
	err := q.QueryRow(ctx, `INSERT INTO fences (name, fence) VALUES ('scheduler_lock', 1)
		ON CONFLICT (name) DO UPDATE SET fence = fences.fence + 1 RETURNING fence`).Scan(&f)
	if err != nil {
		return 0, fmt.Errorf("scheduler lock: fence: %w", err)
	}
	return f, nil
}

// Release gives the lock up.
func (l *pgLock) Release(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		l.fence = 0
		return nil
	}
	_, err := l.conn.Exec(ctx, `SELECT pg_advisory_unlock(`+lockKey+`)`)
	l.conn.Release()
	l.conn, l.fence = nil, 0
	if err != nil {
		return fmt.Errorf("scheduler lock: release: %w", err)
	}
	return nil
}
