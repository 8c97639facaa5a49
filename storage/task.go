package storage

import (
	"context"
	"fmt"
	"time"

	"outreach/campaigns"
)

// AttemptState is where one attempt row stands.
type AttemptState uint8

// Attempt states. An attempt is created dialing by the fence (the task's
// queued → dialing update); a lease that expired marks it interrupted.
const (
	AttemptDialing AttemptState = iota + 1
	AttemptFinished
	AttemptInterrupted
)

var attemptStateNames = [...]string{"", "dialing", "finished", "interrupted"}

// String returns the state's name.
func (s AttemptState) String() string {
	if int(s) < len(attemptStateNames) && s > 0 {
		return attemptStateNames[s]
	}
	return fmt.Sprintf("attempt_state(%d)", uint8(s))
}

// Task returns one task with its phone number and earlier outcomes (campaigns.TaskStore).
func (s *Store) Task(ctx context.Context, id int64) (campaigns.Task, error) {
	return s.task(ctx, s.b, id)
}

func (s *Store) task(ctx context.Context, q querier, id int64) (campaigns.Task, error) {
	var (
		t        campaigns.Task
		state    int
		phone    []byte
		outcomes string
	)
	err := q.QueryRow(ctx, `SELECT t.id, t.campaign_id, t.run_id, t.resident_id, r.phone_enc, t.due, t.state, t.outcomes
		FROM tasks t JOIN residents r ON r.id = t.resident_id WHERE t.id = $1`, id).
		Scan(&t.ID, &t.CampaignID, &t.RunID, &t.ResidentID, &phone, &t.Due, &state, &outcomes)
	if err == errNoRows {
		return t, fmt.Errorf("task %d: %w", id, campaigns.ErrNotFound)
	}
	if err != nil {
		return t, fmt.Errorf("task %d: %w", id, err)
	}
	t.State = campaigns.TaskState(state)
	if t.Phone, err = s.open(phone); err != nil {
		return t, fmt.Errorf("task %d: %w", id, err)
	}
	for _, o := range splitList(outcomes) {
		v, err := campaigns.ParseOutcome(o)
		if err != nil {
			return t, fmt.Errorf("task %d: %w", id, err)
		}
		t.Outcomes = append(t.Outcomes, v)
	}
	return t, nil
}

// BeginAttempt is the fence against double dialing: one conditional UPDATE
// moves the task queued → dialing (only one caller can win it), then the
// attempt row is inserted in the same transaction. A loser gets an error
// wrapping campaigns.ErrNotQueued (campaigns.TaskStore).
func (s *Store) BeginAttempt(ctx context.Context, taskID int64, token, worker string, at time.Time) (campaigns.Attempt, error) {
	a := campaigns.Attempt{TaskID: taskID, Token: token, Worker: worker, Start: at}
	err := inTx(ctx, s.b, func(t tx) error {
		n, err := t.Exec(ctx, `UPDATE tasks SET state = $2, token = $3 WHERE id = $1 AND state = $4`,
			taskID, int(campaigns.TaskDialing), token, int(campaigns.TaskQueued))
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("task %d: %w", taskID, campaigns.ErrNotQueued)
		}
		return t.QueryRow(ctx, `INSERT INTO attempts (task_id, campaign_id, resident_id, phone_hash, token, worker, state, invite_at)
			SELECT t.id, t.campaign_id, t.resident_id, r.phone_hash, $2, $3, $4, $5
			FROM tasks t JOIN residents r ON r.id = t.resident_id WHERE t.id = $1 RETURNING id`,
			taskID, token, worker, int(AttemptDialing), at).Scan(&a.ID)
	})
	if err != nil {
		return a, fmt.Errorf("begin attempt: %w", err)
	}
	return a, nil
}

// FinishAttempt records the result of a live attempt and the task's next
// step in one transaction (campaigns.TaskStore). A late finish of an attempt
// no longer dialing under its token changes nothing and returns an error
// wrapping campaigns.ErrLeaseLost.
func (s *Store) FinishAttempt(ctx context.Context, a campaigns.Attempt, r campaigns.CallResult, d campaigns.Decision) error {
	state, due := nextTaskState(d)
	err := inTx(ctx, s.b, func(t tx) error {
		n, err := t.Exec(ctx, `UPDATE attempts SET state = $3, outcome = $4, sip_status = $5, reason = $6,
			answered = $7, counted = $8, end_at = $9 WHERE id = $1 AND token = $2 AND state = $10`,
			a.ID, a.Token, int(AttemptFinished), int(r.Outcome), r.SIPStatus, r.Reason, r.Answered,
			d.Counted, r.End, int(AttemptDialing))
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("attempt %d: %w", a.ID, campaigns.ErrLeaseLost)
		}
		if r.Outcome == campaigns.OutcomeInterrupted {
			_, _ = t.Exec(ctx, `UPDATE attempts SET state = $2 WHERE id = $1`, a.ID, int(AttemptInterrupted))
		}
		q := `UPDATE tasks SET state = $3, token = '', reason = $4,
			outcomes = CASE WHEN outcomes = '' THEN $5 ELSE outcomes || ',' || $5 END`
		args := []any{a.TaskID, a.Token, int(state), d.Reason, r.Outcome.String()}
		if !due.IsZero() {
			q += `, due = $6`
			args = append(args, due)
		}
		n, err = t.Exec(ctx, q+` WHERE id = $1 AND token = $2 AND state = `+itoa(int(campaigns.TaskDialing)), args...)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("task %d: %w", a.TaskID, campaigns.ErrLeaseLost)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finish attempt: %w", err)
	}
	return nil
}

