package storagetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"outreach/campaigns"
	"outreach/followup"
	"outreach/ivr"
	"outreach/storage"
)

// area is an organisation tree with residents placed in it:
//
//	district ─┬─ street s1 ── community c1 ── grid g1
//	          └─ street s2 ── community c2
//
// in1 lives in c1, in2 in c1 and g1, in3 in g1 only (no community), out in
// c2 and none nowhere.
type area struct {
	s1, s2, c1, c2, g1 int64
	in1, in2, in3      int64
	out, none          int64
	scope              []int64 // s1's subtree
}

func newArea(t *testing.T, s *storage.Store) area {
	t.Helper()
	ctx := context.Background()
	ensure := func(l storage.Level, parent int64, name string) int64 {
		return must[int64](t)(s.EnsureOrgUnit(ctx, l, parent, name))
	}
	var a area
	d := ensure(storage.LevelDistrict, 0, "区")
	a.s1, a.s2 = ensure(storage.LevelStreet, d, "一街道"), ensure(storage.LevelStreet, d, "二街道")
	a.c1, a.c2 = ensure(storage.LevelCommunity, a.s1, "东社区"), ensure(storage.LevelCommunity, a.s2, "南社区")
	a.g1 = ensure(storage.LevelGrid, a.c1, "1网格")
	add := func(name, phone string, community, grid int64) int64 {
		r := resident(name, phone)
		r.CommunityID, r.GridID = community, grid
		return must[int64](t)(s.CreateResident(ctx, r))
	}
	a.in1 = add("居民甲", "+8613800001001", a.c1, 0)
	a.out = add("居民外", "+8613800001002", a.c2, 0)
	a.in2 = add("居民乙", "+8613800001003", a.c1, a.g1)
	a.none = add("居民无", "+8613800001004", 0, 0)
	a.in3 = add("居民丙%", "+8613800001005", 0, a.g1)
	a.scope = must[[]int64](t)(s.Subtree(ctx, a.s1))
	return a
}

