package campaigns

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// DispatcherConfig configures a Dispatcher (one per robot process).
type DispatcherConfig struct {
	Worker       string // unique per process; no '|'
	Queue        Queue
	Tasks        TaskStore
	Rules        RuleStore
	Placer       Placer
	Handoff      Handoff          // nil: exhausted tasks and do-not-call offers are only logged
	Now          func() time.Time // nil = time.Now
	Lines        int              // calls this process places at once; default 4
	Poll         time.Duration    // wait when nothing is due; default 500 ms
	RenewEvery   time.Duration    // lease renewal period; default 10 s (a third of a 30 s lease)
	RecoverEvery time.Duration    // expired-lease sweep period; default 5 s
	OnRecover    func(Lease)      // called for each expired lease recovered (metrics); nil = none
	Logger       *slog.Logger
}

// Dispatcher claims tasks, checks the calling rules, records the attempt,
// hands the call to the Placer, records the result and applies the retry
// policy. It also recovers expired leases. All I/O is behind interfaces.
type Dispatcher struct {
	cfg   DispatcherConfig
	log   *slog.Logger
	slots chan struct{}
	stop  chan struct{}
	once  sync.Once
	loops sync.WaitGroup // claim and recover loops
	calls sync.WaitGroup // live calls
}

// NewDispatcher checks cfg and returns a dispatcher; Start runs it.
func NewDispatcher(cfg DispatcherConfig) (*Dispatcher, error) {
	if cfg.Queue == nil || cfg.Tasks == nil || cfg.Rules == nil || cfg.Placer == nil || cfg.Worker == "" {
		return nil, errors.New("dispatcher: worker, queue, tasks, rules and placer are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Lines <= 0 {
		cfg.Lines = 4
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 500 * time.Millisecond
	}
	if cfg.RenewEvery <= 0 {
		cfg.RenewEvery = 10 * time.Second
	}
	if cfg.RecoverEvery <= 0 {
		cfg.RecoverEvery = 5 * time.Second
	}
	return &Dispatcher{cfg: cfg, log: orDiscard(cfg.Logger), slots: make(chan struct{}, cfg.Lines), stop: make(chan struct{})}, nil
}

// Start runs the claim loop and the recover loop until Stop or ctx ends.
// Calls in progress are placed with ctx.
func (d *Dispatcher) Start(ctx context.Context) {
	d.loops.Add(2)
	go func() { defer d.loops.Done(); d.claimLoop(ctx) }()
	go func() { defer d.loops.Done(); d.recoverLoop(ctx) }()
}

// Stop stops claiming and waits for live calls to finish.
func (d *Dispatcher) Stop() {
	d.once.Do(func() { close(d.stop) })
	d.loops.Wait()
	d.calls.Wait()
}

func (d *Dispatcher) claimLoop(ctx context.Context) {
	for {
		n, err := d.ClaimOnce(ctx)
		if err != nil {
			d.log.Warn("claim", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		t := time.NewTimer(d.cfg.Poll)
		select {
		case <-ctx.Done():
		case <-d.stop:
		case <-t.C:
		}
		t.Stop()
		if ctx.Err() != nil || d.stopped() {
			return
		}
	}
}

func (d *Dispatcher) stopped() bool {
	select {
	case <-d.stop:
		return true
	default:
		return false
	}
}

// ClaimOnce waits for at least one free line, claims up to the free lines
// and starts a handler per lease. It returns the number of leases started.
func (d *Dispatcher) ClaimOnce(ctx context.Context) (int, error) {
	select {
	case d.slots <- struct{}{}:
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-d.stop:
		return 0, nil
	}
	free := 1
	for free < d.cfg.Lines {
		select {
		case d.slots <- struct{}{}:
			free++
			continue
		default:
		}
		break
	}
	ls, err := d.cfg.Queue.Claim(ctx, d.cfg.Worker, free)
	for i := len(ls); i < free; i++ {
		<-d.slots
	}
	if err != nil {
		return 0, fmt.Errorf("dispatcher: %w", err)
	}
	for _, l := range ls {
		d.calls.Add(1)
		go func() {
			defer d.calls.Done()
			defer func() { <-d.slots }()
			if err := d.Handle(ctx, l); err != nil {
				d.log.Warn("task", "task", l.TaskID, "campaign", l.CampaignID, "err", err)
			}
		}()
	}
	return len(ls), nil
}

// Wait blocks until every call started so far has finished.
func (d *Dispatcher) Wait() { d.calls.Wait() }
