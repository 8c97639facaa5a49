package web

import (
	"context"
	"fmt"

	"outreach/storage"
)

// StoreProgress computes a campaign's progress from storage's task and
// attempt rows: queued tasks, plus every task that has attempts (its last
// attempt decides: dialing, or finished with that outcome). Interim: it
// scans rows on every call; storage should count by state (StorageGaps).
// Tasks closed by a rule before any attempt are not counted.
type StoreProgress struct{ S *storage.Store }

// scanLimit bounds the task and attempt rows one progress call reads.
const scanLimit = 50000

// Progress implements ProgressSource.
func (sp StoreProgress) Progress(ctx context.Context, id int64) (Progress, error) {
	c, err := sp.S.Campaign(ctx, id)
	if err != nil {
		return Progress{}, err
	}
	p := Progress{CampaignID: id, State: c.State.String(), Outcomes: map[string]int{}, Live: []LiveCall{}}
	queued := map[int64]bool{}
	for after := int64(0); len(queued) < scanLimit; {
		page, err := sp.S.DueTasks(ctx, id, after, 1000)
		if err != nil {
			return p, fmt.Errorf("progress: %w", err)
		}
		for _, d := range page {
			queued[d.TaskID] = true
		}
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1].TaskID
	}
	last, err := sp.lastAttempts(ctx, id)
	if err != nil {
		return p, err
	}
	p.Queued = len(queued)
	for task, a := range last {
		if queued[task] {
			continue // retry pending
		}
		if a.State == storage.AttemptDialing {
			p.Dialing++
			p.Live = append(p.Live, LiveCall{TaskID: task, ResidentID: a.ResidentID, Since: a.InviteAt,
				Stage: stage(a), Phone: sp.maskedPhone(ctx, a.ResidentID)})
			continue
		}
		p.Done++
		p.Outcomes[a.Outcome.String()]++
	}
	p.Total = p.Queued + p.Dialing + p.Done
	p.Percent = percent(p.Done, p.Total)
	return p, nil
}

// lastAttempts returns each task's newest attempt.
func (sp StoreProgress) lastAttempts(ctx context.Context, id int64) (map[int64]storage.AttemptRecord, error) {
	last := map[int64]storage.AttemptRecord{}
	f := storage.AttemptFilter{CampaignID: id, Limit: 1000}
	for scanned := 0; scanned < scanLimit; {
		page, err := sp.S.Attempts(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("progress: %w", err)
		}
		for _, a := range page {
			last[a.TaskID] = a // ascending ids: the later one wins
		}
		if len(page) < f.Limit {
			break
		}
		f.AfterID, scanned = page[len(page)-1].ID, scanned+len(page)
	}
	return last, nil
}

func stage(a storage.AttemptRecord) string {
	if a.Answered || !a.AnswerAt.IsZero() {
		return "in_script"
	}
	return "dialing"
}

func (sp StoreProgress) maskedPhone(ctx context.Context, rid int64) string {
	r, err := sp.S.Resident(ctx, rid)
	if err != nil {
		return ""
	}
	return displayPhone(r.Phone, true)
}
