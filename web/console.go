package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageData is what every console template receives.
type pageData struct {
	Lang   Lang
	P      *Principal
	CSRF   string
	Title  string
	Active string
	Org    string
	Flash  string
	Error  string
	Path   string
	Data   any
}

// T translates a catalogue key.
func (d pageData) T(key string) string { return message(d.Lang, key) }

// Tf translates prefix+value ("state." + "running"), or shows the value.
func (d pageData) Tf(prefix, v string) string {
	if _, ok := catalogue[prefix+v]; ok {
		return message(d.Lang, prefix+v)
	}
	return v
}

var pageFuncs = template.FuncMap{
	"split": strings.Fields,
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02 15:04")
	},
}

// parsePages parses each page with the layout.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(pageFuncs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("console template %s: %w", n, err)
		}
		out[base] = t
	}
	return out, nil
}

// render writes a page; rendering goes to a buffer first so that a
// template error becomes a clean 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, p *Principal, status int, page string, d pageData) {
	d.Lang, d.P, d.Org, d.Path = langOf(r), p, s.cfg.Org, r.URL.Path
	if d.Active == "" {
		d.Active = page
	}
	if p != nil {
		if sess, ok, _ := s.session(r); ok {
			d.CSRF = sess.CSRF
		}
	}
	if d.Flash == "" {
		d.Flash = r.URL.Query().Get("msg")
	}
	t := s.pages[page]
	var buf bytes.Buffer
	if t == nil {
		s.log.Error("console: no page", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := t.Execute(&buf, d); err != nil {
		s.log.Error("console: render", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// pageFunc is a console handler.
type pageFunc func(w http.ResponseWriter, r *http.Request, p *Principal) error

// page wraps a console handler: a session is required (else to /login),
// the role checked, CSRF checked on posts, errors shown as a page.
func (s *Server) page(pm perm, h pageFunc) http.Handler {
	return limitBody(s.cfg.MaxUpload, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r)
		if err != nil {
			s.pageError(w, r, nil, err)
			return
		}
		if p == nil || p.Via != "session" {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		noteUser(r.Context(), p.Username)
		r = r.WithContext(withPrincipal(r.Context(), p))
		if !pm.allows(p.Role) {
			s.pageError(w, r, p, errDenied)
			return
		}
		if unsafeMethod(r.Method) && !s.csrfOK(r) {
			s.pageError(w, r, p, errCSRF)
			return
		}
		if err := h(w, r, p); err != nil {
			s.pageError(w, r, p, err)
		}
	}))
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, p *Principal, err error) {
	e := asAPIError(err)
	if e.Status >= 500 && e.Status != http.StatusNotImplemented {
		s.log.Error("console", "path", r.URL.Path, "err", err)
	}
	msg := e.Message
	switch {
	case e == errCSRF:
		msg = e.Message
	case e.Status == http.StatusForbidden:
		msg = message(langOf(r), "forbidden")
	case e.Status == http.StatusNotImplemented:
		msg = message(langOf(r), "not.available")
	}
	s.render(w, r, p, e.Status, "error", pageData{Title: message(langOf(r), "error"), Error: msg})
}

// back redirects after a post (Post/Redirect/Get) with a flash message.
func back(w http.ResponseWriter, r *http.Request, to, msg string) error {
	if msg != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "msg=" + url.QueryEscape(msg)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *Server) consoleRoutes(m *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static")
	files := http.FileServerFS(static)
	m.Handle("GET /static/", http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})))
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
	})
	m.HandleFunc("GET /login", s.loginPage)
	m.Handle("POST /login", limitBody(s.cfg.MaxBody, http.HandlerFunc(s.loginSubmit)))
	m.HandleFunc("GET /lang/{lang}", s.setLang)
	m.Handle("POST /logout", s.page(permRead, s.logoutSubmit))
	m.Handle("GET /dashboard", s.page(permRead, s.dashboardPage))
	m.Handle("GET /residents", s.page(permRead, s.residentsPage))
	m.Handle("GET /residents/import", s.page(permWrite, s.importPage))
	m.Handle("POST /residents/import", s.page(permWrite, s.importPreview))
	m.Handle("POST /residents/import/confirm", s.page(permWrite, s.importConfirm))
	m.Handle("GET /observations", s.page(permRead, s.observationsPage))
	m.Handle("GET /campaigns", s.page(permRead, s.campaignsPage))
	m.Handle("GET /campaigns/new", s.page(permOperate, s.campaignNewPage))
	m.Handle("POST /campaigns/new", s.page(permOperate, s.campaignCreate))
	m.Handle("GET /campaigns/{id}", s.page(permRead, s.campaignPage))
	m.Handle("POST /campaigns/{id}/{action}", s.page(permOperate, s.campaignActionSubmit))
	m.Handle("GET /results", s.page(permRead, s.resultsPage))
	m.Handle("GET /alerts", s.page(permRead, s.alertsPage))
	m.Handle("POST /alerts/{id}/{verb}", s.page(permWrite, s.alertSubmit))
	m.Handle("GET /scripts", s.page(permRead, s.scriptsPage))
	m.Handle("POST /scripts", s.page(permRead, s.scriptSubmit))
	m.Handle("GET /settings", s.page(permRead, s.settingsPage))
	m.Handle("POST /settings/users", s.page(permAdmin, s.userSubmit))
	m.Handle("POST /settings/tokens", s.page(permAdmin, s.tokenSubmit))
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, nil, http.StatusOK, "login", pageData{Title: message(langOf(r), "login"),
		Data: map[string]string{"Next": safeNext(r.URL.Query().Get("next"))}})
}

// safeNext keeps only local paths (no open redirect).
func safeNext(n string) string {
	if !strings.HasPrefix(n, "/") || strings.HasPrefix(n, "//") || strings.Contains(n, "\\") {
		return "/dashboard"
	}
	return n
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		s.pageError(w, r, nil, errCSRF)
		return
	}
	user, pw, next := r.PostFormValue("username"), r.PostFormValue("password"), safeNext(r.PostFormValue("next"))
	cookie, sess, _, err := s.login(r.Context(), clientIP(r), user, pw)
	if err != nil {
		key := "login.failed"
		var e *Error
		if errors.As(err, &e) && e.Status == http.StatusTooManyRequests {
			key = "login.limited"
		} else if !errors.As(err, &e) {
			s.pageError(w, r, nil, err)
			return
		}
		s.render(w, r, nil, e.Status, "login", pageData{Title: message(langOf(r), "login"),
			Error: message(langOf(r), key), Data: map[string]string{"Next": next, "User": user}})
		return
	}
	s.setSessionCookie(w, r, cookie, sess.Expires)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request, p *Principal) error {
	if sess, ok, _ := s.session(r); ok {
		_ = s.sessions.Delete(r.Context(), sess.ID)
	}
	s.setSessionCookie(w, r, "", s.now())
	s.audit(r.Context(), p.Username, "logout", "", "")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	l := LangZH
	if r.PathValue("lang") == string(LangEN) {
		l = LangEN
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}
