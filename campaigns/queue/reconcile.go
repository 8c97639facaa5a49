package queue

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"outreach/campaigns"
)

// Live is an attempt the database holds as dialing, with its lease.
type Live struct {
	TaskID     int64
	CampaignID int64
	Trunk      string
	Token      string
	Worker     string
	Expires    time.Time
}

// Snapshot is the dispatch state as the database sees it.
type Snapshot struct {
	Campaigns []Spec                        // campaigns that may have due tasks
	Due       map[int64][]campaigns.DueTask // queued tasks per campaign
	Live      []Live                        // attempts dialing
}

// rebuildBatch is the number of tasks per enqueue script call.
const rebuildBatch = 5000

// Rebuild makes Redis agree with the database snapshot, at start and
// periodically. It only adds: settings are rewritten, queued tasks are added
// (moved to the database's due time) unless under a live lease, missing
// leases of live attempts are re-created and the line counters recounted.
// A task left in Redis that the database no longer holds as queued is
// dropped at claim time by the dispatcher's conditional update.
func (q *Queue) Rebuild(ctx context.Context, s Snapshot) error {
	for _, c := range s.Campaigns {
		if err := q.Register(ctx, c); err != nil {
			return fmt.Errorf("queue rebuild: %w", err)
		}
	}
	if err := q.restore(ctx, s.Live); err != nil {
		return err
	}
	for cid, tasks := range s.Due {
		for i := 0; i < len(tasks); i += rebuildBatch {
			chunk := tasks[i:min(i+rebuildBatch, len(tasks))]
			args := make([]any, 0, 1+2*len(chunk))
			args = append(args, id(cid))
			for _, t := range chunk {
				args = append(args, id(t.TaskID), ms(t.Due))
			}
			if err := q.s.enqueue.Run(ctx, q.rdb, []string{q.p}, args...).Err(); err != nil {
				return fmt.Errorf("queue rebuild campaign %d: %w", cid, err)
			}
		}
	}
	return nil
}

func (q *Queue) restore(ctx context.Context, live []Live) error {
	args := make([]any, 0, 6*len(live))
	for _, l := range live {
		if strings.Contains(l.Worker+l.Trunk+l.Token, "|") {
			return fmt.Errorf("queue rebuild: lease of task %d has '|' in a field", l.TaskID)
		}
		args = append(args, id(l.TaskID), id(l.CampaignID), l.Trunk, l.Token, l.Worker, ms(l.Expires))
	}
	if err := q.s.restore.Run(ctx, q.rdb, []string{q.p}, args...).Err(); err != nil {
		return fmt.Errorf("queue rebuild leases: %w", err)
	}
	return nil
}

// SnapshotSource reads the dispatch state from the database (storage implements it).
type SnapshotSource interface {
	Snapshot(ctx context.Context) (Snapshot, error)
}

// Reconciler rebuilds the queue from the database at start and every Interval.
type Reconciler struct {
	q        *Queue
	src      SnapshotSource
	interval time.Duration
	stop     chan struct{}
	once     sync.Once
	wg       sync.WaitGroup
}

// NewReconciler returns a reconciler; interval defaults to 5 minutes.
func (q *Queue) NewReconciler(src SnapshotSource, interval time.Duration) *Reconciler {
	if interval <= 0 {
		interval = 5 * time.Minute
	}
	return &Reconciler{q: q, src: src, interval: interval, stop: make(chan struct{})}
}

// RunOnce reads a snapshot and rebuilds from it.
func (r *Reconciler) RunOnce(ctx context.Context) error {
	s, err := r.src.Snapshot(ctx)
	if err != nil {
		return fmt.Errorf("reconcile: snapshot: %w", err)
	}
	return r.q.Rebuild(ctx, s)
}

// Start runs RunOnce now and then every interval until Stop or ctx ends.
func (r *Reconciler) Start(ctx context.Context) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		t := time.NewTicker(r.interval)
		defer t.Stop()
		for {
			if err := r.RunOnce(ctx); err != nil {
				r.q.log.Warn("reconcile", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-r.stop:
				return
			case <-t.C:
			}
		}
	}()
}

// Stop ends the loop and waits for it.
func (r *Reconciler) Stop() {
	r.once.Do(func() { close(r.stop) })
	r.wg.Wait()
}
