package web

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/crypto/bcrypt"

	"outreach/prompts"
)

// Speaker renders prompt text to audio (*prompts.Renderer implements it).
type Speaker interface {
	Render(ctx context.Context, req prompts.Request) ([]int16, error)
}

// Config builds a Server.
type Config struct {
	Backends
	Runner      Runner      // campaign actions and progress
	Scripts     Scripts     // script versions; nil = none
	Trunks      Trunks      // nil = no trunks known
	Speaker     Speaker     // nil = prompts cannot be listened to
	Sessions    Sessions    // nil = in memory (one process); StoreSessions shares them
	Idempotency Idempotency // nil = in memory (one process); StoreIdempotency shares them
	Registry    *prometheus.Registry
	Logger      *slog.Logger
	Now         func() time.Time
	Location    *time.Location // "today"; nil = Asia/Shanghai
	Org         string         // shown in the console title
	// DefaultTrunk is the trunk of campaigns created without one (the
	// console's wizard does not ask); empty leaves it empty.
	DefaultTrunk string
	SessionTTL   time.Duration // default 12 h
	MaxBody      int64         // JSON bodies; default 1 MiB
	MaxUpload    int64         // imports and scripts; default 32 MiB
	// ProgressEvery is how often the live view's event stream polls the
	// runner (default 1 s).
	ProgressEvery time.Duration
	// LoginBurst failed logins per IP and user, one more every LoginRefill
	// (defaults 5 and 1 min).
	LoginBurst  int
	LoginRefill time.Duration
	// RecordingsDir, when set, is the only folder recordings are served
	// from (a stored path outside it is refused).
	RecordingsDir string
	// SecureCookies sets the Secure flag on cookies even over plain HTTP
	// (a TLS-terminating proxy in front).
	SecureCookies bool
	// PasswordCost is the bcrypt cost of new passwords (0 = bcrypt default).
	PasswordCost int
}

// Server is the HTTP API and console.
type Server struct {
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	sessions Sessions
	idem     Idempotency
	limiter  *loginLimiter
	metrics  *metrics
	routes   []route
	pages    map[string]*template.Template
	uploads  *uploadCache
	handler  http.Handler
	stop     chan struct{} // closed by Close: ends event streams
	once     sync.Once
}

// Close ends the open event streams (call it before http.Server.Shutdown,
// which does not wait for streams to end by themselves).
func (s *Server) Close() { s.once.Do(func() { close(s.stop) }) }

// New checks cfg and builds the server.
func New(cfg Config) (*Server, error) {
	b := cfg.Backends
	if b.Directory == nil || b.Residents == nil || b.Campaigns == nil || b.Alerts == nil ||
		b.Calls == nil || b.Exports == nil || b.Audit == nil || b.Ready == nil || cfg.Runner == nil {
		return nil, errors.New("web: Directory, Residents, Campaigns, Alerts, Calls, Exports, Audit, Ready and Runner are required")
	}
	s := &Server{cfg: cfg, log: cfg.Logger, now: cfg.Now, sessions: cfg.Sessions, idem: cfg.Idempotency,
		stop: make(chan struct{})}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.sessions == nil {
		s.sessions = NewMemSessions(s.now)
	}
	if s.idem == nil {
		s.idem = NewMemIdempotency(s.now)
	}
	defaults(&s.cfg)
	s.limiter = newLoginLimiter(s.now, s.cfg.LoginBurst, s.cfg.LoginRefill)
	s.metrics = newMetrics(cfg.Registry)
	s.uploads = newUploadCache(s.now, 16)
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	s.routes = s.apiRoutes()
	s.handler = s.observe(securityHeaders(s.mux()))
	return s, nil
}

func defaults(c *Config) {
	if c.SessionTTL <= 0 {
		c.SessionTTL = 12 * time.Hour
	}
	if c.MaxBody <= 0 {
		c.MaxBody = 1 << 20
	}
	if c.MaxUpload <= 0 {
		c.MaxUpload = 32 << 20
	}
	if c.ProgressEvery <= 0 {
		c.ProgressEvery = time.Second
	}
	if c.PasswordCost == 0 {
		c.PasswordCost = bcrypt.DefaultCost
	}
	if c.LoginBurst <= 0 {
		c.LoginBurst = 5
	}
	if c.LoginRefill <= 0 {
		c.LoginRefill = time.Minute
	}
	if c.Location == nil {
		c.Location = time.FixedZone("CST", 8*3600)
		if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
			c.Location = loc
		}
	}
	if c.Org == "" {
		c.Org = "Outreach"
	}
}

// ServeHTTP serves the API and the console.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) mux() *http.ServeMux {
	m := http.NewServeMux()
	for _, rt := range s.routes {
		limit := s.cfg.MaxBody
		if rt.Upload {
			limit = s.cfg.MaxUpload
		}
		m.Handle(rt.Method+" "+rt.Path, limitBody(limit, s.api(rt)))
	}
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	m.HandleFunc("GET /readyz", s.readyz)
	m.Handle("GET /metrics", s.metrics.handler())
	m.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.OpenAPI())
	})
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) { writeError(w, errNotFound) })
	s.consoleRoutes(m)
	return m
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := s.cfg.Ready.Ping(ctx); err != nil {
		s.log.Warn("readyz: store", "err", err)
		writeError(w, &Error{http.StatusServiceUnavailable, "not_ready", "store unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// api wraps one API route: authentication, role check, CSRF for
// session-authenticated changes, Idempotency-Key, error mapping.
func (s *Server) api(rt route) http.Handler {
	h := rt.Handler
	if rt.Create {
		h = s.idempotent(h)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p *Principal
		if rt.Perm != permPublic {
			var err error
			p, err = s.authenticate(r)
			if err != nil {
				writeError(w, asAPIError(err))
				return
			}
			if p == nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="outreach"`)
				writeError(w, errUnauthorized)
				return
			}
			r = r.WithContext(withPrincipal(r.Context(), p))
			noteUser(r.Context(), p.Username)
			if !rt.Perm.allows(p.Role) {
				writeError(w, errDenied)
				return
			}
			if p.Via == "session" && unsafeMethod(r.Method) && !s.csrfOK(r) {
				writeError(w, errCSRF)
				return
			}
		}
		if err := h(w, r, p); err != nil {
			e := asAPIError(err)
			if e.Status >= 500 {
				s.log.Error("api", "route", rt.Method+" "+rt.Path, "err", err)
			}
			writeError(w, e)
		}
	})
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}
