package storage

import (
	"context"
	"fmt"
	"time"
)

// AuditEntry is one line of the append-only audit log. Subject names what
// was touched by id ("resident:42", "export:campaign:7"); nothing personal.
type AuditEntry struct {
	ID      int64
	At      time.Time
	Actor   string
	Action  string
	Subject string
	Detail  string
}

// Audit appends an entry (At defaults to now).
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	return s.audit(ctx, s.b, e)
}

func (s *Store) audit(ctx context.Context, q querier, e AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	_, err := q.Exec(ctx, `INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1,$2,$3,$4,$5)`,
		e.At, e.Actor, e.Action, e.Subject, e.Detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns entries after id afterID, oldest first, at most limit.
func (s *Store) AuditLog(ctx context.Context, afterID int64, limit int) ([]AuditEntry, error) {
	rs, err := s.b.Query(ctx, `SELECT id, at, actor, action, subject, detail FROM audit_log
		WHERE id > $1 ORDER BY id LIMIT $2`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rs.Close()
	var out []AuditEntry
	for rs.Next() {
		var e AuditEntry
		if err := rs.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.Subject, &e.Detail); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		out = append(out, e)
	}
	return out, rs.Err()
}
