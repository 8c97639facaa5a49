package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/url"
	"slices"
	"strings"
	"testing"

	"outreach/storage"
)

// uploadCSV imports rows (name, phone, community, grid) as role.
func (f *fixture) uploadCSV(role string, rows [][]string) importJSON {
	f.t.Helper()
	var list bytes.Buffer
	w := csv.NewWriter(&list)
	_ = w.WriteAll(append([][]string{{"姓名", "手机号", "社区", "网格"}}, rows...))
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "list.csv")
	fw.Write(list.Bytes())
	mw.Close()
	resp, b := f.do("POST", "/api/residents/import", role, body.Bytes(), "Content-Type", mw.FormDataContentType())
	if resp.StatusCode != 201 {
		f.t.Fatalf("import as %s: %d %s", role, resp.StatusCode, b)
	}
	var rep importJSON
	decode(f.t, b, &rep)
	return rep
}

// residentNames lists the names role sees.
func (f *fixture) residentNames(role string) []string {
	f.t.Helper()
	var out struct{ Residents []residentJSON }
	decode(f.t, f.expect(200, "GET", "/api/residents?limit=500", role, nil), &out)
	var names []string
	for _, r := range out.Residents {
		names = append(names, r.Name)
	}
	return names
}

// TestImportIntoArea: street staff's imports land in their street and they
// see them; community staff's rows naming another community are reported.
func TestImportIntoArea(t *testing.T) {
	f := newFixture(t)
	rep := f.uploadCSV("street", [][]string{
		{"街道甲", "13700000101", "东社区", ""},
		{"街道乙", "13700000102", "新社区", "1网格"},
		{"街道丙", "13700000103", "南社区", ""}, // a 南社区 of their own street, not C2
	})
	if rep.Imported != 3 || rep.Bad != 0 {
		t.Fatalf("street import: %+v", rep)
	}
	for role, want := range map[string][]string{"street": {"街道甲", "街道乙", "街道丙"}, "community": {"街道甲"}} {
		names := f.residentNames(role)
		for _, n := range []string{"街道甲", "街道乙", "街道丙"} {
			if slices.Contains(names, n) != slices.Contains(want, n) {
				t.Errorf("%s sees %v; want %v of the imported", role, names, want)
			}
		}
	}
	if names := f.residentNames("community2"); slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, "街道") }) {
		t.Errorf("another street's staff see %v", names)
	}
	rep = f.uploadCSV("community", [][]string{
		{"社区甲", "13700000201", "", ""},       // 2: their community
		{"社区乙", "13700000202", "西社区", ""},    // 3: a sibling community
		{"社区丙", "13700000203", "东社区", "2网格"}, // 4: a new grid of theirs
		{"社区丁", "13800138002", "东社区", ""},    // 5: C2's resident
		{"社区戊", "13700000205", "北社区", ""},    // 6: would create a community
		{"社区己", "13700000206", "南社区", ""},    // 7: the street's 南社区 above
		{"社区庚", "13700000101", "", ""},       // 8: imported by the street, in their community
		{"社区辛", "13700000207", "东社区", "1网格"}, // 9: a grid of theirs
	})
	bad := map[int]string{3: "社区不在您的辖区 community outside your area", 5: "outside your area",
		6: "社区不在您的辖区 community outside your area", 7: "社区不在您的辖区 community outside your area"}
	if rep.Imported != 3 || rep.Existing != 1 || rep.Bad != len(bad) {
		t.Fatalf("community import: %+v", rep)
	}
	for _, p := range rep.Problems {
		if bad[p.Line] == "" || !strings.Contains(p.Reason, bad[p.Line]) {
			t.Errorf("line %d: %q, want %q", p.Line, p.Reason, bad[p.Line])
		}
	}
	names := f.residentNames("community")
	for _, n := range []string{"社区甲", "社区丙", "社区辛"} {
		if !slices.Contains(names, n) {
			t.Errorf("community staff do not see %s: %v", n, names)
		}
	}
}

