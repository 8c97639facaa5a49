package storagetest

import (
	"testing"

	"outreach/storage/storagetest/pgtest"
)

// DSN is the test PostgreSQL server: OUTREACH_TEST_PG, or the database
// scripts/provision.sh creates.
func DSN() string { return pgtest.DSN() }

// Schema creates a schema named prefix_<random> on the test server for one
// test, drops it at cleanup, and returns a DSN whose search_path is that
// schema. An unreachable server fails the test with the way to provide one.
func Schema(t testing.TB, prefix string) string {
	t.Helper()
	dsn, _ := pgtest.NewSchema(t, prefix)
	return dsn
}
