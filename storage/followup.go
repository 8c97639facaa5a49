package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"outreach/campaigns"
	"outreach/followup"
)

// Followup is the store seen by package followup: records, alerts with
// their transactional outbox, observation periods, the contact directory
// and the day reader. Records, alerts and events are kept as sealed JSON
// with plain projections (status, day, community) for reports.
type Followup struct{ s *Store }

// Followup returns the followup view of the store.
func (s *Store) Followup() *Followup { return &Followup{s: s} }

var (
	_ followup.RecordStore      = (*Followup)(nil)
	_ followup.AlertStore       = (*Followup)(nil)
	_ followup.Outbox           = (*Followup)(nil)
	_ followup.ObservationStore = (*Followup)(nil)
	_ followup.Directory        = (*Followup)(nil)
	_ followup.DayReader        = (*Followup)(nil)
)

func dateTime(d campaigns.Date) time.Time {
	if d == (campaigns.Date{}) {
		return time.Time{}
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

func dateOf(t time.Time) campaigns.Date {
	if t.IsZero() {
		return campaigns.Date{}
	}
	return campaigns.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

func (f *Followup) seal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return f.s.ring.Seal(b), nil
}

func (f *Followup) unseal(b []byte, v any) error {
	plain, err := f.s.ring.Open(b)
	if err != nil {
		return fmt.Errorf("unseal: %w", err)
	}
	return json.Unmarshal(plain, v)
}

func healthStatus(r followup.Record) HealthStatus {
	switch {
	case r.Abnormal():
		return HealthAbnormal
	case r.Answered():
		return HealthNormal
	}
	return HealthUnreached
}

// Record returns the record of (resident, day) (followup.RecordStore).
func (f *Followup) Record(ctx context.Context, residentID int64, d campaigns.Date) (followup.Record, bool, error) {
	rs, err := f.records(ctx, `resident_id = $1 AND day = $2`, residentID, dateTime(d))
	if err != nil || len(rs) == 0 {
		return followup.Record{}, false, err
	}
	return rs[0], true, nil
}

// PutRecord inserts or replaces the record of (r.ResidentID, r.Day) (followup.RecordStore).
func (f *Followup) PutRecord(ctx context.Context, r followup.Record) error {
	data, err := f.seal(r)
	if err != nil {
		return fmt.Errorf("put record: %w", err)
	}
	var temp any
	if r.Temperature != 0 {
		temp = r.Temperature
	}
	_, err = f.s.b.Exec(ctx, `INSERT INTO health_records (resident_id, community_id, day, attempt_id, status,
		temperature, symptoms, travel, data_enc, updated_at)
		VALUES ($1, (SELECT id FROM org_units WHERE id = $2), $3, (SELECT id FROM attempts WHERE id = $4), $5, $6, $7, $8, $9, $10)
		ON CONFLICT (resident_id, day) DO UPDATE SET community_id = excluded.community_id,
		attempt_id = excluded.attempt_id, status = excluded.status, temperature = excluded.temperature,
		symptoms = excluded.symptoms, travel = excluded.travel, data_enc = excluded.data_enc,
		updated_at = excluded.updated_at`,
		r.ResidentID, r.CommunityID, dateTime(r.Day), r.AttemptID, int(healthStatus(r)), temp,
		len(r.Symptoms) > 0, r.LeftHome == followup.Yes, data, f.s.now())
	if err != nil {
		return fmt.Errorf("put record of resident %d: %w", r.ResidentID, err)
	}
	return nil
}

// RecordsOn returns day d's records by resident id (followup.DayReader).
func (f *Followup) RecordsOn(ctx context.Context, d campaigns.Date) ([]followup.Record, error) {
	return f.RecordsOnIn(ctx, d, nil)
}

// RecordsOnIn returns day d's records of the residents whose community or
// grid is one of units (nil = everyone), by resident id.
func (f *Followup) RecordsOnIn(ctx context.Context, d campaigns.Date, units []int64) ([]followup.Record, error) {
	in := newUnitList(units, 2)
	return f.records(ctx, `day = $1 AND `+in.residentIn("resident_id"), append([]any{dateTime(d)}, in.args...)...)
}

func (f *Followup) records(ctx context.Context, cond string, args ...any) ([]followup.Record, error) {
	rs, err := f.s.b.Query(ctx, `SELECT resident_id, COALESCE(community_id, 0), day, status, COALESCE(temperature, 0),
		COALESCE(attempt_id, 0), data_enc FROM health_records WHERE `+cond+` ORDER BY resident_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("records: %w", err)
	}
	defer rs.Close()
	var out []followup.Record
	for rs.Next() {
		var (
			r    followup.Record
			day  time.Time
			st   int
			data []byte
		)
		if err := rs.Scan(&r.ResidentID, &r.CommunityID, &day, &st, &r.Temperature, &r.AttemptID, &data); err != nil {
			return nil, fmt.Errorf("records: %w", err)
		}
		if data != nil {
			if err := f.unseal(data, &r); err != nil {
				return nil, fmt.Errorf("record of resident %d: %w", r.ResidentID, err)
			}
		} else if HealthStatus(st) == HealthNormal || HealthStatus(st) == HealthAbnormal {
			r.Status = followup.RecordCompleted // written through PutHealthRecord
		}
		r.Day = dateOf(day)
		out = append(out, r)
	}
	return out, rs.Err()
}

// Contact returns a resident's name and E.164 phone (followup.Directory).
func (f *Followup) Contact(ctx context.Context, residentID int64) (followup.Contact, error) {
	var (
		c     followup.Contact
		phone []byte
	)
	err := f.s.b.QueryRow(ctx, `SELECT name, phone_enc FROM residents WHERE id = $1`, residentID).Scan(&c.Name, &phone)
	if err == errNoRows {
		return c, fmt.Errorf("contact of resident %d: %w", residentID, followup.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("contact of resident %d: %w", residentID, err)
	}
	c.Phone, err = f.s.open(phone)
	return c, err
}

// AddObservation stores an observation period (followup.ObservationStore).
func (f *Followup) AddObservation(ctx context.Context, o followup.Observation) (int64, error) {
	return f.s.AddObservation(ctx, Observation{ResidentID: o.ResidentID, Reason: o.Reason,
		Start: dateTime(o.Start), Release: dateTime(o.Release), CallTimes: o.CallTimes})
}

// SetRelease changes the last day of observation id (followup.ObservationStore).
func (f *Followup) SetRelease(ctx context.Context, id int64, release campaigns.Date) error {
	err := f.s.SetRelease(ctx, id, dateTime(release))
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%w: %w", err, followup.ErrNotFound)
	}
	return err
}
