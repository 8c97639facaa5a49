package web

import (
	"net/http"
	"strconv"
)

// apiFunc is an API handler; a returned error becomes the error body.
type apiFunc func(w http.ResponseWriter, r *http.Request, p *Principal) error

// route is one API endpoint. The table drives the mux, the role checks and
// the OpenAPI document alike.
type route struct {
	Method  string
	Path    string // ServeMux pattern path, e.g. /api/residents/{id}
	Tag     string
	Summary string
	Perm    perm
	Create  bool   // honours Idempotency-Key
	Upload  bool   // large body allowed
	Body    string // the JSON body's schema in the OpenAPI components ("" = any object)
	Returns string // the success response's schema ("" = unspecified)
	Handler apiFunc
}

// apiRoutes is every API endpoint.
func (s *Server) apiRoutes() []route {
	var rs []route
	add := func(more ...route) { rs = append(rs, more...) }
	add(s.authRoutes()...)
	add(s.residentRoutes()...)
	add(s.campaignRoutes()...)
	add(s.scriptRoutes()...)
	add(s.callRoutes()...)
	add(s.alertRoutes()...)
	add(s.adminRoutes()...)
	return rs
}

// pathID reads the {name} path value as a positive id.
func pathID(r *http.Request, name string) (int64, error) {
	v, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || v <= 0 {
		return 0, errBadRequest("bad %s %q", name, r.PathValue(name))
	}
	return v, nil
}

// queryInt reads an optional integer query parameter.
func queryInt(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, errBadRequest("bad %s %q", name, v)
	}
	return n, nil
}

// Paths lists "METHOD /path" of every registered API route.
func (s *Server) Paths() []string {
	out := make([]string, 0, len(s.routes))
	for _, rt := range s.routes {
		out = append(out, rt.Method+" "+rt.Path)
	}
	return out
}
