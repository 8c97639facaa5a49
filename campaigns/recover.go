package campaigns

import (
	"context"
	"errors"
	"fmt"
	"time"
)

func (d *Dispatcher) recoverLoop(ctx context.Context) {
	t := time.NewTicker(d.cfg.RecoverEvery)
	defer t.Stop()
	for {
		if _, err := d.RecoverOnce(ctx); err != nil {
			d.log.Warn("recover", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-d.stop:
			return
		case <-t.C:
		}
	}
}

// RecoverOnce turns expired leases into interrupted attempts retried by
// policy. A lease that expired before its attempt began puts the still
// queued task back on the queue. It returns the number of leases handled.
func (d *Dispatcher) RecoverOnce(ctx context.Context) (int, error) {
	total := 0
	for {
		ls, err := d.cfg.Queue.Recover(ctx, 100)
		if err != nil {
			return total, fmt.Errorf("recover: %w", err)
		}
		for _, l := range ls {
			if d.cfg.OnRecover != nil {
				d.cfg.OnRecover(l)
			}
			if err := d.recoverOne(ctx, l); err != nil {
				d.log.Warn("recover task", "task", l.TaskID, "err", err)
			}
		}
		total += len(ls)
		if len(ls) < 100 {
			return total, nil
		}
	}
}

func (d *Dispatcher) recoverOne(ctx context.Context, l Lease) error {
	now := d.cfg.Now()
	a, t, err := d.cfg.Tasks.LiveAttempt(ctx, l.TaskID, l.Token)
	if errors.Is(err, ErrNotFound) {
		t, err := d.cfg.Tasks.Task(ctx, l.TaskID)
		if err != nil || t.State != TaskQueued {
			return nil // gone or finished elsewhere
		}
		due := t.Due
		if due.Before(now) {
			due = now
		}
		return d.cfg.Queue.Enqueue(ctx, t.CampaignID, []DueTask{{TaskID: t.ID, Due: due}})
	}
	if err != nil {
		return fmt.Errorf("live attempt: %w", err)
	}
	c, err := d.cfg.Tasks.Campaign(ctx, t.CampaignID)
	if err != nil {
		return fmt.Errorf("campaign: %w", err)
	}
	res := CallResult{Outcome: OutcomeInterrupted, Reason: "lease expired", Start: a.Start, End: now}
	dec := c.Retry.Decide(OutcomeInterrupted, t.Outcomes, now, c.Rules.Windows)
	if err := d.cfg.Tasks.FinishAttempt(ctx, a, res, dec); err != nil {
		return fmt.Errorf("finish interrupted attempt: %w", err)
	}
	d.handoff(ctx, t, OutcomeInterrupted, dec)
	if dec.Verdict == VerdictRetry {
		return d.cfg.Queue.Enqueue(ctx, t.CampaignID, []DueTask{{TaskID: t.ID, Due: dec.At}})
	}
	return nil
}
