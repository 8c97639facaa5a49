package campaigns

import (
	"context"
	"errors"
	"fmt"
	"time"

	"outreach/mask"
)

// Handle takes one claimed task end to end: rule check, attempt fence,
// call with lease renewal, result, retry decision, queue update.
func (d *Dispatcher) Handle(ctx context.Context, l Lease) error {
	q := d.cfg.Queue
	t, err := d.cfg.Tasks.Task(ctx, l.TaskID)
	if errors.Is(err, ErrNotFound) || (err == nil && t.State != TaskQueued) {
		return q.Complete(ctx, l) // stale queue entry: the database says otherwise
	}
	if err != nil {
		_ = q.Release(ctx, l, d.cfg.Now().Add(d.cfg.Poll))
		return fmt.Errorf("handle task %d: %w", l.TaskID, err)
	}
	c, err := d.cfg.Tasks.Campaign(ctx, t.CampaignID)
	if err != nil {
		_ = q.Release(ctx, l, d.cfg.Now().Add(d.cfg.Poll))
		return fmt.Errorf("handle task %d: campaign: %w", t.ID, err)
	}
	switch {
	case c.State.Final():
		return q.Complete(ctx, l)
	case !c.State.Claimable():
		return q.Release(ctx, l, d.cfg.Now().Add(d.cfg.Poll))
	}
	now := d.cfg.Now()
	rd, err := c.Rules.Check(ctx, d.cfg.Rules, t, now)
	if err != nil {
		_ = q.Release(ctx, l, now.Add(d.cfg.Poll))
		return fmt.Errorf("handle task %d: %w", t.ID, err)
	}
	switch rd.Verdict {
	case RuleDefer:
		if err := d.cfg.Tasks.Defer(ctx, t.ID, rd.At, rd.Reason); err != nil {
			return fmt.Errorf("handle task %d: defer: %w", t.ID, err)
		}
		return q.Release(ctx, l, rd.At)
	case RuleRefuse:
		d.log.Info("task refused", "task", t.ID, "reason", rd.Reason, "phone", mask.Phone(t.Phone))
		if err := d.cfg.Tasks.Close(ctx, t.ID, rd.Reason); err != nil {
			return fmt.Errorf("handle task %d: close: %w", t.ID, err)
		}
		return q.Complete(ctx, l)
	}
	t.Phone = rd.Phone
	a, err := d.cfg.Tasks.BeginAttempt(ctx, t.ID, l.Token, d.cfg.Worker, now)
	if errors.Is(err, ErrNotQueued) {
		return q.Complete(ctx, l) // another worker holds it: never dial twice
	}
	if err != nil {
		_ = q.Release(ctx, l, now.Add(d.cfg.Poll))
		return fmt.Errorf("handle task %d: begin attempt: %w", t.ID, err)
	}
	return d.call(ctx, c, t, a, l)
}

// finishTimeout bounds the writes that record a finished call.
const finishTimeout = 10 * time.Second

// call places the call while renewing the lease, then records the result.
func (d *Dispatcher) call(ctx context.Context, c Campaign, t Task, a Attempt, l Lease) error {
	callCtx, cancel := context.WithCancel(ctx)
	renewDone := make(chan struct{})
	go func() { defer close(renewDone); d.renew(callCtx, cancel, l) }()
	res, err := d.cfg.Placer.Place(callCtx, c, t, a)
	aborted := callCtx.Err() != nil // lease lost or process shutting down
	cancel()
	<-renewDone
	switch {
	case aborted && (res.Outcome == OutcomeUnknown || res.Outcome == OutcomeCancelled):
		res.Outcome, res.Reason = OutcomeInterrupted, "call aborted by the robot"
	case err != nil && res.Outcome == OutcomeUnknown:
		res.Outcome, res.Reason = OutcomeTrunkError, err.Error()
	}
	if res.End.IsZero() {
		res.End = d.cfg.Now()
	}
	// The call is over: record it even if ctx was cancelled meanwhile.
	ctx, stop := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer stop()
	dec := c.Retry.Decide(res.Outcome, t.Outcomes, res.End, c.Rules.Windows)
	if err := d.cfg.Tasks.FinishAttempt(ctx, a, res, dec); err != nil {
		// ErrLeaseLost: the recoverer already finished it as interrupted.
		return fmt.Errorf("handle task %d: finish attempt: %w", t.ID, err)
	}
	d.handoff(ctx, t, res.Outcome, dec)
	if dec.Verdict == VerdictRetry {
		err := d.cfg.Queue.Release(ctx, l, dec.At)
		if errors.Is(err, ErrLeaseLost) { // the lease is gone: put the retry on the queue anyway
			err = d.cfg.Queue.Enqueue(ctx, t.CampaignID, []DueTask{{TaskID: t.ID, Due: dec.At}})
		}
		return err
	}
	if err := d.cfg.Queue.Complete(ctx, l); err != nil && !errors.Is(err, ErrLeaseLost) {
		return err
	}
	return nil
}

// renew keeps the lease alive while the call lives; a lost lease hangs up,
// so that a task never has two live calls.
func (d *Dispatcher) renew(ctx context.Context, hangup context.CancelFunc, l Lease) {
	t := time.NewTicker(d.cfg.RenewEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := d.cfg.Queue.Renew(ctx, l); err != nil {
			if ctx.Err() != nil {
				return
			}
			if errors.Is(err, ErrLeaseLost) {
				d.log.Warn("lease lost: hanging up", "task", l.TaskID, "err", err)
				hangup()
				return
			}
			d.log.Warn("lease renewal failed, will retry", "task", l.TaskID, "err", err)
		}
	}
}

func (d *Dispatcher) handoff(ctx context.Context, t Task, o Outcome, dec Decision) {
	if d.cfg.Handoff == nil {
		if dec.Verdict == VerdictExhausted || dec.OfferDNC {
			d.log.Info("task needs a person", "task", t.ID, "verdict", dec.Verdict, "outcome", o)
		}
		return
	}
	if dec.Verdict == VerdictExhausted {
		if err := d.cfg.Handoff.Exhausted(ctx, t, o); err != nil {
			d.log.Warn("handoff exhausted", "task", t.ID, "err", err)
		}
	}
	if dec.OfferDNC {
		if err := d.cfg.Handoff.OfferDoNotCall(ctx, t); err != nil {
			d.log.Warn("handoff do-not-call", "task", t.ID, "err", err)
		}
	}
}
