package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go)
)

// liteBackend is the embedded SQLite store (modernc.org/sqlite, no cgo).
type liteBackend struct {
	db *sql.DB
}

// openLite opens (creating) the database file at path in WAL mode with
// foreign keys on; writers take the lock at BEGIN and wait for each other.
func openLite(ctx context.Context, path string) (*liteBackend, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=busy_timeout(30000)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-65536)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	db.SetMaxOpenConns(4)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	return &liteBackend{db: db}, nil
}

type liteExecer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type liteQ struct{ q liteExecer }

func (q liteQ) Exec(ctx context.Context, s string, args ...any) (int64, error) {
	res, err := q.q.ExecContext(ctx, s, liteArgs(args)...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (q liteQ) Query(ctx context.Context, s string, args ...any) (rows, error) {
	r, err := q.q.QueryContext(ctx, s, liteArgs(args)...)
	if err != nil {
		return nil, err
	}
	return liteRows{r}, nil
}

func (q liteQ) QueryRow(ctx context.Context, s string, args ...any) row {
	return liteRow{q.q.QueryRowContext(ctx, s, liteArgs(args)...)}
}

func (b *liteBackend) Exec(ctx context.Context, s string, args ...any) (int64, error) {
	return liteQ{b.db}.Exec(ctx, s, args...)
}

func (b *liteBackend) Query(ctx context.Context, s string, args ...any) (rows, error) {
	return liteQ{b.db}.Query(ctx, s, args...)
}

func (b *liteBackend) QueryRow(ctx context.Context, s string, args ...any) row {
	return liteQ{b.db}.QueryRow(ctx, s, args...)
}

func (b *liteBackend) Begin(ctx context.Context) (tx, error) {
	t, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &liteTx{liteQ{t}, t}, nil
}

func (b *liteBackend) Close()         { b.db.Close() }
func (b *liteBackend) Postgres() bool { return false }

type liteTx struct {
	liteQ
	t *sql.Tx
}

func (t *liteTx) Prepare(ctx context.Context, q string) (stmt, error) {
	st, err := t.t.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return liteStmt{st}, nil
}

type liteStmt struct{ s *sql.Stmt }

func (s liteStmt) QueryRow(ctx context.Context, args ...any) row {
	return liteRow{s.s.QueryRowContext(ctx, liteArgs(args)...)}
}
func (s liteStmt) Close() { s.s.Close() }

func (t *liteTx) Commit(context.Context) error   { return t.t.Commit() }
func (t *liteTx) Rollback(context.Context) error { return t.t.Rollback() }

// liteChunk bounds the rows of one multi-row INSERT (SQLite's default limit
// is 32766 bound variables).
const liteMaxVars = 32000

// CopyFrom inserts rows with prepared multi-row INSERT statements.
func (t *liteTx) CopyFrom(ctx context.Context, table string, cols []string, rows [][]any) (int64, error) {
	per := max(1, min(500, liteMaxVars/len(cols)))
	var stmt *sql.Stmt
	stmtRows := 0
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	args := make([]any, 0, per*len(cols))
	var n int64
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		if stmt == nil || stmtRows != len(chunk) {
			if stmt != nil {
				stmt.Close()
			}
			var err error
			stmt, err = t.t.PrepareContext(ctx, insertSQL(table, cols, len(chunk)))
			if err != nil {
				return n, fmt.Errorf("copy %s: %w", table, err)
			}
			stmtRows = len(chunk)
		}
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		if _, err := stmt.ExecContext(ctx, liteArgs(args)...); err != nil {
			return n, fmt.Errorf("copy %s: %w", table, err)
		}
		n += int64(len(chunk))
	}
	return n, nil
}

func insertSQL(table string, cols []string, nrows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ","))
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	for i := range nrows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(tuple)
	}
	return b.String()
}

type liteRows struct{ r *sql.Rows }

func (r liteRows) Next() bool             { return r.r.Next() }
func (r liteRows) Err() error             { return r.r.Err() }
func (r liteRows) Close()                 { r.r.Close() }
func (r liteRows) Scan(dest ...any) error { return liteScan(r.r.Scan, dest) }

type liteRow struct{ r *sql.Row }

func (r liteRow) Scan(dest ...any) error {
	err := liteScan(r.r.Scan, dest)
	if errors.Is(err, sql.ErrNoRows) {
		return errNoRows
	}
	return err
}

func liteScan(scan func(...any) error, dest []any) error {
	fixed, back := scanFix(dest, func() any { return new(sql.NullInt64) }, func(h any) time.Time {
		if n := h.(*sql.NullInt64); n.Valid {
			return time.UnixMicro(n.Int64).UTC()
		}
		return time.Time{}
	})
	if err := scan(fixed...); err != nil {
		return err
	}
	back()
	return nil
}

// liteArgs stores times as Unix microseconds (the zero time as NULL).
func liteArgs(args []any) []any {
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			if t.IsZero() {
				args[i] = nil
			} else {
				args[i] = t.UnixMicro()
			}
		}
	}
	return args
}
