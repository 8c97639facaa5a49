package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"outreach/storage"
)

// TestImportExportCLI runs import (dry run, real, idempotent re-import),
// migrate status and the daily export on the embedded store.
func TestImportExportCLI(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("OUTREACH_DATA_DIR", filepath.Join(dir, "data"))
	t.Setenv("OUTREACH_KEY_FILE", filepath.Join(dir, "data", "keys.json"))
	csv := filepath.Join(dir, "r.csv")
	os.WriteFile(csv, []byte("姓名,手机,社区\n张三,13812345678,幸福社区\n李四,12345,幸福社区\n王五,+86 139 0000 1111,和平社区\n"), 0o600)

	code, out, errOut := runCLI(t, "import", "residents", csv, "--dry-run")
	if code != 0 || !strings.Contains(out, "line 3: bad phone") || !strings.Contains(out, "would import (dry run) 2") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	if _, out, _ = runCLI(t, "import", "residents", csv); !strings.Contains(out, "imported 2") {
		t.Fatalf("import: %s", out)
	}
	if _, out, _ = runCLI(t, "import", "residents", csv); !strings.Contains(out, "imported 0, already present 2") {
		t.Fatalf("re-import not idempotent: %s", out)
	}
	if strings.Contains(out+errOut, "13812345678") {
		t.Fatalf("unmasked phone on screen: %s%s", out, errOut)
	}
	if code, out, errOut = runCLI(t, "migrate", "status"); code != 0 {
		t.Fatalf("migrate status: exit %d %s%s", code, out, errOut)
	}
	xlsx := filepath.Join(dir, "daily.xlsx")
	if code, out, errOut = runCLI(t, "export", "daily", "--out", xlsx); code != 0 {
		t.Fatalf("export: exit %d %s%s", code, out, errOut)
	}
	if st, err := os.Stat(xlsx); err != nil || st.Size() == 0 {
		t.Fatalf("no report: %v", err)
	}
	if code, _, errOut = runCLI(t, "export", "daily", "--out", xlsx, "--unmask"); code == 0 {
		t.Fatalf("unmasked export by the CLI operator must be refused: %s", errOut)
	}
}

// TestImportUnderStreet: --street files the rows' communities under that
// street (so its staff see the residents); a dry run creates nothing.
func TestImportUnderStreet(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("OUTREACH_DATA_DIR", filepath.Join(dir, "data"))
	t.Setenv("OUTREACH_KEY_FILE", filepath.Join(dir, "data", "keys.json"))
	csv := filepath.Join(dir, "r.csv")
	os.WriteFile(csv, []byte("姓名,手机,社区\n张三,13812345678,幸福社区\n王五,13900001111,和平社区\n"), 0o600)
	if code, out, errOut := runCLI(t, "import", "residents", csv, "--street", "阳光街道", "--dry-run"); code != 0 {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	units := orgUnits(t)
	if len(units) != 0 {
		t.Fatalf("a dry run created units: %+v", units)
	}
	if code, out, errOut := runCLI(t, "import", "residents", csv, "--street", "阳光街道"); code != 0 || !strings.Contains(out, "imported 2") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	var street int64
	parents := map[string]int64{}
	for _, u := range orgUnits(t) {
		if u.Level == storage.LevelStreet && u.Name == "阳光街道" {
			street = u.ID
		}
		if u.Level == storage.LevelCommunity {
			parents[u.Name] = u.ParentID
		}
	}
	if street == 0 || parents["幸福社区"] != street || parents["和平社区"] != street {
		t.Fatalf("street %d, communities' parents %v: want both under the street", street, parents)
	}
}

func orgUnits(t *testing.T) []storage.OrgUnit {
	t.Helper()
	c, err := loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{stdout: io.Discard, stderr: io.Discard, logger: slog.New(slog.DiscardHandler)}
	s, err := openStore(context.Background(), e, c)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	units, err := s.OrgUnits(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return units
}
