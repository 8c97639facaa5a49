package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"outreach/campaigns"
)

func (s *Server) campaignRoutes() []route {
	act := func(verb string, a campaigns.Action) route {
		return route{Method: "POST", Path: "/api/campaigns/{id}/" + verb, Tag: "campaigns",
			Summary: "Campaign action: " + verb, Perm: permOperate, Returns: "Campaign", Handler: s.apiAction(a)}
	}
	return []route{
		{Method: "GET", Path: "/api/campaigns", Tag: "campaigns", Summary: "Campaigns owned by a unit in your area (unit_id; 0 = organisation-wide: admins only)", Perm: permRead, Returns: "CampaignList", Handler: s.apiCampaigns},
		{Method: "POST", Path: "/api/campaigns", Tag: "campaigns", Summary: "Create a draft campaign (script, target, schedule, windows, limits, retries); owned by your unit unless an admin gives unit_id, its target a community or grid inside it", Perm: permOperate, Create: true, Body: "CampaignInput", Returns: "Campaign", Handler: s.apiCreateCampaign},
		{Method: "GET", Path: "/api/campaigns/{id}", Tag: "campaigns", Summary: "One campaign", Perm: permRead, Returns: "Campaign", Handler: s.apiCampaign},
		{Method: "PATCH", Path: "/api/campaigns/{id}", Tag: "campaigns", Summary: "Change a campaign's settings (unit_id moves it inside your area)", Perm: permOperate, Body: "CampaignInput", Returns: "Campaign", Handler: s.apiUpdateCampaign},
		act("launch", campaigns.ActionStart), act("pause", campaigns.ActionPause),
		act("resume", campaigns.ActionResume), act("cancel", campaigns.ActionCancel),
		{Method: "GET", Path: "/api/campaigns/{id}/progress", Tag: "campaigns", Summary: "Live progress: totals, outcomes, calls in progress", Perm: permRead, Handler: s.apiProgress},
		{Method: "GET", Path: "/api/campaigns/{id}/events", Tag: "campaigns", Summary: "Progress as server-sent events (text/event-stream, event: progress)", Perm: permRead, Handler: s.apiEvents},
		{Method: "GET", Path: "/api/campaigns/{id}/runs", Tag: "campaigns", Summary: "The campaign's runs", Perm: permRead, Handler: s.apiRuns},
		{Method: "GET", Path: "/api/campaigns/{id}/export", Tag: "exports", Summary: "Results as XLSX or CSV (format=xlsx|csv; unmask=1 needs the unmask right); audited", Perm: permOperate, Handler: s.apiExport},
	}
}

type targetJSON struct {
	Kind string `json:"kind"`
	Ref  string `json:"ref,omitempty"`
}

type scheduleJSON struct {
	At       *time.Time `json:"at,omitempty"`
	Cron     []string   `json:"cron,omitempty"`
	Timezone string     `json:"timezone,omitempty"`
	OnLaunch bool       `json:"on_launch,omitempty"` // runs once when launched
}

type campaignJSON struct {
	ID          int64        `json:"id"`
	Name        string       `json:"name"`
	State       string       `json:"state"`
	Priority    string       `json:"priority"`
	ScriptID    string       `json:"script_id"`
	Trunk       string       `json:"trunk"`
	Target      targetJSON   `json:"target"`
	UnitID      int64        `json:"unit_id"` // owner org unit; 0 = organisation-wide (admins)
	Schedule    scheduleJSON `json:"schedule"`
	Windows     []string     `json:"windows"`
	DailyCap    int          `json:"daily_cap"`
	MinSpacingS int          `json:"min_spacing_seconds"`
	MaxLines    int          `json:"max_lines"`
	CPS         float64      `json:"cps"`
	MaxAttempts int          `json:"max_attempts"`
	Created     time.Time    `json:"created"`
}

func viewCampaign(c campaigns.Campaign) campaignJSON {
	v := campaignJSON{ID: c.ID, Name: c.Name, State: c.State.String(), Priority: "routine", ScriptID: c.ScriptID,
		Trunk: c.Trunk, Target: targetJSON{c.Target.Kind.String(), c.Target.Ref}, UnitID: c.Unit,
		Schedule: scheduleJSON{Cron: c.Schedule.Cron, Timezone: c.Schedule.Timezone, OnLaunch: c.Schedule.OnLaunch}, Windows: []string{},
		DailyCap: c.Rules.DailyCap, MinSpacingS: int(c.Rules.MinSpacing / time.Second), MaxLines: c.Limits.MaxLines,
		CPS: c.Limits.CPS, MaxAttempts: c.Retry.MaxAttempts, Created: c.Created}
	if c.Priority == campaigns.PriorityUrgent {
		v.Priority = "urgent"
	}
	if !c.Schedule.At.IsZero() {
		at := c.Schedule.At
		v.Schedule.At = &at
	}
	for _, sp := range c.Rules.Windows.Days[time.Monday] {
		v.Windows = append(v.Windows, fmt.Sprintf("%02d:%02d-%02d:%02d", sp.From/60, sp.From%60, sp.To/60, sp.To%60))
	}
	return v
}

