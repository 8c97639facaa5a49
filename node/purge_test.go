package node

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"
)

// fakeExpirer hands every PurgeExpired call's time to calls; when block is
// set, a call closes it and waits for its context to end instead.
type fakeExpirer struct {
	calls chan time.Time
	block bool
	err   error
}

func (f *fakeExpirer) PurgeExpired(ctx context.Context, now time.Time) (int64, error) {
	if f.block {
		close(f.calls)
		<-ctx.Done()
		return 0, ctx.Err()
	}
	select {
	case f.calls <- now:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	return 1, f.err
}

func TestPurgerRunsAndStops(t *testing.T) {
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		err  error
	}{{"ok", nil}, {"store error is logged, loop goes on", errors.New("db down")}} {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeExpirer{calls: make(chan time.Time), err: c.err}
			p := newPurger(f, func() time.Time { return t0 }, time.Millisecond, slog.New(slog.DiscardHandler))
			p.Start(context.Background())
			for i := range 2 { // once at start, then on the ticker
				if got := <-f.calls; !got.Equal(t0) {
					t.Fatalf("call %d at %v, want the injected clock's %v", i, got, t0)
				}
			}
			p.Stop()
			p.Stop() // twice is harmless
		})
	}
}

func TestPurgerStopCancelsPurgeUnderWay(t *testing.T) {
	f := &fakeExpirer{calls: make(chan time.Time), block: true}
	p := newPurger(f, time.Now, time.Hour, slog.New(slog.DiscardHandler))
	p.Start(context.Background())
	<-f.calls // the purge is under way
	p.Stop()  // returns only if the blocked purge saw its context end
}

func TestPurgerStopWithoutStart(t *testing.T) {
	newPurger(&fakeExpirer{}, time.Now, time.Hour, slog.New(slog.DiscardHandler)).Stop()
}
