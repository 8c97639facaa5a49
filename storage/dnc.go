package storage

import (
	"context"
	"fmt"
)

// AddDoNotCall puts a phone (E.164) on the do-not-call list.
func (s *Store) AddDoNotCall(ctx context.Context, actor, phone, reason string) error {
	return inTx(ctx, s.b, func(t tx) error {
		_, err := t.Exec(ctx, `INSERT INTO do_not_call (phone_hash, reason, created_at) VALUES ($1,$2,$3)
			ON CONFLICT (phone_hash) DO NOTHING`, s.ring.Index(phone), reason, s.now())
		if err != nil {
			return fmt.Errorf("do-not-call add: %w", err)
		}
		return s.audit(ctx, t, AuditEntry{Actor: actor, Action: "dnc.add", Detail: reason})
	})
}

// RemoveDoNotCall takes a phone off the list.
func (s *Store) RemoveDoNotCall(ctx context.Context, actor, phone string) error {
	return inTx(ctx, s.b, func(t tx) error {
		if _, err := t.Exec(ctx, `DELETE FROM do_not_call WHERE phone_hash = $1`, s.ring.Index(phone)); err != nil {
			return fmt.Errorf("do-not-call remove: %w", err)
		}
		return s.audit(ctx, t, AuditEntry{Actor: actor, Action: "dnc.remove"})
	})
}

// DoNotCall reports whether phone (E.164) is on the list (campaigns.RuleStore).
func (s *Store) DoNotCall(ctx context.Context, phone string) (bool, error) {
	var n int
	err := s.b.QueryRow(ctx, `SELECT COUNT(*) FROM do_not_call WHERE phone_hash = $1`, s.ring.Index(phone)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("do-not-call: %w", err)
	}
	return n > 0, nil
}
