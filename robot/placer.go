package robot

import (
	"context"
	"fmt"
	"time"

	"outreach/campaigns"
	"outreach/followup"
	"outreach/ivr"
)

// Scripts finds the script a campaign pinned.
type Scripts interface {
	Script(ctx context.Context, id string) (*ivr.Script, error)
}

// Residents tells the robot what it may say about the person it calls.
type Residents interface {
	Resident(ctx context.Context, id int64) (Resident, error)
}

// Resident is what a call needs of a resident: the name spoken (masked by
// the script unless it says otherwise) and where they live, for follow-ups.
type Resident struct {
	Name        string
	CommunityID int64
	Org         string // the organisation calling, e.g. the street office
}

// Results stores what one call produced (attempt details and answers).
type Results interface {
	SaveCall(ctx context.Context, rec CallRecord) error
}

// CallRecord is one attempt's outcome, timings and answers, for storage.
type CallRecord struct {
	AttemptID  int64
	ResidentID int64
	Report     *Report
	Outcome    campaigns.Outcome
}

// Followups turns each call into the resident's health record and alerts.
type Followups interface {
	RecordCall(ctx context.Context, c followup.Call) (followup.Record, []followup.Alert, error)
}

// Placer places campaign calls: it implements campaigns.Placer with the
// robot, storing results and feeding follow-ups before it reports back, so
// a crash after Place returns never loses a result.
type Placer struct {
	Robot     *Robot
	Scripts   Scripts
	Residents Residents
	Results   Results
	Followups Followups // nil: no follow-up records
	// RingTimeout and MaxDuration bound each call (0: 45 s and 10 min).
	RingTimeout, MaxDuration time.Duration
}

var _ campaigns.Placer = (*Placer)(nil)

// Place runs one attempt of a task.
func (p *Placer) Place(ctx context.Context, c campaigns.Campaign, t campaigns.Task, a campaigns.Attempt) (campaigns.CallResult, error) {
	script, err := p.Scripts.Script(ctx, c.ScriptID)
	if err != nil {
		return campaigns.CallResult{}, fmt.Errorf("place task %d: script %s: %w", t.ID, c.ScriptID, err)
	}
	res, err := p.Residents.Resident(ctx, t.ResidentID)
	if err != nil {
		return campaigns.CallResult{}, fmt.Errorf("place task %d: resident: %w", t.ID, err)
	}
	job := Job{Trunk: c.Trunk, Number: t.Phone, RingTimeout: orDefault(p.RingTimeout, 45*time.Second),
		MaxDuration: orDefault(p.MaxDuration, 10*time.Minute), Script: script,
		Data: ivr.Data{Org: res.Org, Resident: ivr.Resident{Name: res.Name}, Campaign: ivr.Campaign{Name: c.Name}}}
	rep := p.Robot.Run(ctx, job)
	outcome := OutcomeOf(rep)
	if err := p.Results.SaveCall(ctx, CallRecord{AttemptID: a.ID, ResidentID: t.ResidentID, Report: rep, Outcome: outcome}); err != nil {
		return campaigns.CallResult{}, fmt.Errorf("place task %d: save result: %w", t.ID, err)
	}
	if p.Followups != nil {
		fc := followup.Call{ResidentID: t.ResidentID, CommunityID: res.CommunityID, CampaignID: c.ID, TaskID: t.ID,
			AttemptID: a.ID, Outcome: outcome, Answered: rep.Answered, Result: rep.Script, End: rep.EndAt}
		if _, _, err := p.Followups.RecordCall(ctx, fc); err != nil {
			return campaigns.CallResult{}, fmt.Errorf("place task %d: follow-up: %w", t.ID, err)
		}
	}
	return campaigns.CallResult{Outcome: outcome, SIPStatus: rep.SIPStatus, Reason: rep.Reason,
		Answered: rep.Answered, Start: rep.InviteAt, End: rep.EndAt}, nil
}

// OutcomeOf maps a report to the campaign outcome the retry policy uses.
func OutcomeOf(rep *Report) campaigns.Outcome {
	o, err := campaigns.ParseOutcome(rep.Outcome)
	if err != nil {
		return campaigns.OutcomeTrunkError
	}
	return o
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
