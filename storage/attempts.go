package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"outreach/campaigns"
)

// AttemptFilter selects attempts; zero fields do not filter.
type AttemptFilter struct {
	CampaignID int64
	ResidentID int64
	Outcome    campaigns.Outcome // OutcomeUnknown = any
	// Units keeps attempts to residents whose community or grid is one of
	// these org units; nil = no filter, empty = none.
	Units   []int64
	AfterID int64 // keyset: ids above (oldest first) or below (Newest) this one
	Limit   int   // default 100
	Newest  bool  // newest first
	Answers bool  // fill each attempt's answers (one more query)
}

// Attempts lists attempts, with their answers if f.Answers.
func (s *Store) Attempts(ctx context.Context, f AttemptFilter) ([]AttemptRecord, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	order, keyset := "ASC", "id > $4"
	if f.Newest {
		order, keyset = "DESC", "($4 = 0 OR id < $4)"
	}
	units := newUnitList(f.Units, 6)
	rs, err := s.b.Query(ctx, `SELECT id, task_id, campaign_id, resident_id, worker, state, outcome, sip_status,
		reason, hangup_by, recording_path, answered, invite_at, answer_at, end_at FROM attempts
		WHERE ($1 = 0 OR campaign_id = $1) AND ($2 = 0 OR resident_id = $2) AND ($3 = 0 OR outcome = $3)
		AND `+keyset+` AND `+units.residentIn("resident_id")+` ORDER BY id `+order+` LIMIT $5`,
		append([]any{f.CampaignID, f.ResidentID, int(f.Outcome), f.AfterID, f.Limit}, units.args...)...)
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
	rs.Close() // free the connection before the answers query
	if err := rs.Err(); err != nil || !f.Answers || len(out) == 0 {
		return out, err
	}
	return out, s.fillAnswers(ctx, out)
}

// fillAnswers sets the answers of each attempt in list.
func (s *Store) fillAnswers(ctx context.Context, list []AttemptRecord) error {
	ph := make([]string, len(list))
	args := make([]any, len(list))
	for i, a := range list {
		ph[i], args[i] = "$"+strconv.Itoa(i+1), a.ID
	}
	m, err := s.answersWhere(ctx, `attempt_id IN (`+strings.Join(ph, ",")+`)`, args...)
	if err != nil {
		return fmt.Errorf("attempts: %w", err)
	}
	for i := range list {
		list[i].Answers = m[list[i].ID]
	}
	return nil
}
