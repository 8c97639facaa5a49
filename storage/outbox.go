package storage

import (
	"context"
	"fmt"
	"time"

	"outreach/followup"
)

// Due returns up to limit undelivered, not given-up events whose next try is
// at or before now, oldest first, holding back an event while an older
// pending event of the same alert waits (followup.Outbox).
func (f *Followup) Due(ctx context.Context, now time.Time, limit int) ([]followup.Pending, error) {
	rs, err := f.s.b.Query(ctx, `SELECT e.payload_enc, e.attempts FROM alert_events e
		WHERE e.delivered_at IS NULL AND e.given_up = $3 AND e.next_at <= $1
		AND NOT EXISTS (SELECT 1 FROM alert_events o WHERE o.alert_key = e.alert_key AND o.seq < e.seq
			AND o.delivered_at IS NULL AND o.given_up = $3)
		ORDER BY e.seq LIMIT $2`, now, limit, false)
	if err != nil {
		return nil, fmt.Errorf("outbox due: %w", err)
	}
	defer rs.Close()
	var out []followup.Pending
	for rs.Next() {
		var (
			p       followup.Pending
			payload []byte
		)
		if err := rs.Scan(&payload, &p.Attempts); err != nil {
			return nil, fmt.Errorf("outbox due: %w", err)
		}
		if err := f.unseal(payload, &p.Event); err != nil {
			return nil, fmt.Errorf("outbox due: %w", err)
		}
		out = append(out, p)
	}
	return out, rs.Err()
}

// Delivered marks the event delivered (followup.Outbox).
func (f *Followup) Delivered(ctx context.Context, id string, at time.Time) error {
	return f.eventUpdate(ctx, id, `UPDATE alert_events SET delivered_at = $2 WHERE id = $1`, at)
}

// Failed records a failed round; a zero next gives up (followup.Outbox).
func (f *Followup) Failed(ctx context.Context, id string, attempts int, next time.Time, reason string) error {
	return f.eventUpdate(ctx, id, `UPDATE alert_events SET attempts = $2, next_at = COALESCE($3, next_at),
		given_up = $4, reason = $5 WHERE id = $1`, attempts, next, next.IsZero(), reason)
}

func (f *Followup) eventUpdate(ctx context.Context, id, q string, args ...any) error {
	n, err := f.s.b.Exec(ctx, q, append([]any{id}, args...)...)
	if err != nil {
		return fmt.Errorf("event %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("event %s: %w", id, followup.ErrNotFound)
	}
	return nil
}
