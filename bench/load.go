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

// paceTick is how often the load generator releases the calls that are due:
// the dialer's send window (dialer.DefaultSendWindow), so one tick's INVITEs
// leave in one batch. sipp's own timer resolution is 10 ms (sipp -h,
// -timer_resol); a tick of 1 ms cost 10% more CPU per call for the wake-ups.
const paceTick = dialer.DefaultSendWindow

// place dials n calls: call i is due i/rate seconds after the first (sipp
// -r), at most conc are in progress (sipp -l). One pacer releases the due
// calls every paceTick, each on a goroutine of its own. each runs on the
// answered call (hang it up, or keep it); its error counts as a failure.
func place(ctx context.Context, d *benchDialer, n int, rate float64, conc int,
	each func(i int, c *dialer.Call) error) placeResult {
	var (
		tried, failed atomic.Int64
		errOnce       sync.Once
		firstErr      error
		wg            sync.WaitGroup
	)
	setup := make([]time.Duration, n)
	answered := make([]bool, n)
	fail := func(err error) {
		failed.Add(1)
		errOnce.Do(func() { firstErr = err })
	}
	call := func(i int) {
		tried.Add(1)
		c, err := d.Dial(ctx, dialer.Request{Trunk: d.trunks[i%len(d.trunks)], Number: benchNumber, NoMedia: true, RingTimeout: 30 * time.Second})
		if err != nil {
			fail(err)
			return
		}
		setup[i], answered[i] = c.Result().SetupTime, true
		if err := each(i, c); err != nil {
			fail(err)
		}
	}
	slots := make(chan struct{}, max(conc, 1))
	tick := time.NewTicker(paceTick)
	defer tick.Stop()
	start := time.Now()
pace:
	for i := 0; i < n; {
		for due := min(n, int(time.Since(start).Seconds()*rate)+1); i < due; i++ {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				break pace
			}
			wg.Add(1)
			go func(i int) { // owned by place, which waits for it
				defer wg.Done()
				defer func() { <-slots }()
				call(i)
			}(i)
		}
		if i == n {
			break
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			break pace
		}
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
