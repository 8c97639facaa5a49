package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"outreach/campaigns"
	"outreach/storage"
)

// unitNames maps org unit ids to names for display.
func (s *Server) unitNames(r *http.Request) map[int64]string {
	m := map[int64]string{}
	if units, err := s.cfg.Directory.OrgUnits(r.Context()); err == nil {
		for _, u := range units {
			m[u.ID] = u.Name
		}
	}
	return m
}

func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request, p *Principal) error {
	d, err := s.dashboard(r, p)
	if err != nil {
		return err
	}
	s.render(w, r, p, http.StatusOK, "dashboard", pageData{Title: message(langOf(r), "nav.dashboard"), Data: d})
	return nil
}

type residentRow struct {
	residentJSON
	Community string
}

func (s *Server) residentsPage(w http.ResponseWriter, r *http.Request, p *Principal) error {
	q := ResidentQuery{Q: strings.TrimSpace(r.URL.Query().Get("q")), Limit: 50}
	q.AfterID, _ = queryInt(r, "after")
	list, err := s.cfg.Residents.Residents(r.Context(), p.Scope, q)
	if err != nil {
		return err
	}
	names := s.unitNames(r)
	rows := []residentRow{}
	for _, x := range list {
		rows = append(rows, residentRow{viewResident(x, false), names[x.CommunityID]})
	}
	next := int64(0)
	if len(list) == q.Limit {
		next = list[len(list)-1].ID
	}
	s.render(w, r, p, http.StatusOK, "residents", pageData{Title: message(langOf(r), "nav.residents"),
		Data: map[string]any{"Rows": rows, "Q": q.Q, "Next": next}})
	return nil
}

func (s *Server) observationsPage(w http.ResponseWriter, r *http.Request, p *Principal) error {
	day := s.today()
	list, err := s.observed(r, p, day)
	if err != nil {
		return err
	}
	names := s.unitNames(r)
	type row struct {
		observedJSON
		Community string
	}
	rows := []row{}
	for _, o := range list {
		rows = append(rows, row{o, names[o.CommunityID]})
	}
	s.render(w, r, p, http.StatusOK, "observations", pageData{Title: message(langOf(r), "nav.observations"),
		Data: map[string]any{"Day": dateString(day), "Rows": rows}})
	return nil
}

func (s *Server) campaignsPage(w http.ResponseWriter, r *http.Request, p *Principal) error {
	list, err := s.cfg.Campaigns.Campaigns(r.Context(), p.Scope)
	if err != nil {
		return err
	}
	rows := []campaignJSON{}
	for i := len(list) - 1; i >= 0; i-- {
		rows = append(rows, viewCampaign(list[i]))
	}
	s.render(w, r, p, http.StatusOK, "campaigns", pageData{Title: message(langOf(r), "nav.campaigns"), Data: rows})
	return nil
}

func (s *Server) scriptList(r *http.Request) []ScriptVersion {
	if s.cfg.Scripts == nil {
		return nil
	}
	list, err := s.cfg.Scripts.List(r.Context())
	if err != nil {
		s.log.Error("scripts", "err", err)
	}
	return list
}

func (s *Server) campaignNewPage(w http.ResponseWriter, r *http.Request, p *Principal) error {
	s.render(w, r, p, http.StatusOK, "campaign_new", pageData{Title: message(langOf(r), "campaign.new"),
		Active: "campaigns", Data: map[string]any{"Scripts": s.scriptList(r), "Units": s.visibleUnits(r, p)}})
	return nil
}

func (s *Server) visibleUnits(r *http.Request, p *Principal) []storage.OrgUnit {
	units, _ := s.cfg.Directory.OrgUnits(r.Context())
	var out []storage.OrgUnit
	for _, u := range units {
		if p.Scope.Has(u.ID) && u.Level >= storage.LevelCommunity {
			out = append(out, u)
		}
	}
	return out
}

// wizardInput reads the campaign wizard form.
func wizardInput(r *http.Request) (campaignInput, error) {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	name, script := f("name"), f("script_id")
	in := campaignInput{Name: &name, ScriptID: &script, Target: &targetJSON{Kind: f("target_kind"), Ref: f("target_ref")}}
	if t := f("trunk"); t != "" {
		in.Trunk = &t
	}
	if times := f("cron_times"); times != "" {
		var cron []string
		for _, hm := range strings.Split(strings.ReplaceAll(times, "，", ","), ",") {
			h, m, ok := strings.Cut(strings.TrimSpace(hm), ":")
			hh, e1 := strconv.Atoi(h)
			mm, e2 := strconv.Atoi(m)
			if !ok || e1 != nil || e2 != nil || hh > 23 || mm > 59 || hh < 0 || mm < 0 {
				return in, errBadRequest("times: want HH:MM, got %q", hm)
			}
			cron = append(cron, fmt.Sprintf("%d %d * * *", mm, hh))
		}
		in.Schedule = &scheduleJSON{Cron: cron}
	}
	if win := f("windows"); win != "" {
		in.Windows = strings.Split(strings.ReplaceAll(win, "，", ","), ",")
	}
	for k, dst := range map[string]**int{"max_lines": &in.MaxLines, "max_attempts": &in.MaxAttempts, "daily_cap": &in.DailyCap} {
		if v := f(k); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return in, errBadRequest("%s: not a number", k)
			}
			*dst = &n
		}
	}
	return in, nil
}

