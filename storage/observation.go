package storage

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Observation is a period of home health observation: the resident is
// called daily at CallTimes ("09:00", "16:00") from Start until Release
// (inclusive; zero = open-ended). Dates are calendar days (midnight UTC).
type Observation struct {
	ID         int64
	ResidentID int64
	Reason     string
	Start      time.Time
	Release    time.Time
	CallTimes  []string
	Created    time.Time
}

// AddObservation inserts an observation period and returns its id.
func (s *Store) AddObservation(ctx context.Context, o Observation) (int64, error) {
	if o.Created.IsZero() {
		o.Created = s.now()
	}
	var id int64
	err := s.b.QueryRow(ctx, `INSERT INTO observations (resident_id, reason, start_date, release_date, call_times, created_at)
		VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`, o.ResidentID, o.Reason, day(o.Start), day(o.Release),
		strings.Join(o.CallTimes, ","), o.Created).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add observation: %w", err)
	}
	return id, nil
}

// SetRelease changes the release date of an observation period.
func (s *Store) SetRelease(ctx context.Context, id int64, release time.Time) error {
	n, err := s.b.Exec(ctx, `UPDATE observations SET release_date = $2 WHERE id = $1`, id, day(release))
	if err != nil {
		return fmt.Errorf("observation %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("observation %d: %w", id, ErrNotFound)
	}
	return nil
}

// Observations returns a resident's observation periods, oldest first.
func (s *Store) Observations(ctx context.Context, residentID int64) ([]Observation, error) {
	rs, err := s.b.Query(ctx, `SELECT id, resident_id, reason, start_date, release_date, call_times, created_at
		FROM observations WHERE resident_id = $1 ORDER BY start_date, id`, residentID)
	if err != nil {
		return nil, fmt.Errorf("observations: %w", err)
	}
	defer rs.Close()
	var out []Observation
	for rs.Next() {
		var o Observation
		var times string
		if err := rs.Scan(&o.ID, &o.ResidentID, &o.Reason, &o.Start, &o.Release, &times, &o.Created); err != nil {
			return nil, fmt.Errorf("observations: %w", err)
		}
		o.CallTimes = splitList(times)
		out = append(out, o)
	}
	return out, rs.Err()
}

// Observed is a resident under observation on a given day.
type Observed struct {
	ResidentID  int64
	Name        string
	CommunityID int64
	GridID      int64
	Observation Observation
}

// ObservedFilter selects the residents under observation on a day.
type ObservedFilter struct {
	Day time.Time
	// Keyset: rows after (AfterID, AfterObservationID), the last row's
	// resident and observation ids (a resident may have two periods).
	AfterID            int64
	AfterObservationID int64
	Limit              int // default 100
	// Units keeps residents whose community or grid is one of these org
	// units; nil = no filter, empty = nobody.
	Units []int64
}

// UnderObservation lists the residents whose observation covers f.Day, in
// resident id order (one row per covering period).
func (s *Store) UnderObservation(ctx context.Context, f ObservedFilter) ([]Observed, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	units := newUnitList(f.Units, 5)
	rs, err := s.b.Query(ctx, `SELECT r.id, r.name, COALESCE(r.community_id, 0), COALESCE(r.grid_id, 0),
		o.id, o.reason, o.start_date, o.release_date, o.call_times, o.created_at
		FROM observations o JOIN residents r ON r.id = o.resident_id
		WHERE o.start_date <= $1 AND (o.release_date IS NULL OR o.release_date >= $1)
		AND (r.id > $2 OR (r.id = $2 AND o.id > $4))
		AND `+units.member("r.community_id", "r.grid_id")+`
		ORDER BY r.id, o.id LIMIT $3`, append([]any{day(f.Day), f.AfterID, f.Limit,
		f.AfterObservationID}, units.args...)...)
	if err != nil {
		return nil, fmt.Errorf("under observation: %w", err)
	}
	defer rs.Close()
	var out []Observed
	for rs.Next() {
		var x Observed
		var times string
		o := &x.Observation
		if err := rs.Scan(&x.ResidentID, &x.Name, &x.CommunityID, &x.GridID, &o.ID, &o.Reason, &o.Start,
			&o.Release, &times, &o.Created); err != nil {
			return nil, fmt.Errorf("under observation: %w", err)
		}
		o.ResidentID, o.CallTimes = x.ResidentID, splitList(times)
		out = append(out, x)
	}
	return out, rs.Err()
}
