package web

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"outreach/storage"
)

func (s *Server) callRoutes() []route {
	return []route{
		{Method: "GET", Path: "/api/calls", Tag: "calls", Summary: "Call attempts with answers (campaign_id, resident_id, outcome filters)", Perm: permRead, Handler: s.apiCalls},
		{Method: "GET", Path: "/api/calls/{id}", Tag: "calls", Summary: "One call attempt with its answers", Perm: permRead, Handler: s.apiCall},
		{Method: "GET", Path: "/api/calls/{id}/recording", Tag: "calls", Summary: "The call's recording (audio/wav)", Perm: permRead, Handler: s.apiRecording},
	}
}

type answerJSON struct {
	Key    string `json:"key"`
	Value  any    `json:"value"`
	Method string `json:"method"`
}

type callJSON struct {
	ID           int64        `json:"id"`
	TaskID       int64        `json:"task_id"`
	CampaignID   int64        `json:"campaign_id"`
	ResidentID   int64        `json:"resident_id"`
	State        string       `json:"state"`
	Outcome      string       `json:"outcome"`
	SIPStatus    int          `json:"sip_status"`
	Answered     bool         `json:"answered"`
	HangupBy     string       `json:"hangup_by,omitempty"`
	InviteAt     time.Time    `json:"invite_at"`
	AnswerAt     *time.Time   `json:"answer_at,omitempty"`
	EndAt        *time.Time   `json:"end_at,omitempty"`
	HasRecording bool         `json:"has_recording"`
	Answers      []answerJSON `json:"answers"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func viewCall(a storage.AttemptRecord) callJSON {
	v := callJSON{ID: a.ID, TaskID: a.TaskID, CampaignID: a.CampaignID, ResidentID: a.ResidentID,
		State: a.State.String(), Outcome: a.Outcome.String(), SIPStatus: a.SIPStatus, Answered: a.Answered,
		HangupBy: a.HangupBy, InviteAt: a.InviteAt, AnswerAt: optTime(a.AnswerAt), EndAt: optTime(a.EndAt),
		HasRecording: a.RecordingPath != "", Answers: []answerJSON{}}
	for _, x := range a.Answers {
		v.Answers = append(v.Answers, answerJSON{Key: x.Key, Value: x.Value, Method: x.Method.String()})
	}
	return v
}

func (s *Server) apiCalls(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var q CallQuery
	var err error
	if q.CampaignID, err = queryInt(r, "campaign_id"); err != nil {
		return err
	}
	if q.ResidentID, err = queryInt(r, "resident_id"); err != nil {
		return err
	}
	if q.AfterID, err = queryInt(r, "after"); err != nil {
		return err
	}
	q.Outcome, q.Limit = r.URL.Query().Get("outcome"), 100
	list, err := s.cfg.Calls.Calls(r.Context(), p.Scope, q)
	if err != nil {
		return err
	}
	out := []callJSON{}
	for _, a := range list {
		out = append(out, viewCall(a))
	}
	writeJSON(w, http.StatusOK, map[string]any{"calls": out})
	return nil
}

func (s *Server) apiCall(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.cfg.Calls.Call(r.Context(), p.Scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewCall(a))
	return nil
}

func (s *Server) apiRecording(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.cfg.Calls.Call(r.Context(), p.Scope, id)
	if err != nil {
		return err
	}
	if a.RecordingPath == "" || !s.recordingAllowed(a.RecordingPath) {
		return errNotFound
	}
	s.audit(r.Context(), p.Username, "recording.play", fmt.Sprintf("attempt:%d", id), "")
	w.Header().Set("Content-Type", "audio/wav")
	http.ServeFile(w, r, a.RecordingPath)
	return nil
}

func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := s.cfg.Calls.Timeline(r.Context(), p.Scope, id)
	if err != nil {
		return err
	}
	out := map[string]any{"resident": viewResident(t.Resident, false)}
	obs, calls, alerts, health := []observationJSON{}, []callJSON{}, []alertJSON{}, []healthJSON{}
	for _, o := range t.Observations {
		obs = append(obs, viewObservation(o))
	}
	for _, c := range t.Calls {
		calls = append(calls, viewCall(c))
	}
	for _, a := range t.Alerts {
		alerts = append(alerts, viewAlert(a))
	}
	for _, h := range t.Health {
		health = append(health, healthJSON{Day: dateString(h.Day), Status: h.Status.String(), Temperature: h.Temperature,
			Symptoms: h.Symptoms, Travel: h.Travel})
	}
	out["observations"], out["calls"], out["alerts"], out["health"] = obs, calls, alerts, health
	writeJSON(w, http.StatusOK, out)
	return nil
}

type healthJSON struct {
	Day         string  `json:"day"`
	Status      string  `json:"status"`
	Temperature float64 `json:"temperature,omitempty"`
	Symptoms    bool    `json:"symptoms"`
	Travel      bool    `json:"travel"`
}

// recordingAllowed keeps served files inside Config.RecordingsDir.
func (s *Server) recordingAllowed(path string) bool {
	if s.cfg.RecordingsDir == "" {
		return true
	}
	rel, err := filepath.Rel(s.cfg.RecordingsDir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
