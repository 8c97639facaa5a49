package bench

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"outreach/dialer"
)

// benchNumber is the number every bench call dials (sipp ignores it).
const benchNumber = "13800138000"

// benchDialer is a started dialer with one trunk per far end; call i goes
// through trunks[i%len(trunks)].
type benchDialer struct {
	*dialer.Dialer
	trunks []string
}

// newDialer starts a dialer with a trunk to each target, without limits:
// the load generator paces calls itself, like sipp's -r and -l.
func newDialer(ctx context.Context, targets []string, logger *slog.Logger) (*benchDialer, error) {
	cfg := dialer.Config{ListenAddr: "127.0.0.1:0", Logger: logger}
	bd := &benchDialer{}
	for i, t := range targets {
		name := fmt.Sprintf("bench%d", i)
		cfg.Trunks = append(cfg.Trunks, dialer.Trunk{Name: name, Addr: t, CallerID: "02150001234"})
		bd.trunks = append(bd.trunks, name)
	}
	d, err := dialer.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("bench dialer: %w", err)
	}
	if err := d.Start(ctx); err != nil {
		return nil, fmt.Errorf("bench dialer: %w", err)
	}
	bd.Dialer = d
	return bd, nil
}

// placeResult is what one load run did.
type placeResult struct {
	OK, Failed int
	Wall       time.Duration
	Setup      []time.Duration // INVITE → 2xx of the answered calls, sorted
	FirstErr   error
}

// place dials n calls: call i starts at i/rate seconds after the first
// (sipp -r), at most conc are in progress (sipp -l). each runs on the
// answered call (hang it up, or keep it); its error counts as a failure.
func place(ctx context.Context, d *benchDialer, n int, rate float64, conc int,
	each func(i int, c *dialer.Call) error) placeResult {
	var (
		next, tried, failed atomic.Int64
		errOnce             sync.Once
		firstErr            error
		wg                  sync.WaitGroup
	)
	setup := make([]time.Duration, n)
	answered := make([]bool, n)
	period := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	fail := func(err error) {
		failed.Add(1)
		errOnce.Do(func() { firstErr = err })
	}
	for range min(conc, n) {
		wg.Add(1)
		go func() { // owned by place: returns when the calls run out or ctx ends
			defer wg.Done()
			tm := time.NewTimer(0)
			defer tm.Stop()
			<-tm.C
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if wait := time.Until(start.Add(time.Duration(i) * period)); wait > 0 {
					tm.Reset(wait)
					select {
					case <-tm.C:
					case <-ctx.Done():
						return
					}
				}
				tried.Add(1)
				c, err := d.Dial(ctx, dialer.Request{Trunk: d.trunks[i%len(d.trunks)], Number: benchNumber, NoMedia: true, RingTimeout: 30 * time.Second})
				if err != nil {
					fail(err)
					continue
				}
				setup[i], answered[i] = c.Result().SetupTime, true
				if err := each(i, c); err != nil {
					fail(err)
				}
			}
		}()
	}
	wg.Wait()
	res := placeResult{Wall: time.Since(start), Failed: int(failed.Load()), FirstErr: firstErr}
	for i, ok := range answered {
		if ok {
			res.Setup = append(res.Setup, setup[i])
		}
	}
	res.OK = int(tried.Load()) - res.Failed
	slices.Sort(res.Setup)
	return res
}
