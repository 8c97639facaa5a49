package storage

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// IdemRecord is the stored response to a creating request sent with an
// Idempotency-Key, shared by every API process. Key is scoped by UserID,
// the user who sent it.
type IdemRecord struct {
	UserID      int64
	Key         string
	Fingerprint string // of the request: the same key with another request is refused
	Done        bool   // false while the first request runs (a reservation)
	Status      int
	ContentType string
	Body        []byte
	Expires     time.Time
}

const idemCols = `user_id, key, fingerprint, done, status, content_type, body, expires_at`

func scanIdem(r row) (IdemRecord, error) {
	var x IdemRecord
	err := r.Scan(&x.UserID, &x.Key, &x.Fingerprint, &x.Done, &x.Status, &x.ContentType, &x.Body, &x.Expires)
	return x, err
}

// BeginIdempotent reserves rec's key: it stores rec as a reservation (not
// done) and returns it with true, or returns the live record already
// there with false. One statement decides, so of several processes
// beginning the same key at once exactly one gets true. A record that
// expired at or before now is replaced as if absent.
func (s *Store) BeginIdempotent(ctx context.Context, rec IdemRecord, now time.Time) (IdemRecord, bool, error) {
	for range 3 {
		got, err := scanIdem(s.b.QueryRow(ctx, `INSERT INTO idempotency_keys (`+idemCols+`)
			VALUES ($1,$2,$3,false,0,'',NULL,$4)
			ON CONFLICT (user_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, done = false,
				status = 0, content_type = '', body = NULL, expires_at = excluded.expires_at
			WHERE idempotency_keys.expires_at <= $5
			RETURNING `+idemCols, rec.UserID, rec.Key, rec.Fingerprint, rec.Expires.UTC(), now.UTC()))
		if err == nil {
			return got, true, nil
		}
		if !errors.Is(err, errNoRows) {
			return IdemRecord{}, false, fmt.Errorf("begin idempotency key: %w", err)
		}
		got, err = scanIdem(s.b.QueryRow(ctx, `SELECT `+idemCols+` FROM idempotency_keys
			WHERE user_id = $1 AND key = $2 AND expires_at > $3`, rec.UserID, rec.Key, now.UTC()))
		if err == nil {
			return got, false, nil
		}
		if !errors.Is(err, errNoRows) {
			return IdemRecord{}, false, fmt.Errorf("begin idempotency key: %w", err)
		}
		// The holder aborted (or its record expired) in between: try again.
	}
	return IdemRecord{}, false, errors.New("begin idempotency key: contended, try again")
}

// FinishIdempotent stores the response of the request that holds the key.
func (s *Store) FinishIdempotent(ctx context.Context, rec IdemRecord) error {
	_, err := s.b.Exec(ctx, `INSERT INTO idempotency_keys (`+idemCols+`) VALUES ($1,$2,$3,true,$4,$5,$6,$7)
		ON CONFLICT (user_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, done = true,
			status = excluded.status, content_type = excluded.content_type, body = excluded.body,
			expires_at = excluded.expires_at`,
		rec.UserID, rec.Key, rec.Fingerprint, rec.Status, rec.ContentType, rec.Body, rec.Expires.UTC())
	if err != nil {
		return fmt.Errorf("finish idempotency key: %w", err)
	}
	return nil
}

// AbortIdempotent drops the reservation of a request that failed, so the
// key can be used again; a finished record is kept.
func (s *Store) AbortIdempotent(ctx context.Context, userID int64, key string) error {
	_, err := s.b.Exec(ctx, `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND done = false`, userID, key)
	if err != nil {
		return fmt.Errorf("abort idempotency key: %w", err)
	}
	return nil
}
