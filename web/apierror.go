package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"outreach/campaigns"
	"outreach/followup"
	"outreach/storage"
)

// Sentinel errors the web-owned interfaces return (wrapped).
var (
	// ErrForbidden: the row exists but lies outside the caller's scope.
	ErrForbidden = errors.New("forbidden")
	// ErrNotImplemented: the back end cannot do this yet.
	ErrNotImplemented = errors.New("not implemented")
)

// Error is an API error with an HTTP status and a stable code.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func errBadRequest(format string, a ...any) *Error {
	return &Error{http.StatusBadRequest, "bad_request", fmt.Sprintf(format, a...)}
}

var (
	errUnauthorized = &Error{http.StatusUnauthorized, "unauthorized", "authentication required"}
	errDenied       = &Error{http.StatusForbidden, "forbidden", "your role may not do this"}
	errCSRF         = &Error{http.StatusForbidden, "csrf", "missing or bad CSRF token"}
	errNotFound     = &Error{http.StatusNotFound, "not_found", "no such resource"}
)

// errorBody is {"error":{"code","message"}}.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// asAPIError maps any error onto an *Error; unknown errors are internal and
// their text is not shown to the client.
func asAPIError(err error) *Error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, ErrForbidden):
		return &Error{http.StatusForbidden, "forbidden", "outside your area"}
	case errors.Is(err, storage.ErrNotFound), errors.Is(err, campaigns.ErrNotFound), errors.Is(err, followup.ErrNotFound):
		return errNotFound
	case errors.Is(err, storage.ErrDuplicate):
		return &Error{http.StatusConflict, "conflict", "already exists"}
	case errors.Is(err, campaigns.ErrTransition), errors.Is(err, storage.ErrAlertState),
		errors.Is(err, followup.ErrTransition), errors.Is(err, followup.ErrConflict):
		return &Error{http.StatusConflict, "conflict", "not allowed in the current state"}
	case errors.Is(err, ErrNotImplemented):
		return &Error{http.StatusNotImplemented, "not_implemented", "not available on this back end yet"}
	}
	return &Error{http.StatusInternalServerError, "internal", "internal error"}
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError writes the consistent error body.
func writeError(w http.ResponseWriter, e *Error) {
	var b errorBody
	b.Error.Code, b.Error.Message = e.Code, e.Message
	writeJSON(w, e.Status, b)
}

// decodeJSON reads one JSON object into v, refusing unknown fields and
// trailing data. Body size is bounded by the limit middleware.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &Error{http.StatusRequestEntityTooLarge, "too_large", "request body too large"}
		}
		return errBadRequest("bad JSON: %v", err)
	}
	if dec.More() {
		return errBadRequest("bad JSON: trailing data")
	}
	return nil
}
