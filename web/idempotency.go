package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"sync"
	"time"
	"unicode/utf8"
)

// Idempotency-Key lifetimes: a reservation (the first request still
// running) is held for idemHold, so a process that dies mid-request does not
// block the key for a day; a stored response is replayed for idemTTL.
const (
	idemHold = 10 * time.Minute
	idemTTL  = 24 * time.Hour
)

// IdemKey is an Idempotency-Key as sent by one user: keys are scoped by
// the user, so the same key from two users never meets.
type IdemKey struct {
	UserID int64
	Key    string
}

// IdemRecord is a stored response to a creating request.
type IdemRecord struct {
	Fingerprint string // SHA-256 of method, path and body
	Done        bool   // false while the first request runs
	Status      int
	ContentType string
	Body        []byte
	Expires     time.Time
}

// Idempotency keeps Idempotency-Key responses. Begin reserves a key: it
// returns the live record already there (and false) or stores rec (and
// true); of concurrent Begins of one key exactly one gets true. Finish
// stores the response; Abort drops the reservation of a failed request.
// MemIdempotency serves one process; StoreIdempotency shares the keys of
// every API process through the database.
type Idempotency interface {
	Begin(ctx context.Context, key IdemKey, rec IdemRecord) (IdemRecord, bool, error)
	Finish(ctx context.Context, key IdemKey, rec IdemRecord) error
	Abort(ctx context.Context, key IdemKey) error
}

// MemIdempotency is an in-memory Idempotency (responses live 24 h).
type MemIdempotency struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[IdemKey]IdemRecord
}

// NewMemIdempotency returns an empty store; now nil means time.Now.
func NewMemIdempotency(now func() time.Time) *MemIdempotency {
	if now == nil {
		now = time.Now
	}
	return &MemIdempotency{now: now, m: map[IdemKey]IdemRecord{}}
}

// Begin reserves key.
func (m *MemIdempotency) Begin(_ context.Context, key IdemKey, rec IdemRecord) (IdemRecord, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if old, ok := m.m[key]; ok && now.Before(old.Expires) {
		return old, false, nil
	}
	rec.Done, rec.Expires = false, now.Add(idemHold)
	m.m[key] = rec
	return rec, true, nil
}

// Finish stores the response.
func (m *MemIdempotency) Finish(_ context.Context, key IdemKey, rec IdemRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	rec.Done, rec.Expires = true, m.now().Add(idemTTL)
	m.m[key] = rec
	return nil
}

// Abort forgets a reservation whose request failed.
func (m *MemIdempotency) Abort(_ context.Context, key IdemKey) error {
	m.mu.Lock()
	delete(m.m, key)
	m.mu.Unlock()
	return nil
}

// recorder captures a response to store it.
type recorder struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (r *recorder) WriteHeader(s int) { r.status = s; r.ResponseWriter.WriteHeader(s) }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.buf.Write(b)
	return r.ResponseWriter.Write(b)
}

// idempotent wraps a creating handler: with an Idempotency-Key header the
// first 2xx response is stored and replayed for the same key and body; the
// same key with another body is refused (422); a request still running
// with that key gives 409.
func (s *Server) idempotent(next apiFunc) apiFunc {
	return func(w http.ResponseWriter, r *http.Request, p *Principal) error {
		key := r.Header.Get("Idempotency-Key")
		if key == "" {
			return next(w, r, p)
		}
		if len(key) > 200 {
			return errBadRequest("Idempotency-Key longer than 200 characters")
		}
		if !utf8.ValidString(key) {
			return errBadRequest("Idempotency-Key is not UTF-8")
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return errBadRequest("read body: %v", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h := sha256.New()
		io.WriteString(h, r.Method+" "+r.URL.Path+"\n")
		h.Write(body)
		fp := hex.EncodeToString(h.Sum(nil))
		full := IdemKey{UserID: p.UserID, Key: key}
		old, fresh, err := s.idem.Begin(r.Context(), full, IdemRecord{Fingerprint: fp})
		if err != nil {
			return err
		}
		if !fresh {
			return replay(w, old, fp)
		}
		rec := &recorder{ResponseWriter: w}
		err = next(rec, r, p)
		// The outcome is recorded even if the client has gone: a reservation
		// left behind would answer 409 to the key until it expires.
		ctx := context.WithoutCancel(r.Context())
		if err != nil || rec.status >= 300 {
			if aerr := s.idem.Abort(ctx, full); aerr != nil {
				s.log.Error("idempotency abort", "err", aerr)
			}
			return err
		}
		err = s.idem.Finish(ctx, full, IdemRecord{Fingerprint: fp, Status: rec.status,
			ContentType: rec.Header().Get("Content-Type"), Body: rec.buf.Bytes()})
		if err != nil { // the response is sent: a retry gets 409 until the reservation lapses
			s.log.Error("idempotency finish", "err", err)
		}
		return nil
	}
}

func replay(w http.ResponseWriter, old IdemRecord, fp string) error {
	switch {
	case old.Fingerprint != fp:
		return &Error{http.StatusUnprocessableEntity, "idempotency_mismatch", "Idempotency-Key reused with another request"}
	case !old.Done:
		return &Error{http.StatusConflict, "idempotency_in_flight", "a request with this Idempotency-Key is still running"}
	}
	w.Header().Set("Content-Type", old.ContentType)
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(old.Status)
	_, err := w.Write(old.Body)
	return err
}
