package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"outreach/followup"
	"outreach/storage"
)

func (s *Server) adminRoutes() []route {
	return []route{
		{Method: "GET", Path: "/api/dashboard", Tag: "dashboard", Summary: "Today: running campaigns, live calls, day figures, open alerts", Perm: permRead, Handler: s.apiDashboard},
		{Method: "GET", Path: "/api/trunks", Tag: "trunks", Summary: "SIP trunk status (OPTIONS health, registration, active calls)", Perm: permRead, Handler: s.apiTrunks},
		{Method: "GET", Path: "/api/org-units", Tag: "admin", Summary: "The organisation tree", Perm: permRead, Handler: s.apiOrgUnits},
		{Method: "POST", Path: "/api/org-units", Tag: "admin", Summary: "Create an organisation unit (level street|community|grid|district)", Perm: permAdmin, Create: true, Handler: s.apiCreateOrgUnit},
		{Method: "GET", Path: "/api/users", Tag: "admin", Summary: "Users", Perm: permAdmin, Handler: s.apiUsers},
		{Method: "POST", Path: "/api/users", Tag: "admin", Summary: "Create a user (role admin|street|community)", Perm: permAdmin, Create: true, Handler: s.apiCreateUser},
		{Method: "POST", Path: "/api/users/{id}/tokens", Tag: "admin", Summary: "Create an API token for a user (shown once; only its hash is kept)", Perm: permAdmin, Create: true, Handler: s.apiCreateToken},
		{Method: "POST", Path: "/api/tokens/revoke", Tag: "admin", Summary: "Revoke an API token", Perm: permAdmin, Handler: s.apiRevokeToken},
		{Method: "GET", Path: "/api/audit", Tag: "admin", Summary: "The audit log (after=id)", Perm: permAdmin, Handler: s.apiAudit},
	}
}

type userJSON struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	DisplayName string    `json:"name"`
	StoreRole   string    `json:"store_role"`
	OrgUnitID   int64     `json:"org_unit_id"`
	CanUnmask   bool      `json:"can_unmask"`
	Disabled    bool      `json:"disabled"`
	Created     time.Time `json:"created"`
}

