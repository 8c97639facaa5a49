package web

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"outreach/campaigns"
	"outreach/mask"
	"outreach/storage"
)

func (s *Server) residentRoutes() []route {
	return []route{
		{Method: "GET", Path: "/api/residents", Tag: "residents", Summary: "List or search residents in your area (q = name or phone digits; unmask=1 needs the unmask right)", Perm: permRead, Handler: s.apiResidents},
		{Method: "POST", Path: "/api/residents", Tag: "residents", Summary: "Create a resident", Perm: permWrite, Create: true, Handler: s.apiCreateResident},
		{Method: "GET", Path: "/api/residents/{id}", Tag: "residents", Summary: "One resident", Perm: permRead, Handler: s.apiResident},
		{Method: "PATCH", Path: "/api/residents/{id}", Tag: "residents", Summary: "Change a resident", Perm: permWrite, Handler: s.apiUpdateResident},
		{Method: "DELETE", Path: "/api/residents/{id}", Tag: "residents", Summary: "Delete a resident and everything about them", Perm: permWrite, Handler: s.apiDeleteResident},
		{Method: "POST", Path: "/api/residents/import", Tag: "residents", Summary: "Import an .xlsx or .csv (multipart field file; dry_run=1 previews) into your area: street staff's communities are found or created in their street, community staff's rows land in their community; rows outside are reported by line. Admins may give parent_id (where new communities go). Returns the CLI importer's report", Perm: permWrite, Create: true, Upload: true, Handler: s.apiImport},
		{Method: "GET", Path: "/api/residents/{id}/timeline", Tag: "calls", Summary: "One resident's observations, calls, answers, health records and alerts", Perm: permRead, Handler: s.apiTimeline},
		{Method: "GET", Path: "/api/residents/{id}/observations", Tag: "observations", Summary: "A resident's observation periods", Perm: permRead, Handler: s.apiObservations},
		{Method: "POST", Path: "/api/residents/{id}/observations", Tag: "observations", Summary: "Start an observation period", Perm: permWrite, Create: true, Handler: s.apiAddObservation},
		{Method: "PATCH", Path: "/api/residents/{id}/observations/{oid}", Tag: "observations", Summary: "Change an observation's release date", Perm: permWrite, Handler: s.apiSetRelease},
		{Method: "GET", Path: "/api/observations", Tag: "observations", Summary: "Residents under observation on a day (day=YYYY-MM-DD, default today) with release dates", Perm: permRead, Handler: s.apiUnderObservation},
	}
}

// residentJSON is a resident as the API shows it: phone and ID number
// masked unless the caller may unmask and asked to.
type residentJSON struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Phone       string    `json:"phone"`
	Phones      []string  `json:"phones,omitempty"`
	IDNumber    string    `json:"id_number,omitempty"`
	Address     string    `json:"address,omitempty"`
	CommunityID int64     `json:"community_id"`
	GridID      int64     `json:"grid_id"`
	Household   string    `json:"household,omitempty"`
	Tags        []string  `json:"tags,omitempty"`
	Language    string    `json:"language,omitempty"`
	Notes       string    `json:"notes,omitempty"`
	Created     time.Time `json:"created"`
	Masked      bool      `json:"masked"`
}

func viewResident(r storage.Resident, unmask bool) residentJSON {
	v := residentJSON{ID: r.ID, Name: r.Name, Phone: r.Phone, Phones: r.Phones, IDNumber: r.IDNumber,
		Address: r.Address, CommunityID: r.CommunityID, GridID: r.GridID, Household: r.Household, Tags: r.Tags,
		Language: r.Language, Notes: r.Notes, Created: r.Created, Masked: !unmask}
	v.Phone, v.Phones = displayPhone(r.Phone, !unmask), nil
	for _, p := range r.Phones {
		v.Phones = append(v.Phones, displayPhone(p, !unmask))
	}
	if !unmask {
		v.IDNumber = mask.Text(r.IDNumber)
		v.Notes = mask.Text(r.Notes)
	}
	return v
}

// wantUnmask says whether the request asks for plain numbers, refuses it
// to roles without the right and audits it.
func (s *Server) wantUnmask(r *http.Request, p *Principal, subject string) (bool, error) {
	if v := r.URL.Query().Get("unmask"); v != "1" && v != "true" {
		return false, nil
	}
	if !p.CanUnmask {
		return false, &Error{http.StatusForbidden, "forbidden", "your role may not unmask phone numbers"}
	}
	s.audit(r.Context(), p.Username, "unmask", subject, r.Method+" "+r.URL.Path)
	return true, nil
}

func (s *Server) apiResidents(w http.ResponseWriter, r *http.Request, p *Principal) error {
	q := ResidentQuery{Q: strings.TrimSpace(r.URL.Query().Get("q"))}
	var err error
	if q.CommunityID, err = queryInt(r, "community_id"); err != nil {
		return err
	}
	if q.AfterID, err = queryInt(r, "after"); err != nil {
		return err
	}
	lim, err := queryInt(r, "limit")
	if err != nil {
		return err
	}
	q.Limit = int(min(max(lim, 1), 500))
	if lim == 0 {
		q.Limit = 100
	}
	unmask, err := s.wantUnmask(r, p, "residents")
	if err != nil {
		return err
	}
	list, err := s.cfg.Residents.Residents(r.Context(), p.Scope, q)
	if err != nil {
		return err
	}
	out := make([]residentJSON, 0, len(list))
	for _, x := range list {
		out = append(out, viewResident(x, unmask))
	}
	writeJSON(w, http.StatusOK, map[string]any{"residents": out})
	return nil
}

