package web

import (
	"context"
	"errors"
	"time"

	"outreach/storage"
)

// SessionStore is what StoreSessions needs of the database
// (*storage.Store implements it).
type SessionStore interface {
	CreateSession(ctx context.Context, s storage.Session) error
	Session(ctx context.Context, id string, now time.Time) (storage.Session, error)
	DeleteSession(ctx context.Context, id string) error
}

// IdempotencyStore is what StoreIdempotency needs of the database
// (*storage.Store implements it).
type IdempotencyStore interface {
	BeginIdempotent(ctx context.Context, rec storage.IdemRecord, now time.Time) (storage.IdemRecord, bool, error)
	FinishIdempotent(ctx context.Context, rec storage.IdemRecord) error
	AbortIdempotent(ctx context.Context, userID int64, key string) error
}

// StoreSessions keeps sessions in the database, so every API process sees
// the same sessions and they outlive a restart. Expired sessions are never
// returned; the api role purges them periodically (storage PurgeExpired).
type StoreSessions struct {
	S   SessionStore
	Now func() time.Time // nil = time.Now
}

func (s StoreSessions) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Create stores a new session.
func (s StoreSessions) Create(ctx context.Context, x Session) error {
	return s.S.CreateSession(ctx, storage.Session{ID: x.ID, UserID: x.UserID, CSRF: x.CSRF,
		Created: x.Created, Expires: x.Expires})
}

// Get returns a live session.
func (s StoreSessions) Get(ctx context.Context, id string) (Session, bool, error) {
	x, err := s.S.Session(ctx, id, s.now())
	if errors.Is(err, storage.ErrNotFound) {
		return Session{}, false, nil
	}
	if err != nil {
		return Session{}, false, err
	}
	return Session{ID: x.ID, UserID: x.UserID, CSRF: x.CSRF, Created: x.Created, Expires: x.Expires}, true, nil
}

// Delete ends a session.
func (s StoreSessions) Delete(ctx context.Context, id string) error {
	return s.S.DeleteSession(ctx, id)
}

// StoreIdempotency keeps Idempotency-Key records in the database: a key
// reserved by one API process is seen by all, so the same request sent to
// two processes runs once and the other gets the replay (or 409 while the
// first still runs).
type StoreIdempotency struct {
	S   IdempotencyStore
	Now func() time.Time // nil = time.Now
}

func (s StoreIdempotency) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Begin reserves key.
func (s StoreIdempotency) Begin(ctx context.Context, key IdemKey, rec IdemRecord) (IdemRecord, bool, error) {
	now := s.now()
	x, fresh, err := s.S.BeginIdempotent(ctx, storage.IdemRecord{UserID: key.UserID, Key: key.Key,
		Fingerprint: rec.Fingerprint, Expires: now.Add(idemHold)}, now)
	if err != nil {
		return IdemRecord{}, false, err
	}
	return IdemRecord{Fingerprint: x.Fingerprint, Done: x.Done, Status: x.Status, ContentType: x.ContentType,
		Body: x.Body, Expires: x.Expires}, fresh, nil
}

// Finish stores the response.
func (s StoreIdempotency) Finish(ctx context.Context, key IdemKey, rec IdemRecord) error {
	return s.S.FinishIdempotent(ctx, storage.IdemRecord{UserID: key.UserID, Key: key.Key,
		Fingerprint: rec.Fingerprint, Done: true, Status: rec.Status, ContentType: rec.ContentType,
		Body: rec.Body, Expires: s.now().Add(idemTTL)})
}

// Abort forgets a reservation whose request failed.
func (s StoreIdempotency) Abort(ctx context.Context, key IdemKey) error {
	return s.S.AbortIdempotent(ctx, key.UserID, key.Key)
}
