package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"outreach/storage"
)

// apiEvents streams the campaign's progress as server-sent events
// (WHATWG HTML §9.2): an "event: progress" with the JSON of Progress each
// time it changes, a comment every 15 s to keep proxies open, and "event:
// done" when the campaign reaches a final state or 100 %.
func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request, p *Principal) error {
	c, err := s.campaignArg(r, p)
	if err != nil {
		return err
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		return fmt.Errorf("events: response cannot flush")
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	tick := time.NewTicker(s.cfg.ProgressEvery)
	defer tick.Stop()
	var last []byte
	quiet := 0
	for {
		pr, err := s.cfg.Runner.Progress(r.Context(), c.ID)
		if err != nil {
			fmt.Fprintf(w, "event: error\ndata: %q\n\n", asAPIError(err).Message)
			fl.Flush()
			return nil
		}
		b, _ := json.Marshal(pr)
		if string(b) != string(last) {
			fmt.Fprintf(w, "event: progress\ndata: %s\n\n", b)
			last, quiet = b, 0
		} else if quiet++; quiet*int(s.cfg.ProgressEvery/time.Millisecond) >= 15000 {
			fmt.Fprint(w, ": keep-alive\n\n")
			quiet = 0
		}
		fl.Flush()
		if finished(pr) {
			fmt.Fprint(w, "event: done\ndata: {}\n\n")
			fl.Flush()
			return nil
		}
		select {
		case <-r.Context().Done():
			return nil
		case <-s.stop:
			return nil
		case <-tick.C:
		}
	}
}

func finished(pr Progress) bool {
	switch pr.State {
	case "completed", "cancelled":
		return true
	}
	return pr.Total > 0 && pr.Percent >= 100
}

// apiExport streams a campaign's results; unmasked only for a role that
// may unmask. Every export is audited.
func (s *Server) apiExport(w http.ResponseWriter, r *http.Request, p *Principal) error {
	c, err := s.campaignArg(r, p)
	if err != nil {
		return err
	}
	if !p.Scope.Has(c.Unit) { // seen (it calls their area) but owned above them
		return fmt.Errorf("export campaign %d: owned outside your area: %w", c.ID, ErrForbidden)
	}
	fmtName := r.URL.Query().Get("format")
	if fmtName == "" {
		fmtName = "xlsx"
	}
	f, err := storage.ParseFormat(fmtName)
	if err != nil {
		return errBadRequest("%v", err)
	}
	unmask, err := s.wantUnmask(r, p, fmt.Sprintf("export:campaign:%d", c.ID))
	if err != nil {
		return err
	}
	s.audit(r.Context(), p.Username, "export", fmt.Sprintf("campaign:%d", c.ID), fmt.Sprintf("format=%s unmasked=%t", f, unmask))
	ct := "text/csv; charset=utf-8"
	if f == storage.FormatXLSX {
		ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	name := fmt.Sprintf("campaign-%d-%s.%s", c.ID, s.now().In(s.cfg.Location).Format("20060102-1504"), f)
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err = s.cfg.Exports.ExportCampaign(r.Context(), p.Scope, w, c.ID,
		storage.ExportOptions{Format: f, Unmask: unmask, Actor: p.Username, Zone: s.cfg.Location})
	if err != nil {
		s.log.Error("export", "campaign", c.ID, "err", err) // headers are gone: the body is cut short
	}
	return nil
}