// campaignInput is a create or patch body; absent fields are kept.
type campaignInput struct {
	Name        *string       `json:"name"`
	Priority    *string       `json:"priority"`
	ScriptID    *string       `json:"script_id"`
	Trunk       *string       `json:"trunk"`
	Target      *targetJSON   `json:"target"`
	UnitID      *int64        `json:"unit_id"` // owner; default: the creator's unit (admins: 0, organisation-wide)
	Schedule    *scheduleJSON `json:"schedule"`
	Windows     []string      `json:"windows"` // "08:00-12:00", every day
	DailyCap    *int          `json:"daily_cap"`
	MinSpacingS *int          `json:"min_spacing_seconds"`
	MaxLines    *int          `json:"max_lines"`
	CPS         *float64      `json:"cps"`
	MaxAttempts *int          `json:"max_attempts"`
}

func (in campaignInput) apply(c *campaigns.Campaign) error {
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	str(&c.Name, in.Name)
	str(&c.ScriptID, in.ScriptID)
	str(&c.Trunk, in.Trunk)
	if in.Priority != nil {
		p, err := parsePriority(*in.Priority)
		if err != nil {
			return err
		}
		c.Priority = p
	}
	if err := in.applyTarget(c); err != nil {
		return err
	}
	if in.Schedule != nil {
		c.Schedule = campaigns.Schedule{Cron: in.Schedule.Cron, Timezone: in.Schedule.Timezone}
		if in.Schedule.At != nil {
			c.Schedule.At = *in.Schedule.At
		}
		if err := c.Schedule.Validate(); err != nil {
			return errBadRequest("schedule: %v", err)
		}
	}
	if in.Windows != nil {
		if err := setWindows(&c.Rules.Windows, in.Windows); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		dst *int
		v   *int
	}{{&c.Rules.DailyCap, in.DailyCap}, {&c.Limits.MaxLines, in.MaxLines}, {&c.Retry.MaxAttempts, in.MaxAttempts}} {
		if f.v != nil {
			if *f.v < 0 {
				return errBadRequest("limits must not be negative")
			}
			*f.dst = *f.v
		}
	}
	if in.MinSpacingS != nil {
		c.Rules.MinSpacing = time.Duration(*in.MinSpacingS) * time.Second
	}
	if in.CPS != nil {
		c.Limits.CPS = *in.CPS
	}
	if c.Name == "" || c.ScriptID == "" {
		return errBadRequest("name and script_id are required")
	}
	return nil
}

// applyTarget sets the target and the owner unit.
func (in campaignInput) applyTarget(c *campaigns.Campaign) error {
	if in.Target != nil {
		k, err := campaigns.ParseTargetKind(in.Target.Kind)
		if err != nil {
			return errBadRequest("target: %v", err)
		}
		c.Target = campaigns.Target{Kind: k, Ref: strings.TrimSpace(in.Target.Ref)}
	}
	if in.UnitID != nil {
		if *in.UnitID < 0 {
			return errBadRequest("unit_id must not be negative")
		}
		c.Unit = *in.UnitID
	}
	return nil
}

func parsePriority(v string) (campaigns.Priority, error) {
	switch v {
	case "routine", "":
		return campaigns.PriorityRoutine, nil
	case "urgent":
		return campaigns.PriorityUrgent, nil
	}
	return 0, errBadRequest("priority: want routine or urgent")
}

func setWindows(w *campaigns.Windows, spans []string) error {
	var list []campaigns.Span
	for _, v := range spans {
		sp, err := campaigns.ParseSpan(strings.TrimSpace(v))
		if err != nil {
			return errBadRequest("windows: %v", err)
		}
		list = append(list, sp)
	}
	for d := range w.Days {
		w.Days[d] = list
	}
	return nil
}

func (s *Server) apiCampaigns(w http.ResponseWriter, r *http.Request, p *Principal) error {
	list, err := s.cfg.Campaigns.Campaigns(r.Context(), p.Scope)
	if err != nil {
		return err
	}
	out := []campaignJSON{}
	for _, c := range list {
		out = append(out, viewCampaign(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"campaigns": out})
	return nil
}

func (s *Server) campaignArg(r *http.Request, p *Principal) (campaigns.Campaign, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return campaigns.Campaign{}, err
	}
	return s.cfg.Campaigns.Campaign(r.Context(), p.Scope, id)
}

func (s *Server) apiCampaign(w http.ResponseWriter, r *http.Request, p *Principal) error {
	c, err := s.campaignArg(r, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewCampaign(c))
	return nil
}

// newCampaign is a draft with the default rules and retry policy.
func newCampaign() campaigns.Campaign {
	return campaigns.Campaign{State: campaigns.StateDraft, Rules: campaigns.DefaultRules(),
		Retry: campaigns.DefaultRetryPolicy()}
}

