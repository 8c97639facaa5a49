package storage

import (
	"context"
	"fmt"
	"time"

	"outreach/campaigns"
	"outreach/ivr"
)

// Result is what the robot reports about one attempt: the call's timings,
// SIP status, outcome, who hung up, the recording and the script's answers.
// It completes the attempt row made by BeginAttempt (the task's next step is
// FinishAttempt's business).
type Result struct {
	AttemptID     int64
	Outcome       campaigns.Outcome
	SIPStatus     int
	Reason        string
	Answered      bool
	HangupBy      string // robot | callee | timeout
	RecordingPath string
	InviteAt      time.Time // zero keeps the time BeginAttempt stored
	AnswerAt      time.Time
	EndAt         time.Time
	Answers       []ivr.Answer
}

// Answer value kinds stored in answers.kind.
const (
	valueNone = iota
	valueBool
	valueNumber
	valueText
)

var answerCols = []string{"attempt_id", "resident_id", "node", "key", "kind", "value_num", "value_enc",
	"raw_enc", "method", "confidence", "at"}

// WriteResults stores a batch of results in one transaction: the attempts
// are updated and every answer inserted (COPY on PostgreSQL). Free text
// (string values and raw input) is sealed. Results for unknown attempts
// fail the batch.
func (s *Store) WriteResults(ctx context.Context, results []Result) error {
	if len(results) == 0 {
		return nil
	}
	err := inTx(ctx, s.b, func(t tx) error {
		residents, err := s.updateAttempts(ctx, t, results)
		if err != nil {
			return err
		}
		var ans [][]any
		for _, r := range results {
			at := r.EndAt
			if at.IsZero() {
				at = s.now()
			}
			for _, a := range r.Answers {
				ans = append(ans, s.answerRow(r.AttemptID, residents[r.AttemptID], a, at))
			}
		}
		if len(ans) == 0 {
			return nil
		}
		_, err = t.CopyFrom(ctx, "answers", answerCols, ans)
		return err
	})
	if err != nil {
		return fmt.Errorf("write %d results: %w", len(results), err)
	}
	return nil
}

func (s *Store) answerRow(attemptID, residentID int64, a ivr.Answer, at time.Time) []any {
	kind, num, text := valueNone, any(nil), []byte(nil)
	switch v := a.Value.(type) {
	case bool:
		kind, num = valueBool, 0.0
		if v {
			num = 1.0
		}
	case float64:
		kind, num = valueNumber, v
	case int:
		kind, num = valueNumber, float64(v)
	case string:
		kind, text = valueText, s.ring.SealString(v)
	case nil:
	default:
		kind, text = valueText, s.ring.SealString(fmt.Sprint(v))
	}
	return []any{attemptID, residentID, a.Node, a.Key, int16(kind), num, text, s.ring.SealString(a.Raw),
		int16(a.Method), float32(a.Confidence), at}
}

func (s *Store) updateAttempts(ctx context.Context, t tx, results []Result) (map[int64]int64, error) {
	residents := make(map[int64]int64, len(results))
	if s.b.Postgres() {
		return residents, s.updateAttemptsPG(ctx, t, results, residents)
	}
	st, err := t.Prepare(ctx, `UPDATE attempts SET outcome = $2, sip_status = $3, reason = $4, answered = $5,
		hangup_by = $6, recording_path = $7, invite_at = COALESCE($8, invite_at), answer_at = $9, end_at = $10
		WHERE id = $1 RETURNING resident_id`)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	for _, r := range results {
		var rid int64
		err := st.QueryRow(ctx, r.AttemptID, int(r.Outcome), r.SIPStatus, r.Reason, r.Answered,
			r.HangupBy, r.RecordingPath, r.InviteAt, r.AnswerAt, r.EndAt).Scan(&rid)
		if err != nil {
			return nil, notFound(err, "attempt", r.AttemptID)
		}
		residents[r.AttemptID] = rid
	}
	return residents, nil
}

