package campaigns

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// RunStore is the part of storage the scheduler needs.
type RunStore interface {
	// ScheduledCampaigns lists the campaigns whose schedule may fire (scheduled or running).
	ScheduledCampaigns(ctx context.Context) ([]Campaign, error)
	// LastOccurrence returns the latest occurrence that has a run (zero if none).
	LastOccurrence(ctx context.Context, campaignID int64) (time.Time, error)
	// CreateRun creates the run of one occurrence and its tasks, at most once
	// per (campaign, occurrence), and returns the tasks created (none if the
	// run existed). A fence lower than the highest one seen must be refused:
	// it comes from a scheduler that lost its leadership.
	CreateRun(ctx context.Context, fence int64, c Campaign, occurrence time.Time) ([]DueTask, error)
}

// Lock elects one scheduler among many processes (campaigns/queue.Leader on
// Redis, or a PostgreSQL advisory lock). Acquire acquires or renews; fence
// grows with every change of holder.
type Lock interface {
	Acquire(ctx context.Context) (fence int64, ok bool, err error)
	Release(ctx context.Context) error
}

// SchedulerConfig configures a Scheduler.
type SchedulerConfig struct {
	Store    RunStore
	Queue    Enqueuer
	Lock     Lock
	Now      func() time.Time // nil = time.Now
	Interval time.Duration    // between ticks; default 15 s
	MaxLag   time.Duration    // oldest missed occurrence still fired; default 1 h
	Logger   *slog.Logger
}

// Scheduler turns schedule occurrences into runs on the elected process.
type Scheduler struct {
	cfg  SchedulerConfig
	log  *slog.Logger
	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

// NewScheduler returns a scheduler; Start runs it.
func NewScheduler(cfg SchedulerConfig) *Scheduler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 15 * time.Second
	}
	if cfg.MaxLag <= 0 {
		cfg.MaxLag = time.Hour
	}
	return &Scheduler{cfg: cfg, log: orDiscard(cfg.Logger), stop: make(chan struct{})}
}

// Tick runs one round: if this process holds the lock, every occurrence
// since the last run (bounded by MaxLag) gets its run and its tasks are
// enqueued. It reports whether this process led.
func (s *Scheduler) Tick(ctx context.Context) (bool, error) {
	fence, ok, err := s.cfg.Lock.Acquire(ctx)
	if err != nil || !ok {
		return false, err
	}
	now := s.cfg.Now()
	camps, err := s.cfg.Store.ScheduledCampaigns(ctx)
	if err != nil {
		return true, fmt.Errorf("scheduler: list campaigns: %w", err)
	}
	for _, c := range camps {
		if err := s.fire(ctx, fence, c, now); err != nil {
			return true, err
		}
	}
	return true, nil
}

func (s *Scheduler) fire(ctx context.Context, fence int64, c Campaign, now time.Time) error {
	last, err := s.cfg.Store.LastOccurrence(ctx, c.ID)
	if err != nil {
		return fmt.Errorf("scheduler: campaign %d: last occurrence: %w", c.ID, err)
	}
	// MaxLag stops a recurring campaign from replaying a backlog after an
	// outage. A one-off run that has not happened yet is owed whatever its
	// age: a campaign launched hours after its At (or after a long outage)
	// still gets its single run, once (the run is keyed by At).
	if floor := now.Add(-s.cfg.MaxLag - time.Nanosecond); last.Before(floor) && (c.Schedule.Recurring() || !last.IsZero()) {
		last = floor
	}
	occ, err := c.Schedule.Occurrences(last, now)
	if err != nil {
		return fmt.Errorf("scheduler: campaign %d: %w", c.ID, err)
	}
	for _, at := range occ {
		tasks, err := s.cfg.Store.CreateRun(ctx, fence, c, at)
		if err != nil {
			return fmt.Errorf("scheduler: campaign %d run %s: %w", c.ID, at.Format(time.RFC3339), err)
		}
		if len(tasks) == 0 { // the run existed already, or selects no one today
			s.log.Debug("run has no new tasks", "campaign", c.ID, "occurrence", at)
			continue
		}
		if err := s.cfg.Queue.Enqueue(ctx, c.ID, tasks); err != nil {
			return fmt.Errorf("scheduler: campaign %d enqueue: %w", c.ID, err)
		}
		s.log.Info("run created", "campaign", c.ID, "occurrence", at, "tasks", len(tasks))
	}
	return nil
}

// Start ticks every Interval until Stop or ctx ends.
func (s *Scheduler) Start(ctx context.Context) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(s.cfg.Interval)
		defer t.Stop()
		for {
			if _, err := s.Tick(ctx); err != nil {
				s.log.Warn("scheduler tick", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
}

// Stop ends the loop, waits for it and releases the lock.
func (s *Scheduler) Stop() {
	s.once.Do(func() { close(s.stop) })
	s.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = s.cfg.Lock.Release(ctx)
}

func orDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}
