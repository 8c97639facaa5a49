package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"outreach/storage"
)

// sessionCookie names the session cookie.
const sessionCookie = "outreach_session"

// authenticate finds the principal of a request: a bearer token first,
// else the session cookie. It returns nil, nil when there is neither.
func (s *Server) authenticate(r *http.Request) (*Principal, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || tok == "" {
			return nil, nil
		}
		u, err := s.cfg.Directory.Authenticate(ctx, strings.TrimSpace(tok))
		if errors.Is(err, storage.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("authenticate token: %w", err)
		}
		return s.principal(ctx, u, "token")
	}
	sess, ok, err := s.session(r)
	if err != nil || !ok {
		return nil, err
	}
	u, err := s.cfg.Directory.User(ctx, sess.UserID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("session user: %w", err)
	}
	if u.Disabled {
		return nil, nil
	}
	return s.principal(ctx, u, "session")
}

// session returns the request's live session.
func (s *Server) session(r *http.Request) (Session, bool, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return Session{}, false, nil
	}
	return s.sessions.Get(r.Context(), sessionID(c.Value))
}

// principal maps a stored user onto a role and a scope: storage admins are
// admins; others are street or community staff by the level of their unit,
// and see that unit's subtree.
func (s *Server) principal(ctx context.Context, u storage.User, via string) (*Principal, error) {
	p := &Principal{UserID: u.ID, Username: u.Username, Name: u.DisplayName, OrgUnitID: u.OrgUnitID,
		CanUnmask: u.Role.CanUnmask(), Via: via}
	if u.Role == storage.RoleAdmin {
		p.Role, p.Scope = RoleAdmin, AllScope()
		return p, nil
	}
	units, err := s.cfg.Directory.OrgUnits(ctx)
	if err != nil {
		return nil, fmt.Errorf("principal %s: %w", u.Username, err)
	}
	children := map[int64][]int64{}
	var level storage.Level
	for _, x := range units {
		children[x.ParentID] = append(children[x.ParentID], x.ID)
		if x.ID == u.OrgUnitID {
			level = x.Level
		}
	}
	switch level {
	case storage.LevelDistrict, storage.LevelStreet:
		p.Role = RoleStreet
	case storage.LevelCommunity, storage.LevelGrid:
		p.Role = RoleCommunity
	default:
		return nil, nil // a non-admin with no unit may not sign in
	}
	ids := []int64{u.OrgUnitID}
	for i := 0; i < len(ids); i++ {
		ids = append(ids, children[ids[i]]...)
	}
	p.Scope = UnitScope(ids...)
	p.Scope.Root = u.OrgUnitID
	return p, nil
}

// csrfOK checks the session's CSRF token (header X-CSRF-Token or form
// field csrf) and that a browser-sent Origin is this host.
func (s *Server) csrfOK(r *http.Request) bool {
	if !sameOrigin(r) {
		return false
	}
	sess, ok, err := s.session(r)
	if err != nil || !ok {
		return false
	}
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" {
		tok = r.FormValue("csrf")
	}
	return sameToken(tok, sess.CSRF)
}

// login checks a password, rate limited per IP and user, audits the
// attempt, and starts a session; it returns the cookie value and session.
func (s *Server) login(ctx context.Context, ip, username, password string) (string, Session, *Principal, error) {
	key := ip + "|" + strings.ToLower(username)
	if ok, wait := s.limiter.Allow(key); !ok {
		s.metrics.logins.WithLabelValues("limited").Inc()
		s.audit(ctx, username, "login.limited", "user:"+username, "ip="+ip)
		return "", Session{}, nil, &Error{http.StatusTooManyRequests, "rate_limited",
			fmt.Sprintf("too many failed logins; retry in %d s", int(wait.Seconds())+1)}
	}
	u, err := s.cfg.Directory.UserByName(ctx, username)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return "", Session{}, nil, err
	}
	hash := u.PasswordHash
	if err != nil {
		hash = dummyHash
	}
	good := checkPassword(hash, password) && err == nil && !u.Disabled
	var p *Principal
	if good {
		if p, err = s.principal(ctx, u, "session"); err != nil {
			return "", Session{}, nil, err
		}
		good = p != nil
	}
	if !good {
		s.limiter.Fail(key)
		s.metrics.logins.WithLabelValues("failed").Inc()
		s.audit(ctx, username, "login.failed", "user:"+username, "ip="+ip)
		return "", Session{}, nil, &Error{http.StatusUnauthorized, "bad_credentials", "wrong username or password"}
	}
	s.limiter.Reset(key)
	cookie := randomToken()
	now := s.now()
	sess := Session{ID: sessionID(cookie), UserID: u.ID, CSRF: randomToken(), Created: now, Expires: now.Add(s.cfg.SessionTTL)}
	if err := s.sessions.Create(ctx, sess); err != nil {
		return "", Session{}, nil, fmt.Errorf("login: %w", err)
	}
	s.metrics.logins.WithLabelValues("ok").Inc()
	s.audit(ctx, u.Username, "login", fmt.Sprintf("user:%d", u.ID), "ip="+ip)
	return cookie, sess, p, nil
}

// sameOrigin refuses a request whose Origin header names another host
// (a browser sends it on cross-site POSTs); no header passes.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// setSessionCookie sets (or with an empty value clears) the cookie.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, value string, expires time.Time) {
	c := &http.Cookie{Name: sessionCookie, Value: value, Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode}
	if value == "" {
		c.MaxAge = -1
	} else {
		c.MaxAge = max(int(expires.Sub(s.now())/time.Second), 1) // relative: immune to client clock skew
	}
	http.SetCookie(w, c)
}

// audit appends an audit row; a failure is logged (the action happened).
func (s *Server) audit(ctx context.Context, actor, action, subject, detail string) {
	err := s.cfg.Audit.Audit(ctx, storage.AuditEntry{Actor: actor, Action: action, Subject: subject, Detail: detail})
	if err != nil {
		s.log.Error("audit", "action", action, "err", err)
	}
}
