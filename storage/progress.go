package storage

import (
	"context"
	"fmt"

	"outreach/campaigns"
)

// Progress is where a campaign stands: its tasks by state and its attempts.
type Progress struct {
	Tasks     int // every task of every run
	Queued    int // waiting (including retries not yet due)
	Dialing   int // a call is live
	Done      int // reached
	Stopped   int // closed without success (invalid number, rejected, do-not-call...)
	Exhausted int // out of attempts: handed to follow-up
	Cancelled int
	Attempts  int                       // INVITEs sent
	Answered  int                       // attempts answered
	Outcomes  map[campaigns.Outcome]int // attempts by outcome (finished ones)
}

// Finished is the number of tasks in a final state.
func (p Progress) Finished() int { return p.Done + p.Stopped + p.Exhausted + p.Cancelled }

// CampaignProgress counts a campaign's tasks and attempts.
func (s *Store) CampaignProgress(ctx context.Context, campaignID int64) (Progress, error) {
	p := Progress{Outcomes: map[campaigns.Outcome]int{}}
	rows, err := s.b.Query(ctx, `SELECT state, COUNT(*) FROM tasks WHERE campaign_id = $1 GROUP BY state`, campaignID)
	if err != nil {
		return p, fmt.Errorf("campaign progress: %w", err)
	}
	for rows.Next() {
		var st, n int
		if err := rows.Scan(&st, &n); err != nil {
			rows.Close()
			return p, fmt.Errorf("campaign progress: %w", err)
		}
		p.Tasks += n
		switch campaigns.TaskState(st) {
		case campaigns.TaskQueued:
			p.Queued += n
		case campaigns.TaskDialing:
			p.Dialing += n
		case campaigns.TaskDone:
			p.Done += n
		case campaigns.TaskStopped:
			p.Stopped += n
		case campaigns.TaskExhausted:
			p.Exhausted += n
		case campaigns.TaskCancelled:
			p.Cancelled += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("campaign progress: %w", err)
	}
	return p, s.attemptCounts(ctx, campaignID, &p)
}

func (s *Store) attemptCounts(ctx context.Context, campaignID int64, p *Progress) error {
	rows, err := s.b.Query(ctx, `SELECT a.outcome, a.answered, COUNT(*) FROM attempts a
		JOIN tasks t ON t.id = a.task_id WHERE t.campaign_id = $1 GROUP BY a.outcome, a.answered`, campaignID)
	if err != nil {
		return fmt.Errorf("campaign progress: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o, n int
		var answered bool
		if err := rows.Scan(&o, &answered, &n); err != nil {
			return fmt.Errorf("campaign progress: %w", err)
		}
		p.Attempts += n
		if answered {
			p.Answered += n
		}
		if o != int(campaigns.OutcomeUnknown) {
			p.Outcomes[campaigns.Outcome(o)] += n
		}
	}
	return rows.Err()
}
