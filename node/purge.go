package node

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// purgeEvery is how often the api role deletes expired sessions and
// Idempotency-Key records (reads already ignore them; this only keeps the
// tables small).
const purgeEvery = 10 * time.Minute

// expirer deletes the rows that expired at or before now
// (*storage.Store implements it).
type expirer interface {
	PurgeExpired(ctx context.Context, now time.Time) (int64, error)
}

// purger runs PurgeExpired at start and then every interval until Stop
// or its context ends.
type purger struct {
	store    expirer
	now      func() time.Time
	interval time.Duration
	log      *slog.Logger
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

func newPurger(store expirer, now func() time.Time, interval time.Duration, log *slog.Logger) *purger {
	return &purger{store: store, now: now, interval: interval, log: log, cancel: func() {}}
}

// Start runs the loop in its own goroutine (call it once).
func (p *purger) Start(ctx context.Context) {
	ctx, p.cancel = context.WithCancel(ctx)
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(p.interval)
		defer t.Stop()
		for {
			p.runOnce(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

func (p *purger) runOnce(ctx context.Context) {
	qctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	n, err := p.store.PurgeExpired(qctx, p.now())
	switch {
	case err != nil && ctx.Err() == nil: // not stopping
		p.log.Warn("purge expired sessions and idempotency keys", "err", err)
	case n > 0:
		p.log.Debug("purged expired sessions and idempotency keys", "rows", n)
	}
}

// Stop ends the loop (cancelling a purge under way) and waits for it.
func (p *purger) Stop() {
	p.cancel()
	p.wg.Wait()
}
