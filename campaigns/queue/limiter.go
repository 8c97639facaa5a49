package queue

import (
	"context"
	"fmt"
	"strconv"

	"outreach/campaigns"
)

// SetGlobalLimits sets the line and CPS limits over all campaigns and trunks
// (zero = no limit). They apply to the next claim on every worker.
func (q *Queue) SetGlobalLimits(ctx context.Context, l campaigns.Limits) error {
	return q.setLimits(ctx, "g", l)
}

// SetTrunkLimits sets one trunk's line and CPS limits (zero = no limit).
func (q *Queue) SetTrunkLimits(ctx context.Context, trunk string, l campaigns.Limits) error {
	return q.setLimits(ctx, "t:"+trunk, l)
}

func (q *Queue) setLimits(ctx context.Context, scope string, l campaigns.Limits) error {
	err := q.rdb.HSet(ctx, q.p+"limits",
		scope+":lines", l.MaxLines, scope+":cps", strconv.FormatFloat(l.CPS, 'f', -1, 64)).Err()
	if err != nil {
		return fmt.Errorf("queue limits %s: %w", scope, err)
	}
	return nil
}

// Lines returns the live lines counted globally, per trunk and per campaign
// (as held by leases).
type Lines struct {
	Global    int64
	Trunks    map[string]int64
	Campaigns map[int64]int64
}

// Busy reads the live line counters.
func (q *Queue) Busy(ctx context.Context) (Lines, error) {
	m, err := q.rdb.HGetAll(ctx, q.p+"busy").Result()
	if err != nil {
		return Lines{}, fmt.Errorf("queue busy: %w", err)
	}
	out := Lines{Trunks: map[string]int64{}, Campaigns: map[int64]int64{}}
	for k, v := range m {
		n, _ := strconv.ParseInt(v, 10, 64)
		switch {
		case k == "g":
			out.Global = n
		case len(k) > 2 && k[:2] == "t:":
			out.Trunks[k[2:]] = n
		case len(k) > 2 && k[:2] == "c:":
			cid, _ := strconv.ParseInt(k[2:], 10, 64)
			out.Campaigns[cid] = n
		}
	}
	return out, nil
}