func viewUser(u storage.User) userJSON {
	return userJSON{u.ID, u.Username, u.DisplayName, u.Role.String(), u.OrgUnitID, u.Role.CanUnmask(), u.Disabled, u.Created}
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request, _ *Principal) error {
	list, err := s.cfg.Directory.Users(r.Context())
	if err != nil {
		return err
	}
	out := []userJSON{}
	for _, u := range list {
		out = append(out, viewUser(u))
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
	return nil
}

type userInput struct {
	Username  string `json:"username"`
	Password  string `json:"password"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	OrgUnitID int64  `json:"org_unit_id"`
	CanUnmask bool   `json:"can_unmask"`
}

// newUser checks a user body against the organisation tree.
func (s *Server) newUser(r *http.Request, in userInput) (storage.User, error) {
	role, err := ParseRole(in.Role)
	if err != nil {
		return storage.User{}, errBadRequest("%v", err)
	}
	in.Username = strings.TrimSpace(in.Username)
	if in.Username == "" {
		return storage.User{}, errBadRequest("username required")
	}
	hash, err := hashPassword(in.Password, s.cfg.PasswordCost)
	if err != nil {
		return storage.User{}, errBadRequest("%v", err)
	}
	u := storage.User{Username: in.Username, DisplayName: in.Name, PasswordHash: hash, OrgUnitID: in.OrgUnitID,
		Role: storage.RoleOperator}
	if in.CanUnmask {
		u.Role = storage.RoleSupervisor
	}
	if role == RoleAdmin {
		u.Role = storage.RoleAdmin
		return u, nil
	}
	units, err := s.cfg.Directory.OrgUnits(r.Context())
	if err != nil {
		return u, err
	}
	for _, x := range units {
		if x.ID != in.OrgUnitID {
			continue
		}
		street := x.Level == storage.LevelStreet || x.Level == storage.LevelDistrict
		if street != (role == RoleStreet) {
			return u, errBadRequest("a %s user needs a unit of the matching level, not a %s", role, x.Level)
		}
		return u, nil
	}
	return u, errBadRequest("org_unit_id %d: no such unit", in.OrgUnitID)
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in userInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, err := s.newUser(r, in)
	if err != nil {
		return err
	}
	if u.ID, err = s.cfg.Directory.CreateUser(r.Context(), u); err != nil {
		return err
	}
	u.Created = s.now()
	s.audit(r.Context(), p.Username, "user.create", fmt.Sprintf("user:%d", u.ID), "role="+in.Role)
	writeJSON(w, http.StatusCreated, viewUser(u))
	return nil
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Name        string `json:"name"`
		ExpiresDays int    `json:"expires_days"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if _, err := s.cfg.Directory.User(r.Context(), id); err != nil {
		return err
	}
	var exp time.Time
	if in.ExpiresDays > 0 {
		exp = s.now().AddDate(0, 0, in.ExpiresDays)
	}
	tok, err := s.cfg.Directory.CreateToken(r.Context(), id, in.Name, exp)
	if err != nil {
		return err
	}
	s.audit(r.Context(), p.Username, "token.create", fmt.Sprintf("user:%d", id), "name="+in.Name)
	writeJSON(w, http.StatusCreated, map[string]any{"token": tok, "user_id": id, "name": in.Name, "expires": optTime(exp)})
	return nil
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		Token string `json:"token"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.cfg.Directory.RevokeToken(r.Context(), in.Token); err != nil {
		return err
	}
	s.audit(r.Context(), p.Username, "token.revoke", "", "")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type orgJSON struct {
	ID       int64  `json:"id"`
	ParentID int64  `json:"parent_id"`
	Level    string `json:"level"`
	Name     string `json:"name"`
}

func (s *Server) apiOrgUnits(w http.ResponseWriter, r *http.Request, p *Principal) error {
	units, err := s.cfg.Directory.OrgUnits(r.Context())
	if err != nil {
		return err
	}
	out := []orgJSON{}
	for _, u := range units {
		if p.Scope.Has(u.ID) {
			out = append(out, orgJSON{u.ID, u.ParentID, u.Level.String(), u.Name})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"units": out})
	return nil
}

func (s *Server) apiCreateOrgUnit(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		ParentID int64  `json:"parent_id"`
		Level    string `json:"level"`
		Name     string `json:"name"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	lvl := storage.Level(0)
	for l := storage.LevelDistrict; l <= storage.LevelGrid; l++ {
		if l.String() == in.Level {
			lvl = l
		}
	}
	if lvl == 0 || strings.TrimSpace(in.Name) == "" {
		return errBadRequest("level (district|street|community|grid) and name required")
	}
	id, err := s.cfg.Directory.EnsureOrgUnit(r.Context(), lvl, in.ParentID, strings.TrimSpace(in.Name))
	if err != nil {
		return errBadRequest("%v", err)
	}
	s.audit(r.Context(), p.Username, "org.create", fmt.Sprintf("org:%d", id), in.Level)
	writeJSON(w, http.StatusCreated, orgJSON{id, in.ParentID, lvl.String(), in.Name})
	return nil
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, _ *Principal) error {
	after, err := queryInt(r, "after")
	if err != nil {
		return err
	}
	list, err := s.cfg.Audit.AuditLog(r.Context(), after, 500)
	if err != nil {
		return err
	}
	if list == nil {
		list = []storage.AuditEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": list})
	return nil
}

type trunkJSON struct {
	Name       string     `json:"name"`
	Up         bool       `json:"up"`
	Checked    *time.Time `json:"checked,omitempty"`
	RTTMillis  float64    `json:"rtt_ms"`
	LastStatus int        `json:"last_status"`
	Registered bool       `json:"registered"`
	Active     int        `json:"active"`
	PausedS    float64    `json:"paused_seconds"`
}

func (s *Server) trunks() []trunkJSON {
	out := []trunkJSON{}
	if s.cfg.Trunks == nil {
		return out
	}
	for _, t := range s.cfg.Trunks.Status() {
		out = append(out, trunkJSON{t.Name, t.Up, optTime(t.Checked), float64(t.RTT) / 1e6, t.LastStatus,
			t.Registered, t.Active, t.PausedFor.Seconds()})
	}
	return out
}

func (s *Server) apiTrunks(w http.ResponseWriter, r *http.Request, _ *Principal) error {
	writeJSON(w, http.StatusOK, map[string]any{"trunks": s.trunks()})
	return nil
}

// dashboard is today's overview.
type dashboard struct {
	Day        string          `json:"day"`
	Running    []campaignJSON  `json:"running"`
	LiveCalls  int             `json:"live_calls"`
	Counts     followup.Counts `json:"counts"`
	OpenAlerts int             `json:"open_alerts"`
}

func (s *Server) dashboard(r *http.Request, p *Principal) (dashboard, error) {
	d := dashboard{Day: dateString(s.today()), Running: []campaignJSON{}}
	list, err := s.cfg.Campaigns.Campaigns(r.Context(), p.Scope)
	if err != nil {
		return d, err
	}
	for _, c := range list {
		if c.State.String() != "running" {
			continue
		}
		d.Running = append(d.Running, viewCampaign(c))
		if pr, err := s.cfg.Runner.Progress(r.Context(), c.ID); err == nil {
			d.LiveCalls += len(pr.Live)
		}
	}
	if s.cfg.Summaries != nil {
		if d.Counts, err = s.cfg.Summaries.Today(r.Context(), p.Scope); err != nil {
			return d, err
		}
	}
	open, err := s.cfg.Alerts.Alerts(r.Context(), p.Scope, AlertQuery{Status: storage.AlertOpen, Limit: 1000})
	if err != nil {
		return d, err
	}
	d.OpenAlerts = len(open)
	return d, nil
}

func (s *Server) apiDashboard(w http.ResponseWriter, r *http.Request, p *Principal) error {
	d, err := s.dashboard(r, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}
