package storage

import (
	"context"
	"fmt"

	"outreach/storage/migrations"
)

const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at bigint NOT NULL
)`

func (s *Store) migrations() ([]migrations.Migration, error) {
	d := migrations.SQLite
	if s.b.Postgres() {
		d = migrations.Postgres
	}
	return migrations.List(d)
}

// Version returns the schema version applied (0 for an empty database).
func (s *Store) Version(ctx context.Context) (int, error) {
	if _, err := s.b.Exec(ctx, migrationsTable); err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	var v int
	err := s.b.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("migrate: version: %w", err)
	}
	return v, nil
}

// Migrate applies every pending up migration, each in its own transaction.
// Concurrent callers on PostgreSQL serialise on an advisory lock.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := s.migrations()
	if err != nil {
		return err
	}
	if _, err := s.Version(ctx); err != nil {
		return err
	}
	for _, m := range ms {
		err := inTx(ctx, s.b, func(t tx) error {
			applied, err := s.lockedVersion(ctx, t)
			if err != nil || applied >= m.Version {
				return err
			}
			if _, err := t.Exec(ctx, m.Up); err != nil {
				return err
			}
			_, err = t.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				m.Version, m.Name, s.now().Unix())
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate up %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	return nil
}

// MigrateDown reverts migrations down to (and excluding) version to; 0 empties the schema.
func (s *Store) MigrateDown(ctx context.Context, to int) error {
	ms, err := s.migrations()
	if err != nil {
		return err
	}
	for i := len(ms) - 1; i >= 0 && ms[i].Version > to; i-- {
		m := ms[i]
		err := inTx(ctx, s.b, func(t tx) error {
			applied, err := s.lockedVersion(ctx, t)
			if err != nil || applied < m.Version {
				return err
			}
			if _, err := t.Exec(ctx, m.Down); err != nil {
				return err
			}
			_, err = t.Exec(ctx, `DELETE FROM schema_migrations WHERE version = $1`, m.Version)
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate down %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	return nil
}

func (s *Store) lockedVersion(ctx context.Context, t tx) (int, error) {
	if s.b.Postgres() {
		if _, err := t.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.schema_migrations'))`); err != nil {
			return 0, err
		}
	}
	var v int
	err := t.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}
