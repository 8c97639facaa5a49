// Package storage is the system of record: residents, observation periods,
// campaigns, runs, tasks, attempts, answers, health records, alerts, users,
// the do-not-call list and the audit log, in PostgreSQL (pgx/v5, pool) or in
// the embedded SQLite store (modernc.org/sqlite, no cgo). One implementation
// speaks the SQL both understand; the few bulk paths differ per back end.
//
// Phone numbers, ID numbers, addresses and free text are sealed with
// AES-256-GCM (package seal) before they reach the database; phones are
// found through a keyed HMAC-SHA256 index. Nothing personal is logged.
package storage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"outreach/storage/seal"
)

// ErrNotFound is returned (wrapped) when a row does not exist.
var ErrNotFound = errors.New("not found")

// Config opens a Store.
type Config struct {
	// DSN is a postgres:// or postgresql:// URL for PostgreSQL; anything else
	// is the path of the embedded SQLite database file (an optional "sqlite:"
	// prefix is removed).
	DSN string
	// Ring seals personal fields and keys the phone index. Required.
	Ring *seal.Ring
	// MaxConns caps the PostgreSQL pool (0 = pgx default).
	MaxConns int32
	// NoMigrate skips applying migrations on open.
	NoMigrate bool
	Logger    *slog.Logger
	Now       func() time.Time // nil = time.Now
}

// Store is the storage of one database.
type Store struct {
	b    backend
	ring *seal.Ring
	log  *slog.Logger
	now  func() time.Time
}

// Open connects, and migrates up unless cfg.NoMigrate.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Ring == nil {
		return nil, errors.New("open storage: no key ring")
	}
	var (
		b   backend
		err error
	)
	if IsPostgres(cfg.DSN) {
		b, err = openPG(ctx, cfg.DSN, cfg.MaxConns)
	} else {
		b, err = openLite(ctx, strings.TrimPrefix(cfg.DSN, "sqlite:"))
	}
	if err != nil {
		return nil, err
	}
	s := &Store{b: b, ring: cfg.Ring, log: cfg.Logger, now: cfg.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if !cfg.NoMigrate {
		if err := s.Migrate(ctx); err != nil {
			b.Close()
			return nil, err
		}
	}
	return s, nil
}

// IsPostgres reports whether dsn names a PostgreSQL server.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Postgres reports whether the store runs on PostgreSQL.
func (s *Store) Postgres() bool { return s.b.Postgres() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.b.QueryRow(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// Close releases the connections.
func (s *Store) Close() { s.b.Close() }

// Ring returns the key ring.
func (s *Store) Ring() *seal.Ring { return s.ring }

func (s *Store) open(b []byte) (string, error) {
	v, err := s.ring.OpenString(b)
	if err != nil {
		return "", fmt.Errorf("unseal: %w", err)
	}
	return v, nil
}

func notFound(err error, what string, id any) error {
	if errors.Is(err, errNoRows) {
		return fmt.Errorf("%s %v: %w", what, id, ErrNotFound)
	}
	return fmt.Errorf("%s %v: %w", what, id, err)
}
