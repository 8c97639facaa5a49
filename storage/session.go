package storage

import (
	"context"
	"fmt"
	"time"
)

// Session is a signed-in person's console session, shared by every API
// process. ID is the SHA-256 (hex) of the cookie value, so the table does
// not hold cookies.
type Session struct {
	ID      string
	UserID  int64
	CSRF    string
	Created time.Time
	Expires time.Time
}

// CreateSession stores a new session. Expired sessions are not deleted
// here: the api role calls PurgeExpired periodically.
func (s *Store) CreateSession(ctx context.Context, x Session) error {
	_, err := s.b.Exec(ctx, `INSERT INTO sessions (id, user_id, csrf, created_at, expires_at) VALUES ($1,$2,$3,$4,$5)`,
		x.ID, x.UserID, x.CSRF, x.Created.UTC(), x.Expires.UTC())
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// Session returns the session with that id if it is still live at now;
// a missing or expired one is ErrNotFound.
func (s *Store) Session(ctx context.Context, id string, now time.Time) (Session, error) {
	var x Session
	err := s.b.QueryRow(ctx, `SELECT id, user_id, csrf, created_at, expires_at FROM sessions
		WHERE id = $1 AND expires_at > $2`, id, now.UTC()).Scan(&x.ID, &x.UserID, &x.CSRF, &x.Created, &x.Expires)
	if err != nil {
		return Session{}, notFound(err, "session", "")
	}
	return x, nil
}

// DeleteSession ends a session; deleting one that is not there is no error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.b.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions signs a user out everywhere (to be called when a user
// is disabled or their password changes) and returns how many sessions
// ended.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	n, err := s.b.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	if err != nil {
		return 0, fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return n, nil
}

// PurgeExpired deletes the sessions and Idempotency-Key records that
// expired at or before now, and returns how many rows went. Reads never
// return expired rows, so purging is only housekeeping: the api role runs
// it periodically.
func (s *Store) PurgeExpired(ctx context.Context, now time.Time) (int64, error) {
	var total int64
	for _, table := range []string{"sessions", "idempotency_keys"} {
		n, err := s.b.Exec(ctx, `DELETE FROM `+table+` WHERE expires_at <= $1`, now.UTC())
		if err != nil {
			return total, fmt.Errorf("purge expired %s: %w", table, err)
		}
		total += n
	}
	return total, nil
}