func residentIDs(rs []storage.Resident) []int64 {
	out := []int64{}
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func testScopeResidents(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	a := newArea(t, s)
	list := func(fl storage.ResidentFilter) []int64 {
		t.Helper()
		return residentIDs(must[[]storage.Resident](t)(s.Residents(ctx, fl)))
	}
	cases := []struct {
		name string
		f    storage.ResidentFilter
		want []int64
	}{
		{"street subtree", storage.ResidentFilter{Units: a.scope}, []int64{a.in1, a.in2, a.in3}},
		{"grid only", storage.ResidentFilter{Units: []int64{a.g1}}, []int64{a.in2, a.in3}},
		{"other street", storage.ResidentFilter{Units: []int64{a.s2, a.c2}}, []int64{a.out}},
		{"no filter", storage.ResidentFilter{}, []int64{a.in1, a.out, a.in2, a.none, a.in3}},
		{"empty scope", storage.ResidentFilter{Units: []int64{}}, []int64{}},
		{"page 1", storage.ResidentFilter{Units: a.scope, Limit: 2}, []int64{a.in1, a.in2}},
		{"page 2", storage.ResidentFilter{Units: a.scope, Limit: 2, AfterID: a.in2}, []int64{a.in3}},
		{"page 3", storage.ResidentFilter{Units: a.scope, Limit: 2, AfterID: a.in3}, []int64{}},
		{"name in scope", storage.ResidentFilter{Units: a.scope, Name: "居民"}, []int64{a.in1, a.in2, a.in3}},
		{"name outside", storage.ResidentFilter{Units: a.scope, Name: "外"}, []int64{}},
		{"percent is literal", storage.ResidentFilter{Name: "%"}, []int64{a.in3}},
		{"phone in scope", storage.ResidentFilter{Units: a.scope, Phone: "+8613800001003"}, []int64{a.in2}},
		{"phone outside", storage.ResidentFilter{Units: a.scope, Phone: "+8613800001002"}, []int64{}},
	}
	for _, c := range cases {
		if got := list(c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func testScopeObservations(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	a := newArea(t, s)
	for _, rid := range []int64{a.in1, a.in1, a.out, a.in3, a.none} { // in1 has two periods
		must[int64](t)(s.AddObservation(ctx, storage.Observation{ResidentID: rid, Start: t0.AddDate(0, 0, -1)}))
	}
	type key struct{ resident, observation int64 }
	var got []key
	fl := storage.ObservedFilter{Day: t0, Units: a.scope, Limit: 1} // one row a page: pages split in1's periods
	for range 10 {
		page := must[[]storage.Observed](t)(s.UnderObservation(ctx, fl))
		if len(page) == 0 {
			break
		}
		last := page[len(page)-1]
		got = append(got, key{last.ResidentID, last.Observation.ID})
		fl.AfterID, fl.AfterObservationID = last.ResidentID, last.Observation.ID
	}
	if len(got) != 3 || got[0].resident != a.in1 || got[1].resident != a.in1 || got[2].resident != a.in3 ||
		got[0].observation == got[1].observation {
		t.Fatalf("paged observations in scope: %+v (in1 %d, in3 %d)", got, a.in1, a.in3)
	}
	all := must[[]storage.Observed](t)(s.UnderObservation(ctx, storage.ObservedFilter{Day: t0}))
	if len(all) != 5 {
		t.Fatalf("unfiltered: %d rows, want 5", len(all))
	}
	if none := must[[]storage.Observed](t)(s.UnderObservation(ctx, storage.ObservedFilter{Day: t0, Units: []int64{}})); len(none) != 0 {
		t.Fatalf("empty scope: %+v", none)
	}
	grid := must[[]storage.Observed](t)(s.UnderObservation(ctx, storage.ObservedFilter{Day: t0, Units: []int64{a.g1}}))
	if len(grid) != 1 || grid[0].ResidentID != a.in3 || grid[0].GridID != a.g1 {
		t.Fatalf("grid scope: %+v", grid)
	}
}

func testScopeAlerts(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	a := newArea(t, s)
	ids := map[int64]int64{} // resident → alert
	for _, rid := range []int64{a.in1, a.out, a.in2, a.none, a.in3} {
		ids[rid] = must[int64](t)(s.CreateAlert(ctx, storage.Alert{ResidentID: rid, Kind: "fever"}))
	}
	var got []int64
	fl := storage.AlertFilter{Units: a.scope, Limit: 2}
	for range 10 {
		page := must[[]storage.Alert](t)(s.Alerts(ctx, fl))
		for _, x := range page {
			got = append(got, x.ID)
		}
		if len(page) < fl.Limit {
			break
		}
		fl.BeforeID = page[len(page)-1].ID
	}
	if want := []int64{ids[a.in3], ids[a.in2], ids[a.in1]}; !slices.Equal(got, want) {
		t.Fatalf("paged alerts in scope: %v, want %v (newest first)", got, want)
	}
	if l := must[[]storage.Alert](t)(s.Alerts(ctx, storage.AlertFilter{Units: []int64{a.c2}})); len(l) != 1 || l[0].ID != ids[a.out] {
		t.Fatalf("other street's alerts: %+v", l)
	}
	if l := must[[]storage.Alert](t)(s.Alerts(ctx, storage.AlertFilter{Units: []int64{}})); len(l) != 0 {
		t.Fatalf("empty scope: %+v", l)
	}
	if l := must[[]storage.Alert](t)(s.Alerts(ctx, storage.AlertFilter{})); len(l) != 5 {
		t.Fatalf("unfiltered: %d alerts", len(l))
	}
	// The day's records and alerts of the summaries, by area.
	fs, d := s.Followup(), campaigns.DateOf(t0)
	for _, rid := range []int64{a.in2, a.out} {
		if err := fs.PutRecord(ctx, followup.Record{ResidentID: rid, Day: d, Status: followup.RecordCompleted}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := fs.CreateAlert(ctx, followup.Alert{Key: fmt.Sprint("k", rid), ResidentID: rid, Kind: "fever", Day: d},
			followup.Event{ID: fmt.Sprint("e", rid)}); err != nil {
			t.Fatal(err)
		}
	}
	recs := must[[]followup.Record](t)(fs.RecordsOnIn(ctx, d, a.scope))
	alerts := must[[]followup.Alert](t)(fs.AlertsOnIn(ctx, d, a.scope))
	if len(recs) != 1 || recs[0].ResidentID != a.in2 || len(alerts) != 1 || alerts[0].ResidentID != a.in2 {
		t.Fatalf("day in scope: records %+v alerts %+v", recs, alerts)
	}
	if all := must[[]followup.Record](t)(fs.RecordsOnIn(ctx, d, nil)); len(all) != 2 {
		t.Fatalf("day unfiltered: %+v", all)
	}
}

func testScopeAttempts(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	a := newArea(t, s)
	c := testCampaign(campaigns.Target{Kind: campaigns.TargetTag, Ref: "list-a"})
	c.ID = must[int64](t)(s.CreateCampaign(ctx, c))
	due := must[[]campaigns.DueTask](t)(s.CreateRun(ctx, 1, c, t0))
	byResident := map[int64]int64{}
	var results []storage.Result
	for i, d := range due {
		at := must[campaigns.Attempt](t)(s.BeginAttempt(ctx, d.TaskID, fmt.Sprint("t", i), "w", t0))
		task := must[campaigns.Task](t)(s.Task(ctx, d.TaskID))
		byResident[task.ResidentID] = at.ID
		results = append(results, storage.Result{AttemptID: at.ID, Outcome: campaigns.OutcomeCompleted, Answered: true,
			EndAt: t0.Add(time.Minute), Answers: []ivr.Answer{{Node: "identity", Key: "identity", Value: true, Method: ivr.MethodDTMF}}})
	}
	if err := s.WriteResults(ctx, results); err != nil {
		t.Fatal(err)
	}
	var got []int64
	fl := storage.AttemptFilter{Units: a.scope, Newest: true, Limit: 2, Answers: true}
	for range 10 {
		page := must[[]storage.AttemptRecord](t)(s.Attempts(ctx, fl))
		for _, x := range page {
			if len(x.Answers) != 1 || x.Answers[0].Value != true {
				t.Fatalf("attempt %d answers %+v", x.ID, x.Answers)
			}
			got = append(got, x.ID)
		}
		if len(page) < fl.Limit {
			break
		}
		fl.AfterID = page[len(page)-1].ID
	}
	want := []int64{byResident[a.in1], byResident[a.in2], byResident[a.in3]}
	slices.Sort(want)
	slices.Reverse(want)
	if !slices.Equal(got, want) {
		t.Fatalf("paged attempts in scope: %v, want %v", got, want)
	}
	old := must[[]storage.AttemptRecord](t)(s.Attempts(ctx, storage.AttemptFilter{Units: []int64{a.c2}}))
	if len(old) != 1 || old[0].ResidentID != a.out || old[0].Answers != nil {
		t.Fatalf("other street's attempts (no answers asked): %+v", old)
	}
	if l := must[[]storage.AttemptRecord](t)(s.Attempts(ctx, storage.AttemptFilter{Units: []int64{}})); len(l) != 0 {
		t.Fatalf("empty scope: %+v", l)
	}
}

func testScopeCampaigns(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	a := newArea(t, s)
	ids := map[int64]int64{} // unit → campaign
	for _, u := range []int64{0, a.s1, a.c1, a.c2} {
		c := testCampaign(campaigns.Target{Kind: campaigns.TargetTag, Ref: "list-a"})
		c.Unit = u
		ids[u] = must[int64](t)(s.CreateCampaign(ctx, c))
	}
	if c := must[campaigns.Campaign](t)(s.Campaign(ctx, ids[a.c1])); c.Unit != a.c1 {
		t.Fatalf("unit round trip: %d, want %d", c.Unit, a.c1)
	}
	list := func(units []int64) []int64 {
		out := []int64{}
		for _, c := range must[[]campaigns.Campaign](t)(s.ListCampaigns(ctx, storage.CampaignFilter{Units: units})) {
			out = append(out, c.ID)
		}
		return out
	}
	cases := []struct {
		name  string
		units []int64
		want  []int64
	}{
		{"street", a.scope, []int64{ids[a.s1], ids[a.c1]}},
		{"community", []int64{a.c1, a.g1}, []int64{ids[a.c1]}},
		{"other street", []int64{a.s2, a.c2}, []int64{ids[a.c2]}},
		{"all", nil, []int64{ids[0], ids[a.s1], ids[a.c1], ids[a.c2]}},
		{"none", []int64{}, []int64{}},
	}
	for _, c := range cases {
		if got := list(c.units); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// Targeted: community staff also see the campaigns owned above them
	// that call their community, never another street's nor an
	// organisation-wide one.
	east := map[int64]int64{} // owner → campaign targeting 东社区 (c1)
	for _, u := range []int64{0, a.s1, a.s2} {
		c := testCampaign(campaigns.Target{Kind: campaigns.TargetCommunity, Ref: "东社区"})
		c.Unit = u
		east[u] = must[int64](t)(s.CreateCampaign(ctx, c))
	}
	targeted := func(f storage.CampaignFilter) []int64 {
		f.Targeted = true
		out := []int64{}
		for _, c := range must[[]campaigns.Campaign](t)(s.ListCampaigns(ctx, f)) {
			out = append(out, c.ID)
		}
		return out
	}
	community := []int64{a.c1, a.g1}
	if got := targeted(storage.CampaignFilter{Units: community}); !slices.Equal(got, []int64{ids[a.c1], east[a.s1]}) {
		t.Errorf("targeted, community: %v, want %v", got, []int64{ids[a.c1], east[a.s1]})
	}
	if got := targeted(storage.CampaignFilter{Units: []int64{a.g1}}); len(got) != 0 {
		t.Errorf("targeted, grid (the target is the community): %v", got)
	}
	if got := targeted(storage.CampaignFilter{Units: community, ID: east[a.s2]}); len(got) != 0 {
		t.Errorf("targeted by id, other street's campaign: %v", got)
	}
	if got := targeted(storage.CampaignFilter{Units: community, ID: east[a.s1]}); !slices.Equal(got, []int64{east[a.s1]}) {
		t.Errorf("targeted by id: %v", got)
	}
	if got := targeted(storage.CampaignFilter{Units: []int64{}}); len(got) != 0 {
		t.Errorf("targeted, empty scope: %v", got)
	}
	moved := must[campaigns.Campaign](t)(s.Campaign(ctx, ids[a.c1]))
	moved.Unit = a.c2
	if err := s.UpdateCampaign(ctx, moved); err != nil {
		t.Fatal(err)
	}
	if got := list([]int64{a.c2}); !slices.Equal(got, []int64{ids[a.c1], ids[a.c2]}) {
		t.Fatalf("after moving a campaign: %v", got)
	}
}

// testRunOwnerArea: a run selects residents inside the campaign owner's
// subtree only, and a target's unit name resolves inside it.
func testRunOwnerArea(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	a := newArea(t, s)
	twin := must[int64](t)(s.EnsureOrgUnit(ctx, storage.LevelCommunity, a.s2, "东社区")) // same name, other street
	r := resident("居民孪", "+8613800001006")
	r.CommunityID = twin
	inTwin := must[int64](t)(s.CreateResident(ctx, r))
	residents := func(c campaigns.Campaign, occ time.Time) []int64 {
		t.Helper()
		c.ID = must[int64](t)(s.CreateCampaign(ctx, c))
		var out []int64
		for _, d := range must[[]campaigns.DueTask](t)(s.CreateRun(ctx, 1, c, occ)) {
			out = append(out, must[campaigns.Task](t)(s.Task(ctx, d.TaskID)).ResidentID)
		}
		slices.Sort(out)
		return out
	}
	byName := testCampaign(campaigns.Target{Kind: campaigns.TargetCommunity, Ref: "东社区"})
	everyone := testCampaign(campaigns.Target{Kind: campaigns.TargetTag, Ref: "list-a"})
	cases := []struct {
		name string
		c    campaigns.Campaign
		unit int64
		want []int64
	}{
		{"community by name, street owner", byName, a.s1, []int64{a.in1, a.in2}},
		{"community by name, other street", byName, a.s2, []int64{inTwin}},
		{"community by name, organisation-wide", byName, 0, []int64{a.in1, a.in2, inTwin}},
		{"tag, grid owner", everyone, a.g1, []int64{a.in2, a.in3}},
		{"tag, street owner", everyone, a.s1, []int64{a.in1, a.in2, a.in3}},
	}
	for i, c := range cases {
		c.c.Unit = c.unit
		if got := residents(c.c, t0.Add(time.Duration(i)*time.Hour)); !slices.Equal(got, c.want) {
			t.Errorf("%s: residents %v, want %v", c.name, got, c.want)
		}
	}
}
