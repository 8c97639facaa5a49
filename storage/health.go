package storage

import (
	"context"
	"fmt"
	"time"
)

// HealthStatus summarises one resident's day.
type HealthStatus uint8

// Health statuses.
const (
	HealthUnknown   HealthStatus = iota
	HealthNormal                 // reached, nothing abnormal
	HealthAbnormal               // fever, symptoms or travel reported
	HealthUnreached              // not reached today
)

var healthNames = [...]string{"unknown", "normal", "abnormal", "unreached"}

// String returns the status's name.
func (h HealthStatus) String() string {
	if int(h) < len(healthNames) {
		return healthNames[h]
	}
	return fmt.Sprintf("health(%d)", uint8(h))
}

// HealthRecord is a resident's health on one day (Day is midnight UTC of
// the calendar date). Temperature 0 means not reported; Notes is sealed.
type HealthRecord struct {
	ID          int64
	ResidentID  int64
	Day         time.Time
	AttemptID   int64 // 0 = none
	Status      HealthStatus
	Temperature float64
	Symptoms    bool
	Travel      bool
	Notes       string
	Updated     time.Time
}

// PutHealthRecord inserts or replaces the record of (resident, day).
func (s *Store) PutHealthRecord(ctx context.Context, h HealthRecord) (int64, error) {
	var temp any
	if h.Temperature != 0 {
		temp = h.Temperature
	}
	var id int64
	err := s.b.QueryRow(ctx, `INSERT INTO health_records (resident_id, day, attempt_id, status, temperature,
		symptoms, travel, notes_enc, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
		ON CONFLICT (resident_id, day) DO UPDATE SET attempt_id = excluded.attempt_id, status = excluded.status,
		temperature = excluded.temperature, symptoms = excluded.symptoms, travel = excluded.travel,
		notes_enc = excluded.notes_enc, updated_at = excluded.updated_at RETURNING id`,
		h.ResidentID, day(h.Day), nullID(h.AttemptID), int(h.Status), temp, h.Symptoms, h.Travel,
		s.ring.SealString(h.Notes), s.now()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("put health record: %w", err)
	}
	return id, nil
}

// HealthRecords returns a resident's records, oldest day first.
func (s *Store) HealthRecords(ctx context.Context, residentID int64) ([]HealthRecord, error) {
	rs, err := s.b.Query(ctx, `SELECT id, resident_id, day, COALESCE(attempt_id, 0), status, COALESCE(temperature, 0),
		symptoms, travel, notes_enc, updated_at FROM health_records WHERE resident_id = $1 ORDER BY day`, residentID)
	if err != nil {
		return nil, fmt.Errorf("health records: %w", err)
	}
	defer rs.Close()
	var out []HealthRecord
	for rs.Next() {
		var h HealthRecord
		var st int
		var notes []byte
		if err := rs.Scan(&h.ID, &h.ResidentID, &h.Day, &h.AttemptID, &st, &h.Temperature, &h.Symptoms,
			&h.Travel, &notes, &h.Updated); err != nil {
			return nil, fmt.Errorf("health records: %w", err)
		}
		h.Status = HealthStatus(st)
		if h.Notes, err = s.open(notes); err != nil {
			return nil, fmt.Errorf("health records: %w", err)
		}
		out = append(out, h)
	}
	return out, rs.Err()
}

// PurgeHealthRecords is the retention job: it deletes the health records of
// residents whose every observation period was released more than
// keep ago (measured from now), and returns how many it deleted.
func (s *Store) PurgeHealthRecords(ctx context.Context, keep time.Duration) (int64, error) {
	cutoff := day(s.now().Add(-keep))
	n, err := s.b.Exec(ctx, `DELETE FROM health_records WHERE resident_id IN (
		SELECT resident_id FROM observations GROUP BY resident_id
		HAVING COUNT(*) = COUNT(release_date) AND MAX(release_date) < $1)`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("purge health records: %w", err)
	}
	if n > 0 {
		err = s.Audit(ctx, AuditEntry{Actor: "retention", Action: "health.purge", Detail: fmt.Sprintf("%d records", n)})
	}
	return n, err
}
