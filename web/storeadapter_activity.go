package web

import (
	"context"
	"fmt"
	"io"
	"time"

	"outreach/campaigns"
	"outreach/followup"
	"outreach/storage"
)

// --- Campaigns: until campaigns carry an owner unit, a non-admin sees a
// campaign whose target is a community or grid inside their scope. ---

func (a *StoreAdapter) campaignVisible(ctx context.Context, sc Scope, c campaigns.Campaign) (bool, error) {
	if sc.All {
		return true, nil
	}
	var lvl storage.Level
	switch c.Target.Kind {
	case campaigns.TargetCommunity:
		lvl = storage.LevelCommunity
	case campaigns.TargetGrid:
		lvl = storage.LevelGrid
	default:
		return false, nil
	}
	units, err := a.S.OrgUnits(ctx)
	if err != nil {
		return false, err
	}
	// Targets name units; names are not unique (the importer creates
	// communities at the root by name), so one unit of that name inside the
	// scope makes the campaign visible. Pending: targets by unit id.
	for _, u := range units {
		if u.Level == lvl && u.Name == c.Target.Ref && sc.Has(u.ID) {
			return true, nil
		}
	}
	return false, nil
}

func (a *StoreAdapter) Campaigns(ctx context.Context, sc Scope) ([]campaigns.Campaign, error) {
	all, err := a.S.Campaigns(ctx)
	if err != nil {
		return nil, err
	}
	var out []campaigns.Campaign
	for _, c := range all {
		ok, err := a.campaignVisible(ctx, sc, c)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, c)
		}
	}
	return out, nil
}

func (a *StoreAdapter) Campaign(ctx context.Context, sc Scope, id int64) (campaigns.Campaign, error) {
	c, err := a.S.Campaign(ctx, id)
	if err != nil {
		return c, err
	}
	ok, err := a.campaignVisible(ctx, sc, c)
	if err != nil {
		return c, err
	}
	if !ok {
		return campaigns.Campaign{}, fmt.Errorf("campaign %d: %w", id, ErrForbidden)
	}
	return c, nil
}

func (a *StoreAdapter) CreateCampaign(ctx context.Context, sc Scope, c campaigns.Campaign) (int64, error) {
	ok, err := a.campaignVisible(ctx, sc, c)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, fmt.Errorf("create campaign: target outside your area: %w", ErrForbidden)
	}
	return a.S.CreateCampaign(ctx, c)
}

func (a *StoreAdapter) UpdateCampaign(ctx context.Context, sc Scope, c campaigns.Campaign) error {
	if _, err := a.Campaign(ctx, sc, c.ID); err != nil {
		return err
	}
	ok, err := a.campaignVisible(ctx, sc, c)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("update campaign %d: target outside your area: %w", c.ID, ErrForbidden)
	}
	return a.S.UpdateCampaign(ctx, c)
}

// ExportCampaign exports a campaign inside the scope.
func (a *StoreAdapter) ExportCampaign(ctx context.Context, sc Scope, w io.Writer, id int64, opt storage.ExportOptions) (int, error) {
	if _, err := a.Campaign(ctx, sc, id); err != nil {
		return 0, err
	}
	return a.S.ExportCampaign(ctx, w, id, opt)
}

// --- Alerts ---

func (a *StoreAdapter) view(ctx context.Context, id int64, names map[int64]string) (AlertView, error) {
	x, err := a.F.Alert(ctx, id)
	if err != nil {
		return AlertView{}, err
	}
	v := AlertView{ID: x.ID, ResidentID: x.ResidentID, CommunityID: x.CommunityID, Kind: x.Kind,
		High: x.Priority == followup.PriorityHigh, Streak: x.Streak, Status: storage.AlertStatus(x.Status),
		AttemptID: x.AttemptID, AssigneeID: x.AssigneeID, Notes: x.Note, Created: x.Created,
		Acknowledged: x.Acknowledged, Resolved: x.Resolved}
	if x.Day != (campaigns.Date{}) {
		v.Day = fmt.Sprintf("%04d-%02d-%02d", x.Day.Year, x.Day.Month, x.Day.Day)
	}
	for _, n := range x.Notes {
		v.Notes += "\n" + n.Text
	}
	name, ok := names[x.ResidentID]
	if !ok {
		if r, err := a.S.Resident(ctx, x.ResidentID); err == nil {
			name = r.Name
			if v.CommunityID == 0 {
				v.CommunityID = r.CommunityID
			}
		}
		names[x.ResidentID] = name
	}
	v.ResidentName = name
	return v, nil
}

func (a *StoreAdapter) Alerts(ctx context.Context, sc Scope, q AlertQuery) ([]AlertView, error) {
	list, err := a.S.Alerts(ctx, storage.AlertFilter{Status: q.Status, ResidentID: q.ResidentID,
		AssigneeID: q.AssigneeID, Limit: 2000})
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	out := []AlertView{}
	for _, x := range list {
		v, err := a.view(ctx, x.ID, names)
		if err != nil {
			return nil, err
		}
		if sc.Has(v.CommunityID) && (q.Limit == 0 || len(out) < q.Limit) {
			out = append(out, v)
		}
	}
	return out, nil
}

