package storage

import (
	"context"
	"fmt"

	"outreach/campaigns"
)

// AttemptFilter selects attempts; zero fields do not filter.
type AttemptFilter struct {
	CampaignID int64
	ResidentID int64
	Outcome    campaigns.Outcome // OutcomeUnknown = any
	AfterID    int64             // keyset: ids above (oldest first) or below (Newest) this one
	Limit      int               // default 100
	Newest     bool              // newest first
}

// Attempts lists attempts (without their answers; Attempt has them).
func (s *Store) Attempts(ctx context.Context, f AttemptFilter) ([]AttemptRecord, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	order, keyset := "ASC", "id > $4"
	if f.Newest {
		order, keyset = "DESC", "($4 = 0 OR id < $4)"
	}
	rs, err := s.b.Query(ctx, `SELECT id, task_id, campaign_id, resident_id, worker, state, outcome, sip_status,
		reason, hangup_by, recording_path, answered, invite_at, answer_at, end_at FROM attempts
		WHERE ($1 = 0 OR campaign_id = $1) AND ($2 = 0 OR resident_id = $2) AND ($3 = 0 OR outcome = $3)
		AND `+keyset+` ORDER BY id `+order+` LIMIT $5`, f.CampaignID, f.ResidentID, int(f.Outcome), f.AfterID, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("attempts: %w", err)
	}
	defer rs.Close()
	var out []AttemptRecord
	for rs.Next() {
		var a AttemptRecord
		var st, oc int
		if err := rs.Scan(&a.ID, &a.TaskID, &a.CampaignID, &a.ResidentID, &a.Worker, &st, &oc, &a.SIPStatus, &a.Reason,
			&a.HangupBy, &a.RecordingPath, &a.Answered, &a.InviteAt, &a.AnswerAt, &a.EndAt); err != nil {
			return nil, fmt.Errorf("attempts: %w", err)
		}
		a.State, a.Outcome = AttemptState(st), campaigns.Outcome(oc)
		out = append(out, a)
	}
	return out, rs.Err()
}
