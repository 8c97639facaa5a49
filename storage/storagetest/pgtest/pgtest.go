// Package pgtest gives tests a PostgreSQL schema of their own on the test
// server. It imports nothing of the project, so the storage package's own
// tests can use it as well as storagetest.
package pgtest

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DSN is the test PostgreSQL server: OUTREACH_TEST_PG, or the database
// scripts/provision.sh creates.
func DSN() string {
	if v := os.Getenv("OUTREACH_TEST_PG"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/outreach_test?sslmode=disable"
}

// NewSchema creates a schema named prefix_<random> on the test server for
// one test, drops it at cleanup, and returns it with a DSN whose
// search_path is that schema. An unreachable server fails the test with the way to provide one.
func NewSchema(t testing.TB, prefix string) (dsn, schema string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, DSN())
	if err != nil {
		t.Fatalf("PostgreSQL not reachable at 127.0.0.1:5432: run scripts/provision.sh or set OUTREACH_TEST_PG (%v)", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema = fmt.Sprintf("%s_%x", prefix, b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, DSN())
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(DSN())
	if err != nil {
		t.Fatalf("OUTREACH_TEST_PG: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), schema
}
