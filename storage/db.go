package storage

import (
	"context"
	"errors"
	"time"
)

// errNoRows is what both back ends return for a QueryRow that found nothing.
var errNoRows = errors.New("no rows")

// querier is the SQL surface shared by both back ends. Statements use $n
// placeholders, RETURNING and ON CONFLICT, which PostgreSQL and SQLite both
// understand. Times are passed and scanned as time.Time: the zero time is
// NULL; SQLite stores them as Unix microseconds.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (int64, error)
	Query(ctx context.Context, sql string, args ...any) (rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) row
}

type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

type row interface {
	Scan(dest ...any) error
}

// tx is a transaction; CopyFrom bulk-loads rows (COPY on PostgreSQL,
// prepared multi-row INSERTs on SQLite).
type tx interface {
	querier
	CopyFrom(ctx context.Context, table string, cols []string, rows [][]any) (int64, error)
	// Prepare returns a statement run many times in the transaction.
	Prepare(ctx context.Context, sql string) (stmt, error)
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// stmt is a prepared statement of a transaction.
type stmt interface {
	QueryRow(ctx context.Context, args ...any) row
	Close()
}

// backend is one database.
type backend interface {
	querier
	Begin(ctx context.Context) (tx, error)
	Close()
	Postgres() bool
}

// inTx runs f in a transaction, committing when it returns nil.
func inTx(ctx context.Context, b backend, f func(tx) error) error {
	t, err := b.Begin(ctx)
	if err != nil {
		return err
	}
	if err := f(t); err != nil {
		_ = t.Rollback(ctx)
		return err
	}
	return t.Commit(ctx)
}

// timeArg turns the zero time into NULL and every time into UTC.
func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// day returns midnight UTC of t's calendar date (as seen in t's zone).
func day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// scanFix replaces every *time.Time destination by a holder made by mk and
// returns the fixed destinations and a function that copies the holders back.
func scanFix(dest []any, mk func() any, back func(holder any) time.Time) ([]any, func()) {
	var fixes []func()
	out := dest
	for i, d := range dest {
		tp, ok := d.(*time.Time)
		if !ok {
			continue
		}
		if len(fixes) == 0 {
			out = append([]any(nil), dest...)
		}
		h := mk()
		out[i] = h
		fixes = append(fixes, func() { *tp = back(h) })
	}
	return out, func() {
		for _, f := range fixes {
			f()
		}
	}
}
