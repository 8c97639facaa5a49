package queue

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"outreach/campaigns"
)

// Claim hands out up to max due tasks under leases of the configured length:
// urgent campaigns first, round-robin between campaigns of one priority,
// within every line and CPS limit. An empty result means nothing is due or
// every eligible campaign is at a limit.
func (q *Queue) Claim(ctx context.Context, worker string, max int) ([]campaigns.Lease, error) {
	if strings.Contains(worker, "|") {
		return nil, fmt.Errorf("queue claim: worker id contains '|'")
	}
	if max <= 0 {
		max = 1
	}
	now := q.now()
	exp := now.Add(q.lease)
	res, err := q.s.claim.Run(ctx, q.rdb, []string{q.p}, ms(now), q.lease.Milliseconds(), max, worker, newToken()).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("queue claim: %w", err)
	}
	out := make([]campaigns.Lease, 0, len(res)/3)
	for i := 0; i+2 < len(res); i += 3 {
		tid, err1 := strconv.ParseInt(res[i], 10, 64)
		cid, err2 := strconv.ParseInt(res[i+1], 10, 64)
		if err1 != nil || err2 != nil {
			return out, fmt.Errorf("queue claim: bad ids %q/%q", res[i], res[i+1])
		}
		out = append(out, campaigns.Lease{TaskID: tid, CampaignID: cid, Token: res[i+2], Expires: exp})
	}
	return out, nil
}

// Renew extends a lease to now + lease length; it fails with an error
// wrapping campaigns.ErrLeaseLost if the lease expired and was recovered.
func (q *Queue) Renew(ctx context.Context, l campaigns.Lease) (campaigns.Lease, error) {
	ls, err := q.RenewMany(ctx, []campaigns.Lease{l})
	if err != nil {
		return l, err
	}
	if len(ls) == 0 {
		return l, fmt.Errorf("queue renew task %d: %w", l.TaskID, campaigns.ErrLeaseLost)
	}
	return ls[0], nil
}

// RenewMany extends the given leases and returns the ones still held.
func (q *Queue) RenewMany(ctx context.Context, ls []campaigns.Lease) ([]campaigns.Lease, error) {
	exp := q.now().Add(q.lease)
	args := make([]any, 0, 1+2*len(ls))
	args = append(args, ms(exp))
	for _, l := range ls {
		args = append(args, id(l.TaskID), l.Token)
	}
	res, err := q.s.renew.Run(ctx, q.rdb, []string{q.p}, args...).Int64Slice()
	if err != nil {
		return nil, fmt.Errorf("queue renew: %w", err)
	}
	out := make([]campaigns.Lease, 0, len(ls))
	for i, ok := range res {
		if ok == 1 {
			l := ls[i]
			l.Expires = exp
			out = append(out, l)
		}
	}
	return out, nil
}

// Release ends the lease and puts the task back, due at due.
func (q *Queue) Release(ctx context.Context, l campaigns.Lease, due time.Time) error {
	return q.finishOne(ctx, l, strconv.FormatInt(ms(due), 10))
}

// Complete ends the lease and drops the task from the queue.
func (q *Queue) Complete(ctx context.Context, l campaigns.Lease) error {
	return q.finishOne(ctx, l, "-")
}

func (q *Queue) finishOne(ctx context.Context, l campaigns.Lease, due string) error {
	n, err := q.finish(ctx, []campaigns.Lease{l}, []string{due})
	if err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("queue finish task %d: %w", l.TaskID, campaigns.ErrLeaseLost)
	}
	return nil
}

// CompleteMany ends many leases in one script call and returns how many were still held.
func (q *Queue) CompleteMany(ctx context.Context, ls []campaigns.Lease) (int, error) {
	dues := make([]string, len(ls))
	for i := range dues {
		dues[i] = "-"
	}
	return q.finish(ctx, ls, dues)
}

func (q *Queue) finish(ctx context.Context, ls []campaigns.Lease, dues []string) (int, error) {
	args := make([]any, 0, 3*len(ls))
	for i, l := range ls {
		args = append(args, id(l.TaskID), l.Token, dues[i])
	}
	res, err := q.s.finish.Run(ctx, q.rdb, []string{q.p}, args...).Int64Slice()
	if err != nil {
		return 0, fmt.Errorf("queue finish: %w", err)
	}
	n := 0
	for _, ok := range res {
		n += int(ok)
	}
	return n, nil
}

// Recover removes up to max leases expired at now and returns them; every
// expired lease is returned exactly once, whichever process asks.
func (q *Queue) Recover(ctx context.Context, max int) ([]campaigns.Lease, error) {
	if max <= 0 {
		max = 100
	}
	res, err := q.s.recover.Run(ctx, q.rdb, []string{q.p}, ms(q.now()), max).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("queue recover: %w", err)
	}
	out := make([]campaigns.Lease, 0, len(res)/4)
	for i := 0; i+3 < len(res); i += 4 {
		tid, _ := strconv.ParseInt(res[i], 10, 64)
		cid, _ := strconv.ParseInt(res[i+1], 10, 64)
		exp, _ := strconv.ParseFloat(res[i+3], 64)
		out = append(out, campaigns.Lease{TaskID: tid, CampaignID: cid, Token: res[i+2], Expires: time.UnixMilli(int64(exp))})
	}
	return out, nil
}
