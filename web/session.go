package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"sync"
	"time"
)

// Session is a signed-in person. ID is the SHA-256 (hex) of the cookie
// value, so a leaked session table does not leak cookies.
type Session struct {
	ID      string
	UserID  int64
	CSRF    string
	Created time.Time
	Expires time.Time
}

// Sessions keeps sessions. MemSessions is the in-process one (tests, one
// process); StoreSessions keeps them in the database for several API
// processes and across restarts.
type Sessions interface {
	Create(ctx context.Context, s Session) error
	Get(ctx context.Context, id string) (Session, bool, error)
	Delete(ctx context.Context, id string) error
}

// MemSessions is an in-memory Sessions with expiry by an injected clock.
type MemSessions struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[string]Session
}

// NewMemSessions returns an empty store; now nil means time.Now.
func NewMemSessions(now func() time.Time) *MemSessions {
	if now == nil {
		now = time.Now
	}
	return &MemSessions{now: now, m: map[string]Session{}}
}

// Create stores s and drops expired sessions.
func (m *MemSessions) Create(_ context.Context, s Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for id, x := range m.m {
		if !now.Before(x.Expires) {
			delete(m.m, id)
		}
	}
	m.m[s.ID] = s
	return nil
}

// Get returns a live session.
func (m *MemSessions) Get(_ context.Context, id string) (Session, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.m[id]
	if !ok || !m.now().Before(s.Expires) {
		return Session{}, false, nil
	}
	return s, true, nil
}

// Delete removes a session.
func (m *MemSessions) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	delete(m.m, id)
	m.mu.Unlock()
	return nil
}

// randomToken returns 32 random bytes, base64url.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// sessionID hashes a cookie value.
func sessionID(cookie string) string {
	h := sha256.Sum256([]byte(cookie))
	return hex.EncodeToString(h[:])
}

// sameToken compares two secrets in constant time.
func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
