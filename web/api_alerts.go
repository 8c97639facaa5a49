package web

import (
	"fmt"
	"net/http"
	"time"

	"outreach/mask"
	"outreach/storage"
)

func (s *Server) alertRoutes() []route {
	return []route{
		{Method: "GET", Path: "/api/alerts", Tag: "alerts", Summary: "The follow-up queue in your area (status=open|acknowledged|resolved)", Perm: permRead, Handler: s.apiAlerts},
		{Method: "POST", Path: "/api/alerts/{id}/acknowledge", Tag: "alerts", Summary: "Acknowledge an alert (assignee_id optional: default you)", Perm: permWrite, Handler: s.apiAlertAction("acknowledge")},
		{Method: "POST", Path: "/api/alerts/{id}/resolve", Tag: "alerts", Summary: "Resolve an alert with notes", Perm: permWrite, Handler: s.apiAlertAction("resolve")},
		{Method: "POST", Path: "/api/alerts/{id}/assign", Tag: "alerts", Summary: "Assign an alert to a user", Perm: permWrite, Handler: s.apiAlertAction("assign")},
	}
}

type alertJSON struct {
	ID           int64      `json:"id"`
	ResidentID   int64      `json:"resident_id"`
	ResidentName string     `json:"resident_name"`
	CommunityID  int64      `json:"community_id"`
	Kind         string     `json:"kind"`
	Day          string     `json:"day"`
	High         bool       `json:"high_priority"`
	Streak       int        `json:"streak,omitempty"`
	Status       string     `json:"status"`
	AttemptID    int64      `json:"attempt_id,omitempty"`
	AssigneeID   int64      `json:"assignee_id,omitempty"`
	Notes        string     `json:"notes,omitempty"`
	Created      time.Time  `json:"created"`
	Acknowledged *time.Time `json:"acknowledged,omitempty"`
	Resolved     *time.Time `json:"resolved,omitempty"`
}

func viewAlert(a AlertView) alertJSON {
	return alertJSON{ID: a.ID, ResidentID: a.ResidentID, ResidentName: a.ResidentName, CommunityID: a.CommunityID,
		Kind: a.Kind, Day: a.Day, High: a.High, Streak: a.Streak, Status: a.Status.String(), AttemptID: a.AttemptID, AssigneeID: a.AssigneeID,
		Notes: mask.Text(a.Notes), Created: a.Created, Acknowledged: optTime(a.Acknowledged), Resolved: optTime(a.Resolved)}
}

func parseAlertStatus(v string) (storage.AlertStatus, error) {
	for st := storage.AlertOpen; st <= storage.AlertResolved; st++ {
		if st.String() == v {
			return st, nil
		}
	}
	if v == "" {
		return 0, nil
	}
	return 0, errBadRequest("status: want open, acknowledged or resolved")
}

func (s *Server) apiAlerts(w http.ResponseWriter, r *http.Request, p *Principal) error {
	st, err := parseAlertStatus(r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	list, err := s.cfg.Alerts.Alerts(r.Context(), p.Scope, AlertQuery{Status: st, Limit: 200})
	if err != nil {
		return err
	}
	out := []alertJSON{}
	for _, a := range list {
		out = append(out, viewAlert(a))
	}
	writeJSON(w, http.StatusOK, map[string]any{"alerts": out})
	return nil
}

type alertInput struct {
	AssigneeID int64  `json:"assignee_id"`
	Notes      string `json:"notes"`
}

// alertDo applies one queue action in the principal's scope.
func (s *Server) alertDo(r *http.Request, p *Principal, verb string, id int64, in alertInput) error {
	ctx := r.Context()
	if in.AssigneeID == 0 {
		in.AssigneeID = p.UserID
	}
	var err error
	switch verb {
	case "acknowledge":
		err = s.cfg.Alerts.Acknowledge(ctx, p.Scope, id, p.Username, in.AssigneeID, in.Notes)
	case "resolve":
		err = s.cfg.Alerts.Resolve(ctx, p.Scope, id, p.Username, in.Notes)
	case "assign":
		err = s.cfg.Alerts.Assign(ctx, p.Scope, id, p.Username, in.AssigneeID)
	}
	if err != nil {
		return err
	}
	s.audit(ctx, p.Username, "alert."+verb, fmt.Sprintf("alert:%d", id), fmt.Sprintf("assignee=%d", in.AssigneeID))
	return nil
}

func (s *Server) apiAlertAction(verb string) apiFunc {
	return func(w http.ResponseWriter, r *http.Request, p *Principal) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var in alertInput
		if r.ContentLength != 0 {
			if err := decodeJSON(r, &in); err != nil {
				return err
			}
		}
		if err := s.alertDo(r, p, verb, id, in); err != nil {
			return err
		}
		a, err := s.cfg.Alerts.Alert(r.Context(), p.Scope, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, viewAlert(a))
		return nil
	}
}
