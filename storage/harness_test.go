package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"outreach/storage/seal"
)

// Backends lists the back ends every store test runs on.
var Backends = []string{"postgres", "sqlite"}

// FixedRing returns a fixed key ring (two keys: k1 old, k2 current).
func FixedRing(t testing.TB) *seal.Ring {
	r, err := seal.NewRing([]seal.Key{{ID: "k1", Key: bytes.Repeat([]byte{1}, 32)},
		{ID: "k2", Key: bytes.Repeat([]byte{2}, 32)}}, bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// PGDSN returns the test server's DSN (OUTREACH_TEST_PG or the default).
func PGDSN() string {
	if v := os.Getenv("OUTREACH_TEST_PG"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/outreach_test?sslmode=disable"
}

// NewTestSchema creates a schema with a random name on the test server and
// returns a DSN whose search_path is that schema; cleanup drops it.
func NewTestSchema(t testing.TB) (dsn, schema string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, PGDSN())
	if err != nil {
		t.Fatalf("PostgreSQL not reachable at 127.0.0.1:5432: run scripts/provision.sh or set OUTREACH_TEST_PG (%v)", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema = fmt.Sprintf("t_%x", b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, PGDSN())
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(PGDSN())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), schema
}

// NewTestStore opens a fresh, migrated store on backend ("postgres" or
// "sqlite"), closed at cleanup. now may be nil.
func NewTestStore(t testing.TB, backend string, now func() time.Time) *Store {
	t.Helper()
	var dsn string
	switch backend {
	case "postgres":
		dsn, _ = NewTestSchema(t)
	case "sqlite":
		dsn = filepath.Join(t.TempDir(), "outreach.db")
	default:
		t.Fatalf("unknown backend %q", backend)
	}
	s, err := Open(context.Background(), Config{DSN: dsn, Ring: FixedRing(t), Now: now, MaxConns: 8})
	if err != nil {
		t.Fatalf("open %s store: %v", backend, err)
	}
	t.Cleanup(s.Close)
	return s
}
