package storage

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"outreach/storage/seal"
	"outreach/storage/storagetest/pgtest"
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
func PGDSN() string { return pgtest.DSN() }

// NewTestSchema creates a schema with a random name on the test server and
// returns a DSN whose search_path is that schema; cleanup drops it.
func NewTestSchema(t testing.TB) (dsn, schema string) {
	t.Helper()
	return pgtest.NewSchema(t, "t")
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