func itoa(i int) string { return fmt.Sprint(i) }

func nextTaskState(d campaigns.Decision) (campaigns.TaskState, time.Time) {
	switch d.Verdict {
	case campaigns.VerdictRetry:
		return campaigns.TaskQueued, d.At
	case campaigns.VerdictDone:
		return campaigns.TaskDone, time.Time{}
	case campaigns.VerdictExhausted:
		return campaigns.TaskExhausted, time.Time{}
	}
	return campaigns.TaskStopped, time.Time{}
}

// LiveAttempt returns the dialing attempt of a task still dialing under
// token, with the task; campaigns.ErrNotFound otherwise (campaigns.TaskStore).
func (s *Store) LiveAttempt(ctx context.Context, taskID int64, token string) (campaigns.Attempt, campaigns.Task, error) {
	a := campaigns.Attempt{TaskID: taskID}
	err := s.b.QueryRow(ctx, `SELECT a.id, a.token, a.worker, a.invite_at FROM attempts a JOIN tasks t ON t.id = a.task_id
		WHERE a.task_id = $1 AND a.token = $2 AND a.state = $3 AND t.state = $4 AND t.token = $2
		ORDER BY a.id DESC LIMIT 1`, taskID, token, int(AttemptDialing), int(campaigns.TaskDialing)).
		Scan(&a.ID, &a.Token, &a.Worker, &a.Start)
	if err == errNoRows {
		return a, campaigns.Task{}, fmt.Errorf("live attempt of task %d: %w", taskID, campaigns.ErrNotFound)
	}
	if err != nil {
		return a, campaigns.Task{}, fmt.Errorf("live attempt of task %d: %w", taskID, err)
	}
	t, err := s.Task(ctx, taskID)
	return a, t, err
}

// Defer keeps a queued task queued with a later due time (campaigns.TaskStore).
func (s *Store) Defer(ctx context.Context, taskID int64, due time.Time, reason campaigns.RuleReason) error {
	return s.queuedUpdate(ctx, taskID, `UPDATE tasks SET due = $3, reason = $4 WHERE id = $1 AND state = $2`,
		due, reason.String())
}

// CloseTask ends a queued task without dialing (Close of campaigns.TaskStore,
// see TaskStore).
func (s *Store) CloseTask(ctx context.Context, taskID int64, reason campaigns.RuleReason) error {
	return s.queuedUpdate(ctx, taskID, `UPDATE tasks SET state = $3, reason = $4 WHERE id = $1 AND state = $2`,
		int(campaigns.TaskStopped), reason.String())
}

func (s *Store) queuedUpdate(ctx context.Context, taskID int64, q string, args ...any) error {
	n, err := s.b.Exec(ctx, q, append([]any{taskID, int(campaigns.TaskQueued)}, args...)...)
	if err != nil {
		return fmt.Errorf("task %d: %w", taskID, err)
	}
	if n == 0 {
		return fmt.Errorf("task %d: %w", taskID, campaigns.ErrNotQueued)
	}
	return nil
}

// NumberHistory counts the counted attempts to phone since dayStart and
// returns the end of its latest attempt (campaigns.RuleStore).
func (s *Store) NumberHistory(ctx context.Context, phone string, dayStart time.Time) (campaigns.NumberHistory, error) {
	var h campaigns.NumberHistory
	err := s.b.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN invite_at >= $2 AND counted THEN 1 ELSE 0 END), 0),
		MAX(COALESCE(end_at, invite_at)) FROM attempts WHERE phone_hash = $1`, s.ring.Index(phone), dayStart).
		Scan(&h.Attempts, &h.Last)
	if err != nil {
		return h, fmt.Errorf("number history: %w", err)
	}
	return h, nil
}

// CompletedToday reports whether the resident completed the campaign's
// script since dayStart (campaigns.RuleStore).
func (s *Store) CompletedToday(ctx context.Context, residentID, campaignID int64, dayStart time.Time) (bool, error) {
	var n int
	err := s.b.QueryRow(ctx, `SELECT COUNT(*) FROM attempts WHERE resident_id = $1 AND campaign_id = $2
		AND outcome = $3 AND end_at >= $4`, residentID, campaignID, int(campaigns.OutcomeCompleted), dayStart).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("completed today: %w", err)
	}
	return n > 0, nil
}

// DueTasks lists the queued tasks of a campaign after afterID, in id order,
// to rebuild the dispatch queue.
func (s *Store) DueTasks(ctx context.Context, campaignID, afterID int64, limit int) ([]campaigns.DueTask, error) {
	rs, err := s.b.Query(ctx, `SELECT id, due FROM tasks WHERE campaign_id = $1 AND state = $2 AND id > $3
		ORDER BY id LIMIT $4`, campaignID, int(campaigns.TaskQueued), afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("due tasks: %w", err)
	}
	defer rs.Close()
	var out []campaigns.DueTask
	for rs.Next() {
		var d campaigns.DueTask
		if err := rs.Scan(&d.TaskID, &d.Due); err != nil {
			return nil, fmt.Errorf("due tasks: %w", err)
		}
		out = append(out, d)
	}
	return out, rs.Err()
}