func (a *StoreAdapter) Alert(ctx context.Context, sc Scope, id int64) (AlertView, error) {
	v, err := a.view(ctx, id, map[int64]string{})
	if err != nil {
		return v, err
	}
	if !sc.Has(v.CommunityID) {
		return AlertView{}, fmt.Errorf("alert %d: %w", id, ErrForbidden)
	}
	return v, nil
}

func (a *StoreAdapter) Acknowledge(ctx context.Context, sc Scope, id int64, actor string, assignee int64, note string) error {
	if _, err := a.Alert(ctx, sc, id); err != nil {
		return err
	}
	_, err := a.Service.Acknowledge(ctx, id, actor, assignee, note)
	return err
}

func (a *StoreAdapter) Resolve(ctx context.Context, sc Scope, id int64, actor, note string) error {
	if _, err := a.Alert(ctx, sc, id); err != nil {
		return err
	}
	_, err := a.Service.Resolve(ctx, id, actor, note)
	return err
}

func (a *StoreAdapter) Assign(ctx context.Context, sc Scope, id int64, _ string, assignee int64) error {
	if _, err := a.Alert(ctx, sc, id); err != nil {
		return err
	}
	return a.S.AssignAlert(ctx, id, assignee)
}

// --- Calls ---

// Calls lists attempts, newest first, of residents in scope, with their
// answers (one query per attempt until storage returns them in the list).
func (a *StoreAdapter) Calls(ctx context.Context, sc Scope, q CallQuery) ([]storage.AttemptRecord, error) {
	f := storage.AttemptFilter{CampaignID: q.CampaignID, ResidentID: q.ResidentID, AfterID: q.AfterID, Limit: 500, Newest: true}
	if q.Outcome != "" {
		o, err := campaigns.ParseOutcome(q.Outcome)
		if err != nil {
			return nil, errBadRequest("outcome: %v", err)
		}
		f.Outcome = o
	}
	if q.Limit <= 0 {
		q.Limit = 100
	}
	seen := map[int64]bool{}
	var out []storage.AttemptRecord
	for scanned := 0; len(out) < q.Limit && scanned < scanLimit; {
		page, err := a.S.Attempts(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, c := range page {
			ok, known := seen[c.ResidentID]
			if !known {
				r, err := a.S.Resident(ctx, c.ResidentID)
				ok = err == nil && inScope(sc, r)
				seen[c.ResidentID] = ok
			}
			if ok && len(out) < q.Limit {
				full, err := a.S.Attempt(ctx, c.ID)
				if err != nil {
					return nil, err
				}
				out = append(out, full)
			}
		}
		if len(page) < f.Limit {
			break
		}
		f.AfterID, scanned = page[len(page)-1].ID, scanned+len(page)
	}
	return out, nil
}

func (a *StoreAdapter) Call(ctx context.Context, sc Scope, id int64) (storage.AttemptRecord, error) {
	c, err := a.S.Attempt(ctx, id)
	if err != nil {
		return c, err
	}
	if _, err := a.Resident(ctx, sc, c.ResidentID); err != nil {
		return storage.AttemptRecord{}, err
	}
	return c, nil
}

func (a *StoreAdapter) Timeline(ctx context.Context, sc Scope, rid int64) (Timeline, error) {
	var t Timeline
	var err error
	if t.Resident, err = a.Resident(ctx, sc, rid); err != nil {
		return t, err
	}
	if t.Observations, err = a.S.Observations(ctx, rid); err != nil {
		return t, err
	}
	if t.Health, err = a.S.HealthRecords(ctx, rid); err != nil {
		return t, err
	}
	if t.Alerts, err = a.Alerts(ctx, sc, AlertQuery{ResidentID: rid}); err != nil {
		return t, err
	}
	t.Calls, err = a.Calls(ctx, sc, CallQuery{ResidentID: rid, Limit: 200})
	return t, err
}

// --- Summaries ---

// Today sums today's figures of the communities in scope.
func (a *StoreAdapter) Today(ctx context.Context, sc Scope) (followup.Counts, error) {
	d := a.Service.Today()
	recs, err := a.F.RecordsOn(ctx, d)
	if err != nil {
		return followup.Counts{}, err
	}
	alerts, err := a.F.AlertsOn(ctx, d)
	if err != nil {
		return followup.Counts{}, err
	}
	obs, err := a.UnderObservation(ctx, sc, time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return followup.Counts{}, err
	}
	var due []followup.Due
	for _, o := range obs {
		due = append(due, followup.Due{ResidentID: o.ResidentID, CommunityID: o.CommunityID})
	}
	sum := followup.Summarize(d, due, recs, alerts)
	var c followup.Counts
	for _, cc := range sum.Communities {
		if sc.Has(cc.CommunityID) {
			c.Due += cc.Due
			c.Answered += cc.Answered
			c.Completed += cc.Completed
			c.Abnormal += cc.Abnormal
			c.Unreachable += cc.Unreachable
		}
	}
	return c, nil
}

// Runs lists a campaign's runs (RunLister).
func (a *StoreAdapter) Runs(ctx context.Context, campaignID int64) ([]RunJSON, error) {
	runs, err := a.S.Runs(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	out := make([]RunJSON, 0, len(runs))
	for _, r := range runs {
		out = append(out, RunJSON{ID: r.ID, Occurrence: r.Occurrence, Tasks: r.Tasks})
	}
	return out, nil
}
