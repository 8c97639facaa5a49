package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"outreach/campaigns"
)

// ErrStaleFence is returned (wrapped) by CreateRun for a fence lower than
// the highest one seen: the caller lost the scheduler leadership.
var ErrStaleFence = errors.New("stale scheduler fence")

// LastOccurrence returns the latest occurrence with a run (zero if none).
func (s *Store) LastOccurrence(ctx context.Context, campaignID int64) (time.Time, error) {
	var t time.Time
	err := s.b.QueryRow(ctx, `SELECT MAX(occurrence) FROM runs WHERE campaign_id = $1`, campaignID).Scan(&t)
	if err != nil {
		return t, fmt.Errorf("last occurrence of campaign %d: %w", campaignID, err)
	}
	return t, nil
}

// CreateRun creates the run of one occurrence and one queued task per
// resident the campaign's target selects on the occurrence's day (inside the
// subtree of the campaign's owner unit, unless it is organisation-wide), at most
// once per (campaign, occurrence); it returns the tasks created (none if the
// run existed). A fence lower than the highest seen is refused (campaigns.RunStore).
func (s *Store) CreateRun(ctx context.Context, fence int64, c campaigns.Campaign, occurrence time.Time) ([]campaigns.DueTask, error) {
	var out []campaigns.DueTask
	err := inTx(ctx, s.b, func(t tx) error {
		var seen int64
		err := t.QueryRow(ctx, `INSERT INTO fences (name, fence) VALUES ('scheduler', $1)
			ON CONFLICT (name) DO UPDATE SET fence = excluded.fence WHERE fences.fence <= excluded.fence
			RETURNING fence`, fence).Scan(&seen)
		if err == errNoRows {
			return fmt.Errorf("fence %d: %w", fence, ErrStaleFence)
		}
		if err != nil {
			return err
		}
		var runID int64
		err = t.QueryRow(ctx, `INSERT INTO runs (campaign_id, occurrence, fence, created_at) VALUES ($1,$2,$3,$4)
			ON CONFLICT (campaign_id, occurrence) DO NOTHING RETURNING id`, c.ID, occurrence, fence, s.now()).Scan(&runID)
		if err == errNoRows {
			return nil
		}
		if err != nil {
			return err
		}
		out, err = s.createTasks(ctx, t, c, runID, occurrence)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create run of campaign %d: %w", c.ID, err)
	}
	return out, nil
}

// targetWhere returns the condition on residents r selecting a target; $5 is
// its ref, or the run's day for TargetObservation.
func targetWhere(k campaigns.TargetKind) (string, error) {
	switch k {
	case campaigns.TargetList, campaigns.TargetTag:
		return `(',' || r.tags || ',') LIKE ('%,' || CAST($5 AS text) || ',%')`, nil
	case campaigns.TargetCommunity:
		return `r.community_id IN (SELECT id FROM org_units WHERE level = 3 AND name = $5)`, nil
	case campaigns.TargetGrid:
		return `r.grid_id IN (SELECT id FROM org_units WHERE level = 4 AND name = $5)`, nil
	case campaigns.TargetObservation:
		return `EXISTS (SELECT 1 FROM observations o WHERE o.resident_id = r.id
			AND o.start_date <= $5 AND (o.release_date IS NULL OR o.release_date >= $5))`, nil
	}
	return "", fmt.Errorf("target kind %d unknown", k)
}

func (s *Store) createTasks(ctx context.Context, t tx, c campaigns.Campaign, runID int64, occ time.Time) ([]campaigns.DueTask, error) {
	where, err := targetWhere(c.Target.Kind)
	if err != nil {
		return nil, err
	}
	loc := c.Rules.Windows.Location
	if loc == nil {
		loc = zone(c.Schedule.Timezone)
	}
	var ref any = c.Target.Ref
	if c.Target.Kind == campaigns.TargetObservation {
		ref = day(occ.In(loc))
	}
	// A target's names resolve among the units of the owner's subtree: a
	// street's campaign on "东社区" never calls another street's 东社区.
	rs, err := t.Query(ctx, `WITH RECURSIVE area(id) AS (SELECT id FROM org_units WHERE id = $6
		UNION ALL SELECT o.id FROM org_units o JOIN area a ON o.parent_id = a.id)
		INSERT INTO tasks (campaign_id, run_id, resident_id, state, due)
		SELECT $1, $2, r.id, $4, $3 FROM residents r WHERE `+where+` AND ($6 = 0
		OR r.community_id IN (SELECT id FROM area) OR r.grid_id IN (SELECT id FROM area))
		ORDER BY r.id RETURNING id, due`, c.ID, runID, occ, int(campaigns.TaskQueued), ref, c.Unit)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []campaigns.DueTask
	for rs.Next() {
		var d campaigns.DueTask
		if err := rs.Scan(&d.TaskID, &d.Due); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rs.Err()
}

func zone(name string) *time.Location {
	if name == "" {
		name = campaigns.DefaultTimezone
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}
