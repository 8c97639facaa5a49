package web

import (
	"net/http"
)

func (s *Server) authRoutes() []route {
	return []route{
		{Method: "POST", Path: "/api/login", Tag: "auth", Summary: "Sign in with a password; sets the session cookie and returns the CSRF token", Perm: permPublic, Handler: s.apiLogin},
		{Method: "POST", Path: "/api/logout", Tag: "auth", Summary: "End the session", Perm: permRead, Handler: s.apiLogout},
		{Method: "GET", Path: "/api/me", Tag: "auth", Summary: "Who am I: role, scope, permissions", Perm: permRead, Handler: s.apiMe},
	}
}

type loginBody struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request, _ *Principal) error {
	if !sameOrigin(r) {
		return errCSRF
	}
	var b loginBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	cookie, sess, p, err := s.login(r.Context(), clientIP(r), b.Username, b.Password)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, cookie, sess.Expires)
	writeJSON(w, http.StatusOK, map[string]any{"csrf": sess.CSRF, "user": meJSON(p), "expires": sess.Expires})
	return nil
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request, p *Principal) error {
	if sess, ok, _ := s.session(r); ok {
		_ = s.sessions.Delete(r.Context(), sess.ID)
	}
	s.setSessionCookie(w, r, "", s.now())
	s.audit(r.Context(), p.Username, "logout", "", "")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func meJSON(p *Principal) map[string]any {
	return map[string]any{"id": p.UserID, "username": p.Username, "name": p.Name, "role": p.Role.String(),
		"org_unit_id": p.OrgUnitID, "can_unmask": p.CanUnmask, "via": p.Via}
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, p *Principal) error {
	writeJSON(w, http.StatusOK, meJSON(p))
	return nil
}
