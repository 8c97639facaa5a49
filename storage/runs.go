package storage

import (
	"context"
	"fmt"
	"time"
)

// Run is one occurrence of a campaign and its number of tasks.
type Run struct {
	ID         int64
	Occurrence time.Time
	Tasks      int
}

// Runs lists a campaign's runs, newest first.
func (s *Store) Runs(ctx context.Context, campaignID int64) ([]Run, error) {
	rows, err := s.b.Query(ctx, `SELECT r.id, r.occurrence, (SELECT COUNT(*) FROM tasks t WHERE t.run_id = r.id)
		FROM runs r WHERE r.campaign_id = $1 ORDER BY r.occurrence DESC, r.id DESC`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("runs of campaign %d: %w", campaignID, err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		var r Run
		if err := rows.Scan(&r.ID, &r.Occurrence, &r.Tasks); err != nil {
			return nil, fmt.Errorf("runs of campaign %d: %w", campaignID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
