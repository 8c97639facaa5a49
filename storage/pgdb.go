package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pgBackend is PostgreSQL through a pgx pool.
type pgBackend struct {
	pool *pgxpool.Pool
}

func openPG(ctx context.Context, dsn string, maxConns int32) (*pgBackend, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return &pgBackend{pool: pool}, nil
}

func (b *pgBackend) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := b.pool.Exec(ctx, sql, pgArgs(args)...)
	return tag.RowsAffected(), err
}

func (b *pgBackend) Query(ctx context.Context, sql string, args ...any) (rows, error) {
	r, err := b.pool.Query(ctx, sql, pgArgs(args)...)
	if err != nil {
		return nil, err
	}
	return pgRows{r}, nil
}

func (b *pgBackend) QueryRow(ctx context.Context, sql string, args ...any) row {
	return pgRow{b.pool.QueryRow(ctx, sql, pgArgs(args)...)}
}

func (b *pgBackend) Begin(ctx context.Context) (tx, error) {
	t, err := b.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return pgTx{t}, nil
}

func (b *pgBackend) Close()         { b.pool.Close() }
func (b *pgBackend) Postgres() bool { return true }

type pgTx struct{ t pgx.Tx }

func (t pgTx) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := t.t.Exec(ctx, sql, pgArgs(args)...)
	return tag.RowsAffected(), err
}

func (t pgTx) Query(ctx context.Context, sql string, args ...any) (rows, error) {
	r, err := t.t.Query(ctx, sql, pgArgs(args)...)
	if err != nil {
		return nil, err
	}
	return pgRows{r}, nil
}

func (t pgTx) QueryRow(ctx context.Context, sql string, args ...any) row {
	return pgRow{t.t.QueryRow(ctx, sql, pgArgs(args)...)}
}

func (t pgTx) CopyFrom(ctx context.Context, table string, cols []string, rows [][]any) (int64, error) {
	for _, r := range rows {
		for i, v := range r {
			if tv, ok := v.(time.Time); ok {
				r[i] = timeArg(tv)
			}
		}
	}
	return t.t.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
}

// Prepare relies on pgx's statement cache, which prepares on first use.
func (t pgTx) Prepare(_ context.Context, sql string) (stmt, error) { return pgStmt{t, sql}, nil }

type pgStmt struct {
	t   pgTx
	sql string
}

func (s pgStmt) QueryRow(ctx context.Context, args ...any) row {
	return s.t.QueryRow(ctx, s.sql, args...)
}
func (s pgStmt) Close() {}

func (t pgTx) Commit(ctx context.Context) error   { return t.t.Commit(ctx) }
func (t pgTx) Rollback(ctx context.Context) error { return t.t.Rollback(ctx) }

type pgRows struct{ r pgx.Rows }

func (r pgRows) Next() bool             { return r.r.Next() }
func (r pgRows) Err() error             { return r.r.Err() }
func (r pgRows) Close()                 { r.r.Close() }
func (r pgRows) Scan(dest ...any) error { return pgScan(r.r.Scan, dest) }

type pgRow struct{ r pgx.Row }

func (r pgRow) Scan(dest ...any) error {
	err := pgScan(r.r.Scan, dest)
	if errors.Is(err, pgx.ErrNoRows) {
		return errNoRows
	}
	return err
}

func pgScan(scan func(...any) error, dest []any) error {
	fixed, back := scanFix(dest, func() any { return new(*time.Time) }, func(h any) time.Time {
		if p := *h.(**time.Time); p != nil {
			return p.UTC()
		}
		return time.Time{}
	})
	if err := scan(fixed...); err != nil {
		return err
	}
	back()
	return nil
}

func pgArgs(args []any) []any {
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			args[i] = timeArg(t)
		}
	}
	return args
}
