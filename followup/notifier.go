package followup

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// Deliverer sends one event (Webhook implements it).
type Deliverer interface {
	Deliver(ctx context.Context, ev Event) (tries int, err error)
}

// NotifierConfig configures a Notifier.
type NotifierConfig struct {
	Outbox   Outbox
	Sender   Deliverer
	Interval time.Duration // outbox poll period; default 5 s (Kick wakes it sooner)
	Batch    int           // events per poll; default 50
	// Retry spaces delivery rounds that failed (each round is Sender's own
	// tries); default 1 min doubling to 1 h, jitter 0.5.
	Retry     Backoff
	MaxRounds int // rounds before giving up on an event; default 24
	Now       func() time.Time
	Rand      func() float64
	Logger    *slog.Logger
}

// Notifier drains the outbox to the webhook: a long-lived worker with
// Start/Stop. Events are delivered one at a time in the order the outbox
// returns them; within a round, an alert whose event failed has its later
// events held back. Every payload carries the alert's whole state and the
// event time, so a receiver can also order by them.
type Notifier struct {
	cfg  NotifierConfig
	log  *slog.Logger
	kick chan struct{}

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// NewNotifier checks cfg and fills in defaults.
func NewNotifier(cfg NotifierConfig) (*Notifier, error) {
	if cfg.Outbox == nil || cfg.Sender == nil {
		return nil, errors.New("notifier: Outbox and Sender are required")
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 5 * time.Second
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 50
	}
	cfg.Retry = cfg.Retry.orDefault(time.Minute, time.Hour)
	if cfg.MaxRounds <= 0 {
		cfg.MaxRounds = 24
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Float64
	}
	n := &Notifier{cfg: cfg, log: cfg.Logger, kick: make(chan struct{}, 1)}
	if n.log == nil {
		n.log = slog.New(slog.DiscardHandler)
	}
	return n, nil
}

// Kick wakes the worker to look at the outbox now (never blocks). Pass it
// as Config.Wake of the Service.
func (n *Notifier) Kick() {
	select {
	case n.kick <- struct{}{}:
	default:
	}
}

// Start runs the worker until ctx ends or Stop is called. Starting a
// running Notifier does nothing.
func (n *Notifier) Start(ctx context.Context) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cancel != nil {
		return
	}
	ctx, n.cancel = context.WithCancel(ctx)
	n.done = make(chan struct{})
	go n.loop(ctx, n.done)
}

// Stop ends the worker and waits for it; an in-flight request is cancelled
// and its event stays in the outbox.
func (n *Notifier) Stop() {
	n.mu.Lock()
	cancel, done := n.cancel, n.done
	n.cancel, n.done = nil, nil
	n.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

func (n *Notifier) loop(ctx context.Context, done chan struct{}) {
	defer close(done)
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-n.kick:
		}
		n.drain(ctx)
		t.Reset(n.cfg.Interval)
	}
}

// drain runs rounds while they deliver something: events held back behind
// an alert's older event become due as soon as that one is delivered.
func (n *Notifier) drain(ctx context.Context) {
	for ctx.Err() == nil {
		k, err := n.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			n.log.Warn("notifier round", "err", err)
		}
		if k == 0 || err != nil {
			return
		}
	}
}

// RunOnce delivers the due events of one batch and returns how many were
// delivered. A failed event is rescheduled with backoff, or given up after
// MaxRounds rounds.
func (n *Notifier) RunOnce(ctx context.Context) (int, error) {
	due, err := n.cfg.Outbox.Due(ctx, n.cfg.Now(), n.cfg.Batch)
	if err != nil {
		return 0, err
	}
	delivered := 0
	held := map[string]bool{} // alerts with an event that failed this round
	for _, p := range due {
		if ctx.Err() != nil {
			return delivered, ctx.Err()
		}
		if held[p.Event.Alert.Key] {
			continue // keep an alert's events in order: the next round retries
		}
		_, derr := n.cfg.Sender.Deliver(ctx, p.Event)
		if derr == nil {
			delivered++
			if err := n.cfg.Outbox.Delivered(ctx, p.Event.ID, n.cfg.Now()); err != nil {
				return delivered, err
			}
			continue
		}
		if ctx.Err() != nil {
			return delivered, ctx.Err()
		}
		held[p.Event.Alert.Key] = true
		if err := n.failed(ctx, p, derr); err != nil {
			return delivered, err
		}
	}
	return delivered, nil
}

func (n *Notifier) failed(ctx context.Context, p Pending, derr error) error {
	rounds := p.Attempts + 1
	var next time.Time
	var de *DeliveryError
	permanent := errors.As(derr, &de) && de.Permanent
	if rounds < n.cfg.MaxRounds && !permanent {
		next = n.cfg.Now().Add(n.cfg.Retry.Delay(rounds, n.cfg.Rand()))
	}
	n.log.Warn("webhook event not delivered", "event", p.Event.ID, "rounds", rounds, "give_up", next.IsZero(), "err", derr)
	return n.cfg.Outbox.Failed(ctx, p.Event.ID, rounds, next, derr.Error())
}
