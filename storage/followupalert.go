package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"outreach/campaigns"
	"outreach/followup"
)

const followupAlertCols = `id, status, COALESCE(assignee_id, 0), acknowledged_at, resolved_at, data_enc`

// notesText is the plain-text view of an alert's notes (sealed in notes_enc).
func notesText(a followup.Alert) string {
	parts := []string{}
	if a.Note != "" {
		parts = append(parts, a.Note)
	}
	for _, n := range a.Notes {
		parts = append(parts, n.Text)
	}
	return strings.Join(parts, "\n")
}

// CreateAlert inserts a (status open unless set) and enqueues ev in one
// transaction, unless an alert with a.Key exists: then it returns that one
// with created false and enqueues nothing (followup.AlertStore).
func (f *Followup) CreateAlert(ctx context.Context, a followup.Alert, ev followup.Event) (followup.Alert, bool, error) {
	if a.Status == 0 {
		a.Status = followup.AlertOpen
	}
	if a.Created.IsZero() {
		a.Created = f.s.now()
	}
	var (
		stored  followup.Alert
		created bool
	)
	err := inTx(ctx, f.s.b, func(t tx) error {
		data, err := f.seal(a)
		if err != nil {
			return err
		}
		err = t.QueryRow(ctx, `INSERT INTO alerts (key, resident_id, community_id, kind, day, priority, status,
			attempt_id, assignee_id, notes_enc, data_enc, created_at, acknowledged_at, resolved_at)
			VALUES ($1, $2, (SELECT id FROM org_units WHERE id = $3), $4, $5, $6, $7,
			(SELECT id FROM attempts WHERE id = $8), (SELECT id FROM users WHERE id = $9), $10, $11, $12, $13, $14)
			ON CONFLICT (key) DO NOTHING RETURNING id`,
			a.Key, a.ResidentID, a.CommunityID, a.Kind, dateTime(a.Day), int(a.Priority), int(a.Status), a.AttemptID,
			a.AssigneeID, f.s.ring.SealString(notesText(a)), data, a.Created, a.Acknowledged, a.Resolved).Scan(&a.ID)
		if err == errNoRows {
			stored, err = f.alert(ctx, t, `key = $1`, a.Key)
			return err
		}
		if err != nil {
			return err
		}
		stored, created = a, true
		ev.Alert = a
		return f.enqueue(ctx, t, a.ID, ev)
	})
	if err != nil {
		return followup.Alert{}, false, fmt.Errorf("create alert %s: %w", a.Kind, err)
	}
	return stored, created, nil
}

// enqueue adds ev to the outbox (idempotent by event id), due at once.
func (f *Followup) enqueue(ctx context.Context, q querier, alertID int64, ev followup.Event) error {
	payload, err := f.seal(ev)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, `INSERT INTO alert_events (id, alert_id, alert_key, payload_enc, next_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
		ev.ID, alertID, ev.Alert.Key, payload, time.Unix(0, 0), f.s.now())
	if err != nil {
		return fmt.Errorf("enqueue event: %w", err)
	}
	return nil
}

// Alert returns the alert with the id (followup.AlertStore).
func (f *Followup) Alert(ctx context.Context, id int64) (followup.Alert, error) {
	a, err := f.alert(ctx, f.s.b, `id = $1`, id)
	if err == errNoRows {
		return a, fmt.Errorf("alert %d: %w", id, followup.ErrNotFound)
	}
	return a, err
}

// AlertByKey returns the alert with the dedupe key (followup.AlertStore).
func (f *Followup) AlertByKey(ctx context.Context, key string) (followup.Alert, bool, error) {
	a, err := f.alert(ctx, f.s.b, `key = $1`, key)
	if err == errNoRows {
		return a, false, nil
	}
	return a, err == nil, err
}

// alert reads one alert; the columns (status, assignee, times) win over the
// sealed copy, so changes made through Store.AcknowledgeAlert show.
func (f *Followup) alert(ctx context.Context, q querier, cond string, arg any) (followup.Alert, error) {
	var (
		a        followup.Alert
		id       int64
		st       int
		assignee int64
		ack, res time.Time
		data     []byte
	)
	err := q.QueryRow(ctx, `SELECT `+followupAlertCols+` FROM alerts WHERE `+cond, arg).
		Scan(&id, &st, &assignee, &ack, &res, &data)
	if err != nil {
		return a, err
	}
	if data != nil {
		if err := f.unseal(data, &a); err != nil {
			return a, fmt.Errorf("alert %d: %w", id, err)
		}
	}
	a.ID, a.Status, a.AssigneeID, a.Acknowledged, a.Resolved = id, followup.AlertStatus(st), assignee, ack, res
	return a, nil
}

// UpdateAlert replaces alert a.ID only if its status is still from, and
// enqueues ev, in one transaction (followup.AlertStore).
func (f *Followup) UpdateAlert(ctx context.Context, a followup.Alert, from followup.AlertStatus, ev followup.Event) error {
	err := inTx(ctx, f.s.b, func(t tx) error {
		data, err := f.seal(a)
		if err != nil {
			return err
		}
		n, err := t.Exec(ctx, `UPDATE alerts SET status = $3, priority = $4, assignee_id = (SELECT id FROM users WHERE id = $5),
			notes_enc = $6, data_enc = $7, acknowledged_at = $8, resolved_at = $9 WHERE id = $1 AND status = $2`,
			a.ID, int(from), int(a.Status), int(a.Priority), a.AssigneeID, f.s.ring.SealString(notesText(a)), data,
			a.Acknowledged, a.Resolved)
		if err != nil {
			return err
		}
		if n == 0 {
			if _, err := f.alert(ctx, t, `id = $1`, a.ID); err == errNoRows {
				return followup.ErrNotFound
			}
			return fmt.Errorf("not %s: %w", from, followup.ErrConflict)
		}
		return f.enqueue(ctx, t, a.ID, ev)
	})
	if err != nil {
		return fmt.Errorf("update alert %d: %w", a.ID, err)
	}
	return nil
}

// AlertsOn returns day d's alerts by id (followup.DayReader).
func (f *Followup) AlertsOn(ctx context.Context, d campaigns.Date) ([]followup.Alert, error) {
	return f.AlertsOnIn(ctx, d, nil)
}

// AlertsOnIn returns day d's alerts of the residents whose community or
// grid is one of units (nil = everyone), by id.
func (f *Followup) AlertsOnIn(ctx context.Context, d campaigns.Date, units []int64) ([]followup.Alert, error) {
	in := newUnitList(units, 2)
	rs, err := f.s.b.Query(ctx, `SELECT id FROM alerts WHERE day = $1 AND `+in.residentIn("resident_id")+` ORDER BY id`,
		append([]any{dateTime(d)}, in.args...)...)
	if err != nil {
		return nil, fmt.Errorf("alerts on %s: %w", d, err)
	}
	var ids []int64
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			rs.Close()
			return nil, fmt.Errorf("alerts on %s: %w", d, err)
		}
		ids = append(ids, id)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("alerts on %s: %w", d, err)
	}
	out := make([]followup.Alert, 0, len(ids))
	for _, id := range ids {
		a, err := f.Alert(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}
