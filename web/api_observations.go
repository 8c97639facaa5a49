package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"outreach/followup"
	"outreach/storage"
)

type observationJSON struct {
	ID         int64    `json:"id"`
	ResidentID int64    `json:"resident_id"`
	Reason     string   `json:"reason,omitempty"`
	Start      string   `json:"start"`
	Release    string   `json:"release,omitempty"` // last day called; empty = open-ended
	CallTimes  []string `json:"call_times,omitempty"`
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func viewObservation(o storage.Observation) observationJSON {
	return observationJSON{ID: o.ID, ResidentID: o.ResidentID, Reason: o.Reason, Start: dateString(o.Start),
		Release: dateString(o.Release), CallTimes: o.CallTimes}
}

// parseDay reads YYYY-MM-DD as midnight UTC ("" = zero).
func parseDay(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return t, errBadRequest("%s: want YYYY-MM-DD, got %q", field, v)
	}
	return t, nil
}

// today is the calendar day in the configured zone, as midnight UTC.
func (s *Server) today() time.Time {
	n := s.now().In(s.cfg.Location)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

func (s *Server) apiObservations(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.cfg.Residents.Observations(r.Context(), p.Scope, id)
	if err != nil {
		return err
	}
	out := []observationJSON{}
	for _, o := range list {
		out = append(out, viewObservation(o))
	}
	writeJSON(w, http.StatusOK, map[string]any{"observations": out})
	return nil
}

type observationInput struct {
	Reason    string `json:"reason"`
	Start     string `json:"start"`
	Release   string `json:"release"`
	CallTimes string `json:"call_times"` // "09:00,16:00"
}

func (s *Server) apiAddObservation(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in observationInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	o := storage.Observation{ResidentID: id, Reason: strings.TrimSpace(in.Reason)}
	if o.Start, err = parseDay("start", in.Start); err != nil {
		return err
	}
	if o.Start.IsZero() {
		o.Start = s.today()
	}
	if o.Release, err = parseDay("release", in.Release); err != nil {
		return err
	}
	if !o.Release.IsZero() && o.Release.Before(o.Start) {
		return errBadRequest("release before start")
	}
	if in.CallTimes != "" {
		if o.CallTimes, err = followup.ParseCallTimes(in.CallTimes); err != nil {
			return errBadRequest("call_times: %v", err)
		}
	}
	if o.ID, err = s.cfg.Residents.AddObservation(r.Context(), p.Scope, o); err != nil {
		return err
	}
	s.audit(r.Context(), p.Username, "observation.add", fmt.Sprintf("resident:%d", id), fmt.Sprintf("observation:%d", o.ID))
	writeJSON(w, http.StatusCreated, viewObservation(o))
	return nil
}

func (s *Server) apiSetRelease(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	oid, err := pathID(r, "oid")
	if err != nil {
		return err
	}
	var in struct {
		Release string `json:"release"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rel, err := parseDay("release", in.Release)
	if err != nil {
		return err
	}
	if err := s.cfg.Residents.SetRelease(r.Context(), p.Scope, id, oid, rel); err != nil {
		return err
	}
	s.audit(r.Context(), p.Username, "observation.release", fmt.Sprintf("resident:%d", id), "release="+in.Release)
	writeJSON(w, http.StatusOK, map[string]any{"id": oid, "release": in.Release})
	return nil
}

type observedJSON struct {
	ResidentID  int64           `json:"resident_id"`
	Name        string          `json:"name"`
	CommunityID int64           `json:"community_id"`
	Observation observationJSON `json:"observation"`
	DaysLeft    int             `json:"days_left"` // -1 = open-ended
}

func (s *Server) observed(r *http.Request, p *Principal, day time.Time) ([]observedJSON, error) {
	list, err := s.cfg.Residents.UnderObservation(r.Context(), p.Scope, day)
	if err != nil {
		return nil, err
	}
	out := []observedJSON{}
	for _, x := range list {
		left := -1
		if !x.Observation.Release.IsZero() {
			left = int(x.Observation.Release.Sub(day).Hours() / 24)
		}
		out = append(out, observedJSON{ResidentID: x.ResidentID, Name: x.Name, CommunityID: x.CommunityID,
			Observation: viewObservation(x.Observation), DaysLeft: left})
	}
	return out, nil
}

func (s *Server) apiUnderObservation(w http.ResponseWriter, r *http.Request, p *Principal) error {
	day, err := parseDay("day", r.URL.Query().Get("day"))
	if err != nil {
		return err
	}
	if day.IsZero() {
		day = s.today()
	}
	out, err := s.observed(r, p, day)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"day": dateString(day), "observed": out})
	return nil
}