// TestCampaignOwners: campaigns belong to a unit; staff see their area's
// (and those calling their community), change only their own.
func TestCampaignOwners(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	district := must[int64](t)(f.store.EnsureOrgUnit(ctx, storage.LevelDistrict, 0, "区"))
	body := func(ref string, unit any) map[string]any {
		b := map[string]any{"name": "随访 " + ref, "script_id": "daily-health-check",
			"target": map[string]string{"kind": "community", "ref": ref}}
		if unit != nil {
			b["unit_id"] = unit
		}
		return b
	}
	create := func(role string, b map[string]any) campaignJSON {
		t.Helper()
		var c campaignJSON
		decode(t, f.expect(201, "POST", "/api/campaigns", role, b), &c)
		return c
	}
	src := sampleScript(t)
	f.expect(201, "POST", "/api/scripts", "admin", src)
	own := create("street", body("东社区", nil))
	wide := create("admin", body("东社区", nil))
	above := create("admin", body("东社区", district))
	south := create("admin", body("南社区", f.units["C2"]))
	if own.UnitID != f.units["S1"] || wide.UnitID != 0 || above.UnitID != district || south.UnitID != f.units["C2"] {
		t.Fatalf("owners: street %d, admin %d / %d / %d", own.UnitID, wide.UnitID, above.UnitID, south.UnitID)
	}
	list := func(role string) []int64 {
		var out struct{ Campaigns []campaignJSON }
		decode(t, f.expect(200, "GET", "/api/campaigns", role, nil), &out)
		var ids []int64
		for _, c := range out.Campaigns {
			ids = append(ids, c.ID)
		}
		return ids
	}
	want := map[string][]int64{
		"street":     {f.camp["C1a"], f.camp["C1b"], own.ID, above.ID},
		"community":  {f.camp["C1a"], own.ID, above.ID},
		"community2": {f.camp["C2"], south.ID},
		"admin":      {f.camp["C1a"], f.camp["C1b"], f.camp["C2"], own.ID, wide.ID, above.ID, south.ID},
	}
	for role, w := range want {
		if got := list(role); !slices.Equal(got, w) {
			t.Errorf("%s sees campaigns %v, want %v", role, got, w)
		}
	}
	path := func(id int64) string { return fmt.Sprintf("/api/campaigns/%d", id) }
	cases := []struct {
		role, method, path string
		body               any
		want               int
	}{
		{"community", "GET", path(wide.ID), nil, 403}, // organisation-wide: admins only
		{"street", "GET", path(wide.ID), nil, 403},
		{"community", "GET", path(f.camp["C2"]), nil, 403},       // another community
		{"community2", "GET", path(own.ID), nil, 403},            // another street
		{"community", "GET", path(above.ID), nil, 200},           // calls their community
		{"street", "POST", path(above.ID) + "/launch", nil, 403}, // seen, owned above
		{"street", "GET", path(above.ID) + "/export?format=csv", nil, 403},
		{"street", "PATCH", path(above.ID), map[string]any{"name": "x"}, 403},
		{"street", "PATCH", path(above.ID), map[string]any{"unit_id": f.units["S1"]}, 403}, // no taking it over
		{"street", "POST", "/api/campaigns", body("东社区", f.units["C2"]), 403},
		{"street", "PATCH", path(own.ID), map[string]any{"unit_id": f.units["C2"]}, 403},
		{"street", "PATCH", path(own.ID), map[string]any{"unit_id": f.units["C1a"]}, 200},
		{"street", "PATCH", path(own.ID), map[string]any{"target": map[string]string{"kind": "community", "ref": "西社区"}}, 403},
	}
	for _, c := range cases {
		f.expect(c.want, c.method, c.path, c.role, c.body)
	}
	var moved campaignJSON
	decode(t, f.expect(200, "GET", path(own.ID), "community", nil), &moved)
	if moved.UnitID != f.units["C1a"] {
		t.Fatalf("moved campaign: unit %d", moved.UnitID)
	}
}

// TestTodayByArea: the dashboard's figures count the caller's residents.
func TestTodayByArea(t *testing.T) {
	f := newFixture(t)
	for role, due := range map[string]int{"community": 1, "community2": 1, "street": 2, "admin": 3} {
		var d dashboard
		decode(t, f.expect(200, "GET", "/api/dashboard", role, nil), &d)
		if d.Counts.Due != due || d.OpenAlerts != due {
			t.Errorf("%s: due %d, open alerts %d; want %d", role, d.Counts.Due, d.OpenAlerts, due)
		}
	}
}

func TestScopeIDs(t *testing.T) {
	cases := []struct {
		name string
		sc   Scope
		want []int64
	}{
		{"all: no filter", AllScope(), nil},
		{"none: match nothing", UnitScope(), []int64{}},
		{"sorted", UnitScope(9, 3, 5), []int64{3, 5, 9}},
	}
	for _, c := range cases {
		got := c.sc.IDs()
		if !slices.Equal(got, c.want) || (got == nil) != (c.want == nil) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestResidentSearchByArea: name, whole and partial number searches stay
// inside the caller's area.
func TestResidentSearchByArea(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		role, q string
		want    int
	}{
		{"street", "居民C", 2},
		{"street", "居民C2", 0},
		{"community2", "居民C2", 1},
		{"street", "13800138002", 0}, // C2's number
		{"community2", "138 0013 8002", 1},
		{"street", "13800138000", 1},
		{"street", "8002", 0}, // part of C2's number
		{"community2", "8002", 1},
		{"street", "3800", 2},
		{"admin", "3800", 3},
		{"admin", "%", 0},
	}
	for _, c := range cases {
		var out struct{ Residents []residentJSON }
		decode(t, f.expect(200, "GET", "/api/residents?q="+url.QueryEscape(c.q), c.role, nil), &out)
		if len(out.Residents) != c.want {
			t.Errorf("%s searching %q: %d residents, want %d", c.role, c.q, len(out.Residents), c.want)
		}
	}
}
