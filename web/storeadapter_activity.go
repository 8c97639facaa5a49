package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"outreach/campaigns"
	"outreach/followup"
	"outreach/storage"
)

// --- Campaigns: a non-admin changes the campaigns owned by a unit in their
// scope, and sees those and the campaigns owned above them that call a
// community or grid of theirs; organisation-wide campaigns (unit 0) are the
// admins'. ---

func (a *StoreAdapter) Campaigns(ctx context.Context, sc Scope) ([]campaigns.Campaign, error) {
	return a.S.ListCampaigns(ctx, storage.CampaignFilter{Units: sc.IDs(), Targeted: true})
}

func (a *StoreAdapter) Campaign(ctx context.Context, sc Scope, id int64) (campaigns.Campaign, error) {
	c, err := a.S.Campaign(ctx, id)
	if err != nil || sc.Has(c.Unit) {
		return c, err
	}
	seen, err := a.S.ListCampaigns(ctx, storage.CampaignFilter{ID: id, Units: sc.IDs(), Targeted: true})
	if err != nil {
		return campaigns.Campaign{}, err
	}
	if len(seen) == 0 {
		return campaigns.Campaign{}, fmt.Errorf("campaign %d: %w", id, ErrForbidden)
	}
	return c, nil
}

// CreateCampaign stores c; a staff member's campaign without an owner is
// owned by their unit.
func (a *StoreAdapter) CreateCampaign(ctx context.Context, sc Scope, c campaigns.Campaign) (int64, error) {
	if c.Unit == 0 && !sc.All {
		c.Unit = sc.Root
	}
	if err := a.checkCampaign(ctx, sc, c); err != nil {
		return 0, fmt.Errorf("create campaign: %w", err)
	}
	return a.S.CreateCampaign(ctx, c)
}

// UpdateCampaign rewrites a campaign owned inside the scope; its new
// owner and target must be inside too.
func (a *StoreAdapter) UpdateCampaign(ctx context.Context, sc Scope, c campaigns.Campaign) error {
	old, err := a.Campaign(ctx, sc, c.ID)
	if err != nil {
		return err
	}
	if !sc.Has(old.Unit) {
		return fmt.Errorf("update campaign %d: owned outside your area: %w", c.ID, ErrForbidden)
	}
	if err := a.checkCampaign(ctx, sc, c); err != nil {
		return fmt.Errorf("update campaign %d: %w", c.ID, err)
	}
	return a.S.UpdateCampaign(ctx, c)
}

// checkCampaign refuses, to a non-admin, a campaign owned outside their
// scope, and one whose target is not a community or grid that the owner's
// subtree holds (a run resolves the target's name there).
func (a *StoreAdapter) checkCampaign(ctx context.Context, sc Scope, c campaigns.Campaign) error {
	if sc.All {
		return nil
	}
	if !sc.Has(c.Unit) {
		return fmt.Errorf("owner unit %d outside your area: %w", c.Unit, ErrForbidden)
	}
	var lvl storage.Level
	switch c.Target.Kind {
	case campaigns.TargetCommunity:
		lvl = storage.LevelCommunity
	case campaigns.TargetGrid:
		lvl = storage.LevelGrid
	default:
		return fmt.Errorf("target %s: only admins target more than a community or grid: %w", c.Target.Kind, ErrForbidden)
	}
	units, err := a.S.OrgUnits(ctx)
	if err != nil {
		return err
	}
	for _, u := range subtree(units, c.Unit) {
		if u.Level == lvl && u.Name == c.Target.Ref && sc.Has(u.ID) {
			return nil
		}
	}
	return fmt.Errorf("target %s %q: not in the owner's area: %w", c.Target.Kind, c.Target.Ref, ErrForbidden)
}

// subtree returns unit root and every unit below it.
func subtree(units []storage.OrgUnit, root int64) []storage.OrgUnit {
	children := map[int64][]storage.OrgUnit{}
	var out []storage.OrgUnit
	for _, u := range units {
		children[u.ParentID] = append(children[u.ParentID], u)
		if u.ID == root {
			out = append(out, u)
		}
	}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i].ID]...)
	}
	return out
}