// updateAttemptsPG updates the whole batch with one statement over arrays.
func (s *Store) updateAttemptsPG(ctx context.Context, t tx, results []Result, residents map[int64]int64) error {
	n := len(results)
	ids, outcome, sip := make([]int64, n), make([]int32, n), make([]int32, n)
	reason, hangup, rec := make([]string, n), make([]string, n), make([]string, n)
	answered := make([]bool, n)
	invite, answer, end := make([]*time.Time, n), make([]*time.Time, n), make([]*time.Time, n)
	for i, r := range results {
		ids[i], outcome[i], sip[i] = r.AttemptID, int32(r.Outcome), int32(r.SIPStatus)
		reason[i], hangup[i], rec[i], answered[i] = r.Reason, r.HangupBy, r.RecordingPath, r.Answered
		invite[i], answer[i], end[i] = timePtr(r.InviteAt), timePtr(r.AnswerAt), timePtr(r.EndAt)
	}
	rs, err := t.Query(ctx, `UPDATE attempts a SET outcome = v.outcome, sip_status = v.sip, reason = v.reason,
		answered = v.answered, hangup_by = v.hangup, recording_path = v.rec,
		invite_at = COALESCE(v.invite, a.invite_at), answer_at = v.answer, end_at = v.fin
		FROM unnest($1::bigint[], $2::int[], $3::int[], $4::text[], $5::bool[], $6::text[], $7::text[],
			$8::timestamptz[], $9::timestamptz[], $10::timestamptz[])
			AS v(id, outcome, sip, reason, answered, hangup, rec, invite, answer, fin)
		WHERE a.id = v.id RETURNING a.id, a.resident_id`,
		ids, outcome, sip, reason, answered, hangup, rec, invite, answer, end)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var id, rid int64
		if err := rs.Scan(&id, &rid); err != nil {
			return err
		}
		residents[id] = rid
	}
	if err := rs.Err(); err != nil {
		return err
	}
	if len(residents) != n {
		return fmt.Errorf("%d of %d attempts: %w", n-len(residents), n, ErrNotFound)
	}
	return nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// AttemptRecord is a stored attempt row as reports and the console read it.
type AttemptRecord struct {
	ID, TaskID, CampaignID, ResidentID int64
	Worker                             string
	State                              AttemptState
	Outcome                            campaigns.Outcome
	SIPStatus                          int
	Reason, HangupBy, RecordingPath    string
	Answered                           bool
	InviteAt, AnswerAt, EndAt          time.Time
	Answers                            []ivr.Answer
}

// Attempt returns one attempt with its answers, unsealed.
func (s *Store) Attempt(ctx context.Context, id int64) (AttemptRecord, error) {
	var a AttemptRecord
	var st, oc int
	err := s.b.QueryRow(ctx, `SELECT id, task_id, campaign_id, resident_id, worker, state, outcome, sip_status,
		reason, hangup_by, recording_path, answered, invite_at, answer_at, end_at FROM attempts WHERE id = $1`, id).
		Scan(&a.ID, &a.TaskID, &a.CampaignID, &a.ResidentID, &a.Worker, &st, &oc, &a.SIPStatus, &a.Reason,
			&a.HangupBy, &a.RecordingPath, &a.Answered, &a.InviteAt, &a.AnswerAt, &a.EndAt)
	if err != nil {
		return a, notFound(err, "attempt", id)
	}
	a.State, a.Outcome = AttemptState(st), campaigns.Outcome(oc)
	a.Answers, err = s.answers(ctx, id)
	return a, err
}

func (s *Store) answers(ctx context.Context, attemptID int64) ([]ivr.Answer, error) {
	m, err := s.answersWhere(ctx, `attempt_id = $1`, attemptID)
	return m[attemptID], err
}

// answersWhere returns the answers matching cond, per attempt, in order.
func (s *Store) answersWhere(ctx context.Context, cond string, args ...any) (map[int64][]ivr.Answer, error) {
	rs, err := s.b.Query(ctx, `SELECT attempt_id, node, key, kind, value_num, value_enc, raw_enc, method, confidence
		FROM answers WHERE `+cond+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("answers: %w", err)
	}
	defer rs.Close()
	out := map[int64][]ivr.Answer{}
	for rs.Next() {
		var (
			a          ivr.Answer
			attempt    int64
			kind, meth int
			num        *float64
			val, raw   []byte
			conf       float64
		)
		if err := rs.Scan(&attempt, &a.Node, &a.Key, &kind, &num, &val, &raw, &meth, &conf); err != nil {
			return nil, fmt.Errorf("answers: %w", err)
		}
		a.Method, a.Confidence = ivr.Method(meth), conf
		if a.Raw, err = s.open(raw); err != nil {
			return nil, err
		}
		switch kind {
		case valueBool:
			a.Value = num != nil && *num != 0
		case valueNumber:
			if num != nil {
				a.Value = *num
			}
		case valueText:
			if a.Value, err = s.open(val); err != nil {
				return nil, err
			}
		}
		out[attempt] = append(out[attempt], a)
	}
	return out, rs.Err()
}