func (s *Server) campaignCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	in, err := wizardInput(r)
	if err != nil {
		return err
	}
	c := newCampaign()
	if err := in.apply(&c); err != nil {
		return err
	}
	c, err = s.createCampaign(r, p, c)
	if err != nil {
		return err
	}
	return back(w, r, fmt.Sprintf("/campaigns/%d", c.ID), message(langOf(r), "saved"))
}

func (s *Server) campaignPage(w http.ResponseWriter, r *http.Request, p *Principal) error {
	c, err := s.campaignArg(r, p)
	if err != nil {
		return err
	}
	pr, err := s.cfg.Runner.Progress(r.Context(), c.ID)
	if err != nil {
		pr = Progress{CampaignID: c.ID, State: c.State.String()}
	}
	type kv struct {
		K string
		V int
	}
	var outs []kv
	for k, v := range pr.Outcomes {
		outs = append(outs, kv{k, v})
	}
	sort.Slice(outs, func(i, j int) bool { return outs[i].K < outs[j].K })
	s.render(w, r, p, http.StatusOK, "campaign", pageData{Title: c.Name, Active: "campaigns",
		Data: map[string]any{"C": viewCampaign(c), "P": pr, "Outcomes": outs, "CanOperate": permOperate.allows(p.Role) && p.Scope.Has(c.Unit),
			"Export": permOperate.allows(p.Role) && p.Scope.Has(c.Unit), "Unmask": p.CanUnmask}})
	return nil
}

var consoleActions = map[string]campaigns.Action{"launch": campaigns.ActionStart, "pause": campaigns.ActionPause,
	"resume": campaigns.ActionResume, "cancel": campaigns.ActionCancel}

func (s *Server) campaignActionSubmit(w http.ResponseWriter, r *http.Request, p *Principal) error {
	a, ok := consoleActions[r.PathValue("action")]
	if !ok {
		return errNotFound
	}
	c, err := s.campaignDo(r, p, a)
	if err != nil {
		return err
	}
	return back(w, r, fmt.Sprintf("/campaigns/%d", c.ID), "")
}

func (s *Server) resultsPage(w http.ResponseWriter, r *http.Request, p *Principal) error {
	list, err := s.cfg.Campaigns.Campaigns(r.Context(), p.Scope)
	if err != nil {
		return err
	}
	var camps []campaignJSON
	for _, c := range list {
		camps = append(camps, viewCampaign(c))
	}
	cid, _ := queryInt(r, "campaign")
	if cid == 0 && len(list) > 0 {
		cid = list[len(list)-1].ID
	}
	data := map[string]any{"Campaigns": camps, "ID": cid, "Export": permOperate.allows(p.Role), "Unmask": p.CanUnmask}
	if cid != 0 {
		calls, err := s.cfg.Calls.Calls(r.Context(), p.Scope, CallQuery{CampaignID: cid, Limit: 100})
		if err == nil {
			var rows []callJSON
			for _, c := range calls {
				rows = append(rows, viewCall(c))
			}
			data["Calls"] = rows
		} else {
			data["CallsPending"] = true
		}
	}
	s.render(w, r, p, http.StatusOK, "results", pageData{Title: message(langOf(r), "nav.results"), Data: data})
	return nil
}

func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request, p *Principal) error {
	status := r.URL.Query().Get("status")
	if status == "" {
		status = "open"
	}
	st, err := parseAlertStatus(status)
	if err != nil {
		return err
	}
	list, err := s.cfg.Alerts.Alerts(r.Context(), p.Scope, AlertQuery{Status: st, Limit: 200})
	if err != nil {
		return err
	}
	names := s.unitNames(r)
	type row struct {
		alertJSON
		Community string
	}
	rows := []row{}
	for _, a := range list {
		rows = append(rows, row{viewAlert(a), names[a.CommunityID]})
	}
	s.render(w, r, p, http.StatusOK, "alerts", pageData{Title: message(langOf(r), "nav.alerts"),
		Data: map[string]any{"Rows": rows, "Status": status}})
	return nil
}

func (s *Server) alertSubmit(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	verb := r.PathValue("verb")
	if verb != "acknowledge" && verb != "resolve" && verb != "assign" {
		return errNotFound
	}
	in := alertInput{Notes: strings.TrimSpace(r.PostFormValue("notes"))}
	if v := r.PostFormValue("assignee_id"); v != "" {
		if in.AssigneeID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return errBadRequest("assignee: not a number")
		}
	}
	if err := s.alertDo(r, p, verb, id, in); err != nil {
		return err
	}
	return back(w, r, "/alerts?status="+statusParam(r.PostFormValue("from")), message(langOf(r), "saved"))
}

// statusParam keeps a status filter value safe to put back in a query.
func statusParam(v string) string {
	if _, err := parseAlertStatus(v); err != nil || v == "" {
		return "open"
	}
	return v
}
