package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"outreach/ivr"
)

type promptRow struct {
	Node, Text string
}

func (s *Server) scriptsPage(w http.ResponseWriter, r *http.Request, p *Principal) error {
	s.renderScripts(w, r, p, nil, "")
	return nil
}

// renderScripts shows the script list, the selected script's prompts and
// an optional check result.
func (s *Server) renderScripts(w http.ResponseWriter, r *http.Request, p *Principal, chk *checkJSON, source string) {
	data := map[string]any{"Scripts": s.scriptList(r), "Check": chk, "Source": source,
		"CanSave": permOperate.allows(p.Role), "Listen": s.cfg.Speaker != nil}
	if id := r.URL.Query().Get("id"); id != "" && s.cfg.Scripts != nil {
		if src, v, err := s.cfg.Scripts.Get(r.Context(), id, 0); err == nil {
			data["Selected"] = v
			if vs, err := s.cfg.Scripts.Versions(r.Context(), id); err == nil {
				data["Versions"] = vs
			}
			if sc, err := ivr.Load(src); err == nil {
				var prompts []promptRow
				for _, n := range sc.Order {
					if node := sc.Nodes[n]; node != nil && node.Say != "" {
						prompts = append(prompts, promptRow{n, sampleText(node.Say, s.cfg.Org)})
					}
				}
				data["Prompts"] = prompts
			}
		}
	}
	s.render(w, r, p, http.StatusOK, "scripts", pageData{Title: message(langOf(r), "nav.scripts"), Data: data})
}

func (s *Server) scriptSubmit(w http.ResponseWriter, r *http.Request, p *Principal) error {
	src := []byte(r.PostFormValue("source"))
	if f, _, err := r.FormFile("file"); err == nil {
		defer f.Close()
		if src, err = io.ReadAll(f); err != nil {
			return errBadRequest("read file: %v", err)
		}
	}
	if len(strings.TrimSpace(string(src))) == 0 {
		return errBadRequest("empty script")
	}
	if r.PostFormValue("action") != "save" {
		chk, _ := checkScript(src)
		s.renderScripts(w, r, p, &chk, string(src))
		return nil
	}
	if !permOperate.allows(p.Role) {
		return errDenied
	}
	st, err := s.scripts()
	if err != nil {
		return err
	}
	v, err := s.storeScript(r, p, st, src)
	if ce, ok := err.(checkError); ok {
		s.renderScripts(w, r, p, &ce.out, string(src))
		return nil
	}
	if err != nil {
		return err
	}
	return back(w, r, "/scripts?id="+v.ID, message(langOf(r), "saved"))
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request, p *Principal) error {
	data := map[string]any{"Trunks": s.trunks(), "Admin": p.Role == RoleAdmin}
	if p.Role == RoleAdmin {
		users, err := s.cfg.Directory.Users(r.Context())
		if err == nil {
			var rows []userJSON
			for _, u := range users {
				rows = append(rows, viewUser(u))
			}
			data["Users"] = rows
		} else {
			data["UsersPending"] = true
		}
		units, _ := s.cfg.Directory.OrgUnits(r.Context())
		data["Units"] = units
	}
	s.render(w, r, p, http.StatusOK, "settings", pageData{Title: message(langOf(r), "nav.settings"), Data: data})
	return nil
}

func (s *Server) userSubmit(w http.ResponseWriter, r *http.Request, p *Principal) error {
	unit, _ := strconv.ParseInt(r.PostFormValue("org_unit_id"), 10, 64)
	in := userInput{Username: r.PostFormValue("username"), Password: r.PostFormValue("password"),
		Name: r.PostFormValue("name"), Role: r.PostFormValue("role"), OrgUnitID: unit, CanUnmask: r.PostFormValue("can_unmask") == "1"}
	u, err := s.newUser(r, in)
	if err != nil {
		return err
	}
	if u.ID, err = s.cfg.Directory.CreateUser(r.Context(), u); err != nil {
		return err
	}
	s.audit(r.Context(), p.Username, "user.create", "user:"+strconv.FormatInt(u.ID, 10), "role="+in.Role)
	return back(w, r, "/settings", message(langOf(r), "saved"))
}

// tokenSubmit creates a token and shows it once on the page it renders
// (served no-store; never put in a URL).
func (s *Server) tokenSubmit(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var uid int64
	name := r.PostFormValue("username")
	u, err := s.cfg.Directory.UserByName(r.Context(), name)
	if err != nil {
		return err
	}
	uid = u.ID
	tok, err := s.cfg.Directory.CreateToken(r.Context(), uid, r.PostFormValue("name"), s.now().AddDate(1, 0, 0))
	if err != nil {
		return err
	}
	s.audit(r.Context(), p.Username, "token.create", "user:"+strconv.FormatInt(uid, 10), "name="+r.PostFormValue("name"))
	data := map[string]any{"Trunks": s.trunks(), "Admin": true, "Token": tok}
	units, _ := s.cfg.Directory.OrgUnits(r.Context())
	data["Units"] = units
	s.render(w, r, p, http.StatusOK, "settings", pageData{Title: message(langOf(r), "nav.settings"), Data: data})
	return nil
}
