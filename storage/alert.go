package storage

import (
	"context"
	"fmt"
	"time"
)

// AlertStatus is an alert's life-cycle state: open → acknowledged → resolved
// (open → resolved allowed too).
type AlertStatus uint8

// Alert statuses.
const (
	AlertOpen AlertStatus = iota + 1
	AlertAcknowledged
	AlertResolved
)

var alertNames = [...]string{"", "open", "acknowledged", "resolved"}

// String returns the status's name.
func (a AlertStatus) String() string {
	if int(a) < len(alertNames) && a > 0 {
		return alertNames[a]
	}
	return fmt.Sprintf("alert_status(%d)", uint8(a))
}

// Alert asks a grid worker to follow a resident up (fever, symptoms, travel,
// unreachable, ...). Notes is sealed.
type Alert struct {
	ID           int64
	ResidentID   int64
	Kind         string
	Status       AlertStatus
	AttemptID    int64
	AssigneeID   int64
	Notes        string
	Created      time.Time
	Acknowledged time.Time
	Resolved     time.Time
}

// CreateAlert opens an alert and returns its id.
func (s *Store) CreateAlert(ctx context.Context, a Alert) (int64, error) {
	if a.Created.IsZero() {
		a.Created = s.now()
	}
	var id int64
	err := s.b.QueryRow(ctx, `INSERT INTO alerts (resident_id, kind, status, attempt_id, assignee_id, notes_enc, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, a.ResidentID, a.Kind, int(AlertOpen), nullID(a.AttemptID),
		nullID(a.AssigneeID), s.ring.SealString(a.Notes), a.Created).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create alert: %w", err)
	}
	return id, nil
}

// ErrAlertState is returned (wrapped) for a change an alert's status forbids.
var ErrAlertState = fmt.Errorf("alert state")

// AcknowledgeAlert moves an open alert to acknowledged, assigning it.
func (s *Store) AcknowledgeAlert(ctx context.Context, id, assigneeID int64) error {
	return s.alertUpdate(ctx, id, `UPDATE alerts SET status = $2, assignee_id = $3, acknowledged_at = $4
		WHERE id = $1 AND status = $5`, int(AlertAcknowledged), nullID(assigneeID), s.now(), int(AlertOpen))
}

// ResolveAlert closes an open or acknowledged alert with notes.
func (s *Store) ResolveAlert(ctx context.Context, id int64, notes string) error {
	return s.alertUpdate(ctx, id, `UPDATE alerts SET status = $2, notes_enc = $3, resolved_at = $4
		WHERE id = $1 AND status <> $2`, int(AlertResolved), s.ring.SealString(notes), s.now())
}

// AssignAlert changes the assignee of an unresolved alert.
func (s *Store) AssignAlert(ctx context.Context, id, assigneeID int64) error {
	return s.alertUpdate(ctx, id, `UPDATE alerts SET assignee_id = $2 WHERE id = $1 AND status <> $3`,
		nullID(assigneeID), int(AlertResolved))
}

func (s *Store) alertUpdate(ctx context.Context, id int64, q string, args ...any) error {
	n, err := s.b.Exec(ctx, q, append([]any{id}, args...)...)
	if err != nil {
		return fmt.Errorf("alert %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("alert %d: %w", id, ErrAlertState)
	}
	return nil
}

// AlertFilter selects alerts; zero fields do not filter.
type AlertFilter struct {
	Status     AlertStatus
	ResidentID int64
	AssigneeID int64
	// Units keeps alerts of residents whose community or grid is one of
	// these org units; nil = no filter, empty = none.
	Units    []int64
	BeforeID int64 // keyset: ids below this one (the list is newest first)
	Limit    int   // default 100
}

// Alerts lists alerts, newest first.
func (s *Store) Alerts(ctx context.Context, f AlertFilter) ([]Alert, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	units := newUnitList(f.Units, 6)
	rs, err := s.b.Query(ctx, `SELECT id, resident_id, kind, status, COALESCE(attempt_id, 0), COALESCE(assignee_id, 0),
		notes_enc, created_at, acknowledged_at, resolved_at FROM alerts
		WHERE ($1 = 0 OR status = $1) AND ($2 = 0 OR resident_id = $2) AND ($3 = 0 OR assignee_id = $3)
		AND ($5 = 0 OR id < $5) AND `+units.residentIn("resident_id")+`
		ORDER BY id DESC LIMIT $4`, append([]any{int(f.Status), f.ResidentID, f.AssigneeID, f.Limit, f.BeforeID},
		units.args...)...)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	defer rs.Close()
	var out []Alert
	for rs.Next() {
		var a Alert
		var st int
		var notes []byte
		if err := rs.Scan(&a.ID, &a.ResidentID, &a.Kind, &st, &a.AttemptID, &a.AssigneeID, &notes,
			&a.Created, &a.Acknowledged, &a.Resolved); err != nil {
			return nil, fmt.Errorf("alerts: %w", err)
		}
		a.Status = AlertStatus(st)
		if a.Notes, err = s.open(notes); err != nil {
			return nil, fmt.Errorf("alerts: %w", err)
		}
		out = append(out, a)
	}
	return out, rs.Err()
}
