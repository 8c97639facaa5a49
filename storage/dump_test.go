package storage

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outreach/campaigns"
	"outreach/ivr"
)

var t0 = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// pgDump finds pg_dump: on PATH or in the Debian PostgreSQL directories.
func pgDump(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("pg_dump"); err == nil {
		return p
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	if len(matches) == 0 {
		t.Fatal("pg_dump not found: install postgresql-client (scripts/provision.sh)")
	}
	return matches[len(matches)-1]
}

// TestPGDumpHoldsNoPlaintext fills a schema through every path that takes
// personal data (import, create, results, alerts, health records), dumps it
// with pg_dump and looks for the phone numbers, ID numbers and free text.
func TestPGDumpHoldsNoPlaintext(t *testing.T) {
	ctx := context.Background()
	dsn, schema := NewTestSchema(t)
	s, err := Open(ctx, Config{DSN: dsn, Ring: FixedRing(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	path := filepath.Join(t.TempDir(), "in.csv")
	writeBigCSV(t, path, 200)
	if _, err := s.ImportResidents(ctx, path, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	secret := []string{"13912345678", "110101199003071233", "咳嗽三天了"}
	if !validIDNumber(secret[1]) {
		t.Fatal("test ID number invalid")
	}
	rid, err := s.CreateResident(ctx, Resident{Name: "测试", Phone: "+86" + secret[0], IDNumber: secret[1], Notes: secret[2]})
	if err != nil {
		t.Fatal(err)
	}
	c := campaigns.Campaign{Name: "c", State: campaigns.StateRunning, Target: campaigns.Target{Kind: campaigns.TargetTag, Ref: "x"}}
	c.ID, _ = s.CreateCampaign(ctx, c)
	if err := s.UpdateResident(ctx, Resident{ID: rid, Name: "测试", Phone: "+86" + secret[0], IDNumber: secret[1],
		Notes: secret[2], Tags: []string{"x"}}); err != nil {
		t.Fatal(err)
	}
	due, err := s.CreateRun(ctx, 1, c, t0)
	if err != nil || len(due) != 1 {
		t.Fatalf("run: %v %v", due, err)
	}
	a, err := s.BeginAttempt(ctx, due[0].TaskID, "tok", "w", t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteResults(ctx, []Result{{AttemptID: a.ID, Answers: []ivr.Answer{{Key: "symptoms", Value: secret[2], Raw: secret[2]}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAlert(ctx, Alert{ResidentID: rid, Kind: "symptoms", Notes: secret[2]}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutHealthRecord(ctx, HealthRecord{ResidentID: rid, Day: t0, Notes: secret[2]}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddDoNotCall(ctx, "admin", "+86"+secret[0], "asked"); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(pgDump(t), "--data-only", "--schema="+schema, "--dbname="+PGDSN())
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pg_dump: %v: %s", err, stderr.String())
	}
	dump := out.String()
	if !strings.Contains(dump, "COPY "+schema+".residents") || !strings.Contains(dump, "居民199") {
		t.Fatalf("dump does not hold the residents table (%d bytes)", len(dump))
	}
	plain := append(secret, mobile(0), mobile(199), idNumber(0), idNumber(199), "建国路7号")
	for _, p := range plain {
		if strings.Contains(dump, p) {
			t.Errorf("pg_dump holds plaintext %q", p)
		}
	}
}

// TestSQLiteFileHoldsNoPlaintext does the same for the embedded store's
// files (database and write-ahead log).
func TestSQLiteFileHoldsNoPlaintext(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, Config{DSN: filepath.Join(dir, "o.db"), Ring: FixedRing(t)})
	if err != nil {
		t.Fatal(err)
	}
	secret := []string{"13912345678", "110101199003071233", "独居需要帮助"}
	if _, err := s.CreateResident(ctx, Resident{Name: "明文姓名", Phone: "+86" + secret[0], IDNumber: secret[1], Notes: secret[2]}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "o.db*"))
	var all []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	if !bytes.Contains(all, []byte("明文姓名")) {
		t.Fatal("control: the name (stored plain) is not in the files")
	}
	for _, p := range secret {
		if bytes.Contains(all, []byte(p)) {
			t.Errorf("database files hold plaintext %q", p)
		}
	}
}
