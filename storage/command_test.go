package storage

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCommands(t *testing.T) {
	ctx := context.Background()
	s := NewTestStore(t, "sqlite", nil)
	dir := t.TempDir()
	in := filepath.Join(dir, "list.csv")
	writeCSV(t, in, sampleRows(), true)
	var out bytes.Buffer
	rep, err := ImportCommand(ctx, s, in, ImportOptions{DryRun: true}, &out)
	if err != nil || rep.Imported != 5 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	text := out.String()
	for _, want := range []string{"line 5: bad phone", "would import (dry run) 5", in + ".errors.csv"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "13812345678") {
		t.Errorf("output shows a phone number:\n%s", text)
	}
	err = ExportCommand(ctx, s, ExportRequest{What: "campaign", CampaignID: 1, Path: filepath.Join(dir, "x.csv"),
		Unmask: true, User: User{Username: "v", Role: RoleViewer}}, &out)
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("viewer unmask: %v", err)
	}
	out.Reset()
	if err := ExportCommand(ctx, s, ExportRequest{What: "daily", Day: t0, Path: filepath.Join(dir, "d.xlsx")}, &out); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := MigrateCommand(ctx, s, []string{"status"}, &out); err != nil || !regexp.MustCompile(`schema version (\d+) of (\d+)`).MatchString(out.String()) || !sameVersions(out.String()) {
		t.Fatalf("migrate status: %q %v", out.String(), err)
	}
	if err := MigrateCommand(ctx, s, []string{"sideways"}, &out); err == nil {
		t.Fatal("bad action accepted")
	}
}

// sameVersions reports whether "schema version N of M" has N == M.
func sameVersions(s string) bool {
	m := regexp.MustCompile(`schema version (\d+) of (\d+)`).FindStringSubmatch(s)
	return m != nil && m[1] == m[2]
}
