package storage

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// idNumber returns a valid 18-character ID number for seed i.
func idNumber(i int) string {
	base := fmt.Sprintf("11010119%02d%02d%02d%03d", 50+i%40, 1+i%12, 1+i%28, i%1000)
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k := range 17 {
		sum += int(base[k]-'0') * weights[k]
	}
	return base + string("10X98765432"[sum%11])
}

// mobile returns a distinct valid mobile number for i (i < 10^8).
func mobile(i int) string {
	prefixes := []string{"138", "139", "186", "150", "177", "158", "135", "189"}
	return fmt.Sprintf("%s%08d", prefixes[i%len(prefixes)], i)
}

func writeCSV(t testing.TB, path string, rows [][]string, bom bool) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if bom {
		f.Write(utf8BOM)
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// sampleRows: 5 good rows (lines 2,3,4,7,11), an empty row (8) and 5 bad rows.
func sampleRows() [][]string {
	return [][]string{
		{"姓名", "手机", "身份证号", "住址", "社区", "网格", "开始日期", "解除日期", "备注"},
		{"张三", "138 1234 5678", idNumber(1), "永安里1号", "永安里社区", "1网格", "2026-11-20", "2026-12-04", "独居老人"},
		{"李四", "+86 139 0000 0001", "", "", "永安里社区", "2网格", "2026/11/21", "", ""},
		{"王五", "010-65123456", "", "", "", "", "", "", ""},
		{"赵六", "12345", "", "", "", "", "", "", ""},                         // line 5: bad phone
		{"孙七", "13812345678", "", "", "", "", "", "", ""},                   // line 6: duplicate of line 2
		{"周八", "13700000002/13700000003", "", "", "", "", "", "", ""},       // two phones
		{"", "", "", "", "", "", "", "", ""},                                // line 8: empty
		{"", "13700000004", "", "", "", "", "", "", ""},                     // line 9: no name
		{"吴九", "13700000005", "110101199003071235", "", "", "", "", "", ""}, // line 10: bad ID checksum
		{"郑十", "13700000006", idNumber(2), "", "", "", "2026-11-20", "", ""},
		{"钱一", "13700000007", "", "", "", "", "20261120", "2026-11-01", ""}, // line 12: release before start
	}
}

func TestImportCSV(t *testing.T) {
	for _, be := range Backends {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := NewTestStore(t, be, nil)
			path := filepath.Join(t.TempDir(), "居民.csv")
			writeCSV(t, path, sampleRows(), true)
			var screen []string
			rep, err := s.ImportResidents(ctx, path, ImportOptions{Community: "默认社区", OnProblem: func(p Problem) {
				screen = append(screen, p.String())
			}})
			if err != nil {
				t.Fatal(err)
			}
			want := ImportReport{Encoding: "utf-8", Rows: 10, Imported: 5, Bad: 5, Empty: 1, ErrorsFile: path + ".errors.csv"}
			if rep.Encoding != want.Encoding || rep.Rows != want.Rows || rep.Imported != want.Imported ||
				rep.Bad != want.Bad || rep.Empty != want.Empty || rep.ErrorsFile != want.ErrorsFile {
				t.Fatalf("report %+v\nwant %+v", rep, want)
			}
			wantLines := []string{"line 5: bad phone", "line 6: duplicate phone, same as line 2", "line 9: missing name",
				"line 10: bad ID number", "line 12: release date before start"}
			joined := strings.Join(screen, "\n")
			for _, w := range wantLines {
				if !strings.Contains(joined, w) {
					t.Errorf("screen lacks %q:\n%s", w, joined)
				}
			}
			if strings.Contains(joined, "12345") && !strings.Contains(joined, "line 5: bad phone 123") {
				t.Errorf("screen shows an unmasked number:\n%s", joined)
			}
			errCSV := readCSV(t, rep.ErrorsFile)
			if len(errCSV) != 6 || errCSV[1][0] != "5" || !strings.HasPrefix(errCSV[1][1], "bad phone") || errCSV[1][2] != "赵六" {
				t.Fatalf("errors csv: %v", errCSV)
			}
			r, err := s.ResidentByPhone(ctx, "+8613812345678")
			if err != nil || r.Name != "张三" || r.IDNumber != idNumber(1) || r.Notes != "独居老人" || r.Address != "永安里1号" {
				t.Fatalf("imported resident %+v %v", r, err)
			}
			obs, _ := s.Observations(ctx, r.ID)
			if len(obs) != 1 || obs[0].Release.Format("2006-01-02") != "2026-12-04" {
				t.Fatalf("observation %+v", obs)
			}
			two, err := s.ResidentByPhone(ctx, "+8613700000002")
			if err != nil || len(two.Phones) != 1 || two.Phones[0] != "+8613700000003" {
				t.Fatalf("two phones: %+v %v", two, err)
			}
			land, err := s.ResidentByPhone(ctx, "+861065123456")
			if err != nil || land.CommunityID == 0 {
				t.Fatalf("landline resident with default community: %+v %v", land, err)
			}
			// Idempotent re-import: nothing new, every good row already present.
			again, err := s.ImportResidents(ctx, path, ImportOptions{Community: "默认社区"})
			if err != nil || again.Imported != 0 || again.Existing != 5 || again.Bad != 5 {
				t.Fatalf("re-import %+v %v", again, err)
			}
			if n, _ := s.CountResidents(ctx); n != 5 {
				t.Fatalf("%d residents after re-import, want 5", n)
			}
			if again.Updated != 0 {
				t.Fatalf("re-import of the same file updated %d", again.Updated)
			}
			// A new release date for 张三 and a new period for 王五 (line 4).
			rows := sampleRows()
			rows[1][7] = "2026-12-10"
			rows[3][6] = "2026-11-25"
			writeCSV(t, path, rows, true)
			upd, err := s.ImportResidents(ctx, path, ImportOptions{Community: "默认社区"})
			if err != nil || upd.Imported != 0 || upd.Updated != 2 {
				t.Fatalf("re-import with changes %+v %v", upd, err)
			}
			obs, _ = s.Observations(ctx, r.ID)
			if len(obs) != 1 || obs[0].Release.Format("2006-01-02") != "2026-12-10" {
				t.Fatalf("updated observation %+v", obs)
			}
			if o, _ := s.Observations(ctx, land.ID); len(o) != 1 || !o[0].Release.IsZero() {
				t.Fatalf("added observation %+v", o)
			}
		})
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff")))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestImportDryRun(t *testing.T) {
	ctx := context.Background()
	s := NewTestStore(t, "sqlite", nil)
	path := filepath.Join(t.TempDir(), "list.csv")
	writeCSV(t, path, sampleRows(), false)
	rep, err := s.ImportResidents(ctx, path, ImportOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.DryRun || rep.Imported != 5 || rep.Bad != 5 || len(rep.Problems) != 5 {
		t.Fatalf("dry run %+v", rep)
	}
	if n, _ := s.CountResidents(ctx); n != 0 {
		t.Fatalf("dry run wrote %d residents", n)
	}
	if _, err := os.Stat(path + ".errors.csv"); err != nil {
		t.Fatalf("dry run errors file: %v", err)
	}
}

func TestImportGBK(t *testing.T) {
	ctx := context.Background()
	s := NewTestStore(t, "sqlite", nil)
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.WriteAll([][]string{{"姓名", "联系电话", "地址", "社区"}, {"欧阳娜娜", "13900000010", "朝阳区建国路", "建外社区"}})
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(b.String())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "gbk.csv")
	if err := os.WriteFile(path, []byte(gbk), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := s.ImportResidents(ctx, path, ImportOptions{})
	if err != nil || rep.Encoding != "gb18030" || rep.Imported != 1 {
		t.Fatalf("gbk import %+v %v", rep, err)
	}
	r, err := s.ResidentByPhone(ctx, "+8613900000010")
	if err != nil || r.Name != "欧阳娜娜" || r.Address != "朝阳区建国路" {
		t.Fatalf("gbk resident %+v %v", r, err)
	}
}

func TestImportXLSX(t *testing.T) {
	ctx := context.Background()
	s := NewTestStore(t, "sqlite", nil)
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"Name", "Phone", "ID_Number", "Address", "Community", "Grid", "Start", "Release", "Notes"},
		{"Li Lei", 13800000020, idNumber(3), "1 Main St", "Anzhen", "G1", "2026-11-20", 46360.0, "note"},
		{},
		{"Han Meimei", "+8613800000021", "", "", "Anzhen", "G2", "", "", ""},
		{"Bad", "999", "", "", "", "", "", "", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "residents.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	rep, err := s.ImportResidents(ctx, path, ImportOptions{List: "screening"})
	if err != nil || rep.Imported != 2 || rep.Bad != 1 || rep.Empty != 1 || rep.Problems[0].Line != 5 {
		t.Fatalf("xlsx import %+v %v", rep, err)
	}
	r, err := s.ResidentByPhone(ctx, "+8613800000020")
	if err != nil || r.Name != "Li Lei" || r.IDNumber != idNumber(3) || len(r.Tags) != 1 || r.Tags[0] != "screening" {
		t.Fatalf("xlsx resident %+v %v", r, err)
	}
	obs, _ := s.Observations(ctx, r.ID)
	if len(obs) != 1 || obs[0].Release.Format("2006-01-02") != "2026-12-04" {
		t.Fatalf("excel serial release date: %+v", obs)
	}
}

// writeBigCSV writes n good rows (Chinese headers) to path.
func writeBigCSV(t testing.TB, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"姓名", "电话", "身份证", "地址", "社区", "网格", "开始日期", "解除日期", "备注"})
	comms := []string{"永安里社区", "建外社区", "光华里社区", "秀水社区"}
	for i := range n {
		w.Write([]string{fmt.Sprintf("居民%d", i), mobile(i), idNumber(i), fmt.Sprintf("建国路%d号", i),
			comms[i%len(comms)], fmt.Sprintf("%d网格", i%10), "2026-11-20", "2026-12-04", "无"})
	}
	w.Flush()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestImport100k(t *testing.T) {
	const n = bigRows
	path := filepath.Join(t.TempDir(), "big.csv")
	writeBigCSV(t, path, n)
	for _, be := range Backends {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := NewTestStore(t, be, nil)
			start := time.Now()
			rep, err := s.ImportResidents(ctx, path, ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d rows in %v", be, n, time.Since(start).Round(time.Millisecond))
			if rep.Imported != n || rep.Bad != 0 {
				t.Fatalf("report %+v", rep)
			}
			if c, _ := s.CountResidents(ctx); c != n {
				t.Fatalf("%d residents, want %d", c, n)
			}
			r, err := s.ResidentByPhone(ctx, "+86"+mobile(n-1))
			if err != nil || r.Name != fmt.Sprintf("居民%d", n-1) {
				t.Fatalf("last row %+v %v", r, err)
			}
		})
	}
}
