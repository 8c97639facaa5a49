package node

import (
	"context"
	"fmt"
	"time"

	"outreach/campaigns"
	"outreach/campaigns/queue"
	"outreach/followup"
)

// leaseTTL is the scheduler leadership lease in Redis.
const leaseTTL = 30 * time.Second

// startReconciler rebuilds the Redis dispatch state from the database once
// at start (every role: a flushed or new Redis loses nothing).
func (n *Node) startReconciler(ctx context.Context) error {
	rec := n.queue.NewReconciler(n.store.QueueSnapshot(n.queue.LeaseLength()), n.cfg.Scheduler.Reconcile)
	if err := rec.RunOnce(ctx); err != nil {
		return fmt.Errorf("rebuild queue: %w", err)
	}
	if n.opts.Roles.Scheduler {
		rec.Start(ctx)
		n.own(stopFunc(rec.Stop))
	}
	return nil
}

// startScheduler runs the elected scheduler: one process at a time (Redis
// lock with a fencing token) turns cron occurrences into runs, so each
// occurrence fires once however many schedulers run.
func (n *Node) startScheduler(ctx context.Context) error {
	lock, err := n.queue.NewLeader(n.workerID(), leaseTTL)
	if err != nil {
		return fmt.Errorf("scheduler lock: %w", err)
	}
	s := campaigns.NewScheduler(campaigns.SchedulerConfig{Store: n.store, Queue: &registering{n: n}, Lock: lock,
		Now: n.now, Interval: n.cfg.Scheduler.Interval, Logger: n.log})
	s.Start(ctx)
	n.own(stopFunc(s.Stop))
	return nil
}

// registering registers a campaign's spec before enqueueing its run's tasks
// (the queue needs the campaign's priority and limits first).
type registering struct{ n *Node }

func (r *registering) Enqueue(ctx context.Context, campaignID int64, tasks []campaigns.DueTask) error {
	c, err := r.n.store.Campaign(ctx, campaignID)
	if err != nil {
		return err
	}
	if err := r.n.queue.Register(ctx, queue.SpecOf(c)); err != nil {
		return err
	}
	return r.n.queue.Enqueue(ctx, campaignID, tasks)
}

// Reconcile rebuilds the queue's Redis state from the database now (the
// reconciler also does it at start and every scheduler.reconcile).
func (n *Node) Reconcile(ctx context.Context) error {
	if err := n.setTrunkLimits(ctx); err != nil {
		return err
	}
	return n.queue.NewReconciler(n.store.QueueSnapshot(n.queue.LeaseLength()), time.Hour).RunOnce(ctx)
}

// Tick runs one scheduler round now (tests with an injected clock).
func (n *Node) Tick(ctx context.Context) error {
	lock, err := n.queue.NewLeader(n.workerID()+"-tick", leaseTTL)
	if err != nil {
		return err
	}
	s := campaigns.NewScheduler(campaigns.SchedulerConfig{Store: n.store, Queue: &registering{n: n}, Lock: lock,
		Now: n.now, Logger: n.log})
	_, err = s.Tick(ctx)
	return err
}

// CloseDay raises unreachable alerts for the residents due today who were
// never reached (run after the day's last calling window).
func (n *Node) CloseDay(ctx context.Context, day campaigns.Date, due []followup.Due) ([]followup.Alert, error) {
	return n.follow.CloseDay(ctx, day, due)
}