func (s *Server) apiCreateCampaign(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in campaignInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c := newCampaign()
	if err := in.apply(&c); err != nil {
		return err
	}
	c, err := s.createCampaign(r, p, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, viewCampaign(c))
	return nil
}

func (s *Server) createCampaign(r *http.Request, p *Principal, c campaigns.Campaign) (campaigns.Campaign, error) {
	if c.Trunk == "" { // the wizard does not ask: the deployment's default trunk
		c.Trunk = s.cfg.DefaultTrunk
	}
	if len(c.Schedule.Cron) == 0 && c.Schedule.At.IsZero() {
		// A campaign without a schedule runs once, when it is launched
		// (campaignDo moves At to the launch time).
		c.Schedule.At, c.Schedule.OnLaunch = s.now(), true
	}
	if s.cfg.Scripts != nil { // pin the version: "id@version"
		id, ver, pinned := strings.Cut(c.ScriptID, "@")
		n, _ := strconv.Atoi(ver)
		if pinned && n <= 0 {
			return c, errBadRequest("script_id %q: bad version", c.ScriptID)
		}
		_, v, err := s.cfg.Scripts.Get(r.Context(), id, n)
		if err != nil {
			return c, errBadRequest("script_id %q: no such script", c.ScriptID)
		}
		c.ScriptID = v.ID + "@" + strconv.Itoa(v.Version)
	}
	if c.Unit == 0 && p.Role != RoleAdmin { // staff own what they create
		c.Unit = p.OrgUnitID
	}
	c.Created = s.now()
	id, err := s.cfg.Campaigns.CreateCampaign(r.Context(), p.Scope, c)
	if err != nil {
		return c, err
	}
	c.ID = id
	s.audit(r.Context(), p.Username, "campaign.create", fmt.Sprintf("campaign:%d", id), c.Target.Kind.String())
	return c, nil
}

func (s *Server) apiUpdateCampaign(w http.ResponseWriter, r *http.Request, p *Principal) error {
	c, err := s.campaignArg(r, p)
	if err != nil {
		return err
	}
	var in campaignInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := in.apply(&c); err != nil {
		return err
	}
	if err := s.cfg.Campaigns.UpdateCampaign(r.Context(), p.Scope, c); err != nil {
		return err
	}
	s.audit(r.Context(), p.Username, "campaign.update", fmt.Sprintf("campaign:%d", c.ID), "")
	writeJSON(w, http.StatusOK, viewCampaign(c))
	return nil
}

func (s *Server) apiAction(a campaigns.Action) apiFunc {
	return func(w http.ResponseWriter, r *http.Request, p *Principal) error {
		c, err := s.campaignDo(r, p, a)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, viewCampaign(c))
		return nil
	}
}

// campaignDo applies a to the {id} campaign inside the principal's scope.
func (s *Server) campaignDo(r *http.Request, p *Principal, a campaigns.Action) (campaigns.Campaign, error) {
	c, err := s.campaignArg(r, p) // scope check
	if err != nil {
		return c, err
	}
	if !p.Scope.Has(c.Unit) { // seen (it calls their area) but owned above them
		return c, fmt.Errorf("campaign %d: owned outside your area: %w", c.ID, ErrForbidden)
	}
	if a == campaigns.ActionStart && (c.State == campaigns.StateDraft || c.State == campaigns.StateScheduled) && c.Schedule.OnLaunch && !c.Schedule.Recurring() {
		c.Schedule.At = s.now()
		if err := s.cfg.Campaigns.UpdateCampaign(r.Context(), p.Scope, c); err != nil {
			return c, fmt.Errorf("campaign %d launch: %w", c.ID, err)
		}
	}
	c, err = s.cfg.Runner.Do(r.Context(), c.ID, a)
	if err != nil {
		return c, err
	}
	s.audit(r.Context(), p.Username, "campaign."+a.String(), fmt.Sprintf("campaign:%d", c.ID), c.State.String())
	return c, nil
}

func (s *Server) apiProgress(w http.ResponseWriter, r *http.Request, p *Principal) error {
	c, err := s.campaignArg(r, p)
	if err != nil {
		return err
	}
	pr, err := s.cfg.Runner.Progress(r.Context(), c.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pr)
	return nil
}

func (s *Server) apiRuns(w http.ResponseWriter, r *http.Request, p *Principal) error {
	c, err := s.campaignArg(r, p)
	if err != nil {
		return err
	}
	rl, ok := s.cfg.Campaigns.(RunLister)
	if !ok {
		return ErrNotImplemented
	}
	runs, err := rl.Runs(r.Context(), c.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"runs": runs})
	return nil
}

// RunLister lists a campaign's runs (optional on Campaigns).
type RunLister interface {
	Runs(ctx context.Context, campaignID int64) ([]RunJSON, error)
}

// RunJSON is one run of a campaign.
type RunJSON struct {
	ID         int64     `json:"id"`
	Occurrence time.Time `json:"occurrence"`
	Tasks      int       `json:"tasks"`
}
