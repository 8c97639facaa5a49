package storage

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

// areaCSV is a list with a header and rows of name, phone, community, grid.
func areaCSV(t *testing.T, rows [][]string) *bytes.Buffer {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(append([][]string{{"姓名", "手机", "社区", "网格"}}, rows...)); err != nil {
		t.Fatal(err)
	}
	return &b
}

func setOf(ids []int64) func(int64) bool {
	return func(id int64) bool { return slices.Contains(ids, id) }
}

// TestImportArea: an import confined to an area keeps the rows inside it and
// reports the others by line; dry runs create no unit.
func TestImportArea(t *testing.T) {
	for _, be := range Backends {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			testImportArea(t, NewTestStore(t, be, nil))
		})
	}
}

func testImportArea(t *testing.T, s *Store) {
	ctx := context.Background()
	ensure := func(l Level, parent int64, name string) int64 {
		id, err := s.EnsureOrgUnit(ctx, l, parent, name)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	d := ensure(LevelDistrict, 0, "区")
	s1, s2 := ensure(LevelStreet, d, "一街道"), ensure(LevelStreet, d, "二街道")
	east, south := ensure(LevelCommunity, s1, "东社区"), ensure(LevelCommunity, s2, "南社区")
	ensure(LevelCommunity, s1, "西社区")
	grid := ensure(LevelGrid, east, "1网格")
	if _, err := s.CreateResident(ctx, Resident{Name: "外人", Phone: "+86" + mobile(900), CommunityID: south}); err != nil {
		t.Fatal(err)
	}
	street, _ := s.Subtree(ctx, s1)
	community, _ := s.Subtree(ctx, east)
	cases := []struct {
		name     string
		opt      ImportOptions
		rows     [][]string
		imported int
		bad      map[int]string // line → reason fragment
	}{
		{"street staff", ImportOptions{Parent: s1, Allowed: setOf(street)}, [][]string{
			{"甲", mobile(1), "东社区", ""},    // 2: existing community
			{"乙", mobile(2), "新社区", ""},    // 3: created under the street
			{"丙", mobile(3), "", ""},       // 4: no community
			{"丁", mobile(900), "东社区", ""},  // 5: registered in another street
			{"戊", mobile(4), "东社区", "2网格"}, // 6: new grid in the street's community
			{"己", mobile(5), "南社区", ""},    // 7: a 南社区 of its own street (created)
		}, 4, map[int]string{4: "no community given", 5: "resident already registered outside your area"}},
		{"community staff", ImportOptions{Parent: s1, Community: "东社区", Allowed: setOf(community)}, [][]string{
			{"庚", mobile(11), "", ""},       // 2: the default: their community
			{"辛", mobile(12), "西社区", ""},    // 3: sibling community
			{"壬", mobile(13), "北社区", ""},    // 4: would create a community in the street
			{"癸", mobile(14), "东社区", "1网格"}, // 5: their grid
			{"子", mobile(1), "", ""},        // 6: imported above, inside their community
		}, 2, map[int]string{3: "社区不在您的辖区 community outside your area: 西社区",
			4: "community outside your area: 北社区"}},
		{"grid staff", ImportOptions{Parent: s1, Community: "东社区", Allowed: setOf([]int64{grid})}, [][]string{
			{"丑", mobile(21), "东社区", "1网格"}, // 2: their grid
			{"寅", mobile(22), "东社区", ""},    // 3: their community is outside a grid's area
		}, 1, map[int]string{3: "community outside your area"}},
	}
	for _, c := range cases {
		units, _ := s.OrgUnits(ctx)
		dry := c.opt
		dry.DryRun, dry.ErrorsPath = true, "-"
		rep, err := s.ImportResidentsFrom(ctx, areaCSV(t, c.rows), ".csv", dry)
		if after, _ := s.OrgUnits(ctx); err != nil || len(after) != len(units) || rep.Imported != c.imported {
			t.Fatalf("%s: dry run %+v %v; units %d → %d", c.name, rep, err, len(units), len(after))
		}
		c.opt.ErrorsPath = "-"
		rep, err = s.ImportResidentsFrom(ctx, areaCSV(t, c.rows), ".csv", c.opt)
		if err != nil || rep.Imported != c.imported || rep.Bad != len(c.bad) {
			t.Fatalf("%s: %+v %v", c.name, rep, err)
		}
		for _, p := range rep.Problems {
			if !strings.Contains(p.Reason, c.bad[p.Line]) || c.bad[p.Line] == "" {
				t.Errorf("%s: line %d: %q, want %q", c.name, p.Line, p.Reason, c.bad[p.Line])
			}
		}
	}
	// Everything imported landed inside the street; 乙's new community is
	// the street's, and the other street's resident was not touched.
	street, _ = s.Subtree(ctx, s1) // with the communities the import created
	in, err := s.Residents(ctx, ResidentFilter{Units: street, Limit: 100})
	if err != nil || len(in) != 7 {
		t.Fatalf("residents in the street: %d %v", len(in), err)
	}
	if n, _ := s.CountResidents(ctx); n != 8 {
		t.Fatalf("%d residents, want 8", n)
	}
	units, _ := s.OrgUnits(ctx)
	for _, u := range units {
		if u.Level == LevelCommunity && u.Name == "新社区" && u.ParentID != s1 || u.Name == "北社区" {
			t.Errorf("unit %+v", u)
		}
	}
}