func (s *Server) apiResident(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	res, err := s.cfg.Residents.Resident(r.Context(), p.Scope, id)
	if err != nil {
		return err
	}
	unmask, err := s.wantUnmask(r, p, fmt.Sprintf("resident:%d", id))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewResident(res, unmask))
	return nil
}

// residentInput is a create or patch body; absent fields are kept.
type residentInput struct {
	Name        *string  `json:"name"`
	Phone       *string  `json:"phone"`
	Phones      []string `json:"phones"`
	IDNumber    *string  `json:"id_number"`
	Address     *string  `json:"address"`
	CommunityID *int64   `json:"community_id"`
	GridID      *int64   `json:"grid_id"`
	Household   *string  `json:"household"`
	Tags        []string `json:"tags"`
	Language    *string  `json:"language"`
	Notes       *string  `json:"notes"`
}

func (in residentInput) apply(r *storage.Resident) error {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&r.Name, in.Name)
	set(&r.IDNumber, in.IDNumber)
	set(&r.Address, in.Address)
	set(&r.Household, in.Household)
	set(&r.Language, in.Language)
	set(&r.Notes, in.Notes)
	if in.CommunityID != nil {
		r.CommunityID = *in.CommunityID
	}
	if in.GridID != nil {
		r.GridID = *in.GridID
	}
	if in.Tags != nil {
		r.Tags = in.Tags
	}
	if in.Phone != nil {
		e164, err := campaigns.NormalizePhone(*in.Phone)
		if err != nil {
			return errBadRequest("phone: %v", mask.Text(err.Error()))
		}
		r.Phone = e164
	}
	if in.Phones != nil {
		r.Phones = nil
		for _, raw := range in.Phones {
			e164, err := campaigns.NormalizePhone(raw)
			if err != nil {
				return errBadRequest("phones: %v", mask.Text(err.Error()))
			}
			r.Phones = append(r.Phones, e164)
		}
	}
	if r.Name == "" || r.Phone == "" {
		return errBadRequest("name and phone are required")
	}
	return nil
}

func (s *Server) apiCreateResident(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in residentInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var res storage.Resident
	if err := in.apply(&res); err != nil {
		return err
	}
	id, err := s.cfg.Residents.CreateResident(r.Context(), p.Scope, res)
	if err != nil {
		return err
	}
	res.ID = id
	s.audit(r.Context(), p.Username, "resident.create", fmt.Sprintf("resident:%d", id), "")
	writeJSON(w, http.StatusCreated, viewResident(res, false))
	return nil
}

func (s *Server) apiUpdateResident(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in residentInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	res, err := s.cfg.Residents.Resident(r.Context(), p.Scope, id)
	if err != nil {
		return err
	}
	if err := in.apply(&res); err != nil {
		return err
	}
	if err := s.cfg.Residents.UpdateResident(r.Context(), p.Scope, res); err != nil {
		return err
	}
	s.audit(r.Context(), p.Username, "resident.update", fmt.Sprintf("resident:%d", id), "")
	writeJSON(w, http.StatusOK, viewResident(res, false))
	return nil
}

func (s *Server) apiDeleteResident(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.cfg.Residents.DeleteResident(r.Context(), p.Scope, p.Username, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// importJSON is the importer's report (the CLI prints the same figures).
type importJSON struct {
	Encoding string        `json:"encoding,omitempty"`
	Rows     int           `json:"rows"`
	Imported int           `json:"imported"`
	Existing int           `json:"existing"`
	Bad      int           `json:"bad"`
	Empty    int           `json:"empty"`
	DryRun   bool          `json:"dry_run"`
	Problems []problemJSON `json:"problems"`
	Summary  string        `json:"summary"`
}

type problemJSON struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

func viewImport(rep storage.ImportReport) importJSON {
	v := importJSON{Encoding: rep.Encoding, Rows: rep.Rows, Imported: rep.Imported, Existing: rep.Existing,
		Bad: rep.Bad, Empty: rep.Empty, DryRun: rep.DryRun, Problems: []problemJSON{}}
	for _, p := range rep.Problems {
		v.Problems = append(v.Problems, problemJSON{p.Line, mask.Text(p.Reason)})
	}
	verb := "imported"
	if rep.DryRun {
		verb = "would import (dry run)"
	}
	v.Summary = fmt.Sprintf("%d rows: %s %d, already present %d, bad %d, empty %d",
		rep.Rows, verb, rep.Imported, rep.Existing, rep.Bad, rep.Empty)
	return v
}

func (s *Server) apiImport(w http.ResponseWriter, r *http.Request, p *Principal) error {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return errBadRequest("multipart field file: %v", err)
	}
	defer f.Close()
	format := strings.ToLower(filepath.Ext(hdr.Filename))
	q := r.URL.Query()
	opt := storage.ImportOptions{Community: q.Get("community"), List: q.Get("list"),
		DryRun: q.Get("dry_run") == "1" || q.Get("dry_run") == "true", ErrorsPath: "-", Actor: p.Username}
	if opt.Parent, err = queryInt(r, "parent_id"); err != nil { // staff: replaced by their own area
		return err
	}
	rep, err := s.cfg.Residents.Import(r.Context(), p.Scope, f, format, opt)
	if err != nil {
		if rep.Rows == 0 && rep.Bad == 0 {
			return errBadRequest("import: %v", mask.Text(err.Error()))
		}
		return err
	}
	status := http.StatusCreated
	if opt.DryRun {
		status = http.StatusOK
	}
	writeJSON(w, status, viewImport(rep))
	return nil
}

// displayPhone shows a mainland number without +86, masked when asked.
func displayPhone(e164 string, masked bool) string {
	p := strings.TrimPrefix(e164, "+86")
	if masked {
		return mask.Phone(p)
	}
	return p
}