// ExportCampaign exports a campaign owned inside the scope.
func (a *StoreAdapter) ExportCampaign(ctx context.Context, sc Scope, w io.Writer, id int64, opt storage.ExportOptions) (int, error) {
	c, err := a.Campaign(ctx, sc, id)
	if err != nil {
		return 0, err
	}
	if !sc.Has(c.Unit) {
		return 0, fmt.Errorf("export campaign %d: owned outside your area: %w", id, ErrForbidden)
	}
	return a.S.ExportCampaign(ctx, w, id, opt)
}

// --- Alerts ---

// view reads alert id with its resident (cached in people).
func (a *StoreAdapter) view(ctx context.Context, id int64, people map[int64]storage.Resident) (AlertView, storage.Resident, error) {
	x, err := a.F.Alert(ctx, id)
	if err != nil {
		return AlertView{}, storage.Resident{}, err
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
	r, ok := people[x.ResidentID]
	if !ok {
		if r, err = a.S.Resident(ctx, x.ResidentID); err != nil && !errors.Is(err, storage.ErrNotFound) {
			return AlertView{}, r, err
		}
		people[x.ResidentID] = r
	}
	v.ResidentName = r.Name
	if v.CommunityID == 0 {
		v.CommunityID = r.CommunityID
	}
	return v, r, nil
}

// Alerts lists the alerts of residents in scope, newest first (at most
// q.Limit; 0 = 2000).
func (a *StoreAdapter) Alerts(ctx context.Context, sc Scope, q AlertQuery) ([]AlertView, error) {
	if q.Limit <= 0 {
		q.Limit = 2000
	}
	list, err := a.S.Alerts(ctx, storage.AlertFilter{Status: q.Status, ResidentID: q.ResidentID,
		AssigneeID: q.AssigneeID, Units: sc.IDs(), Limit: q.Limit})
	if err != nil {
		return nil, err
	}
	people := map[int64]storage.Resident{}
	out := make([]AlertView, 0, len(list))
	for _, x := range list {
		v, _, err := a.view(ctx, x.ID, people)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Alert returns an alert of a resident in scope.
func (a *StoreAdapter) Alert(ctx context.Context, sc Scope, id int64) (AlertView, error) {
	v, r, err := a.view(ctx, id, map[int64]storage.Resident{})
	if err != nil {
		return v, err
	}
	if !inScope(sc, r) {
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

// Calls lists attempts to residents in scope, newest first, with their
// answers.
func (a *StoreAdapter) Calls(ctx context.Context, sc Scope, q CallQuery) ([]storage.AttemptRecord, error) {
	f := storage.AttemptFilter{CampaignID: q.CampaignID, ResidentID: q.ResidentID, AfterID: q.AfterID, Limit: q.Limit,
		Newest: true, Answers: true, Units: sc.IDs()}
	if q.Outcome != "" {
		o, err := campaigns.ParseOutcome(q.Outcome)
		if err != nil {
			return nil, errBadRequest("outcome: %v", err)
		}
		f.Outcome = o
	}
	return a.S.Attempts(ctx, f)
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

// Today sums today's figures of the residents in scope (records, alerts
// and observations are selected by area in SQL).
func (a *StoreAdapter) Today(ctx context.Context, sc Scope) (followup.Counts, error) {
	d := a.Service.Today()
	recs, err := a.F.RecordsOnIn(ctx, d, sc.IDs())
	if err != nil {
		return followup.Counts{}, err
	}
	alerts, err := a.F.AlertsOnIn(ctx, d, sc.IDs())
	if err != nil {
		return followup.Counts{}, err
	}
	obs, err := a.UnderObservation(ctx, sc, time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return followup.Counts{}, err
	}
	due := make([]followup.Due, 0, len(obs))
	for _, o := range obs {
		due = append(due, followup.Due{ResidentID: o.ResidentID, CommunityID: o.CommunityID})
	}
	return followup.Summarize(d, due, recs, alerts).Total, nil
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
