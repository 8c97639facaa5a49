package followup

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"outreach/campaigns"
)

func TestObservationDaysInShanghai(t *testing.T) {
	o := Observation{ID: 1, ResidentID: 5, Start: date("2026-11-20"), Release: date("2026-11-30"),
		CallTimes: []string{"09:00", "16:00"}}
	cases := []struct {
		utc      string
		calls    bool
		active   bool
		released bool
	}{
		{"2026-11-19T15:59:00Z", false, false, false}, // 11-19 23:59 local: not started
		{"2026-11-20T00:59:00Z", false, true, false},  // 11-20 08:59: active, not a call time
		{"2026-11-20T01:00:00Z", true, true, false},   // 11-20 09:00: first call
		{"2026-11-30T08:00:00Z", true, true, false},   // release day 16:00: last call
		{"2026-11-30T15:59:59Z", false, true, false},  // release day 23:59:59
		{"2026-11-30T16:00:00Z", false, false, true},  // 12-01 00:00 local: released
		{"2026-12-01T01:00:00Z", false, false, true},  // 12-01 09:00: no longer called
	}
	for _, c := range cases {
		ts, _ := time.Parse(time.RFC3339, c.utc)
		d := DayOf(ts, shanghai)
		if got := o.CallsAt(ts, shanghai); got != c.calls {
			t.Errorf("%s: CallsAt %v, want %v", c.utc, got, c.calls)
		}
		if o.Active(d) != c.active || o.Released(d) != c.released {
			t.Errorf("%s (day %s): active %v released %v", c.utc, d, o.Active(d), o.Released(d))
		}
	}
}

func TestPlanAndEndEarly(t *testing.T) {
	today := date("2026-11-28")
	obs := []Observation{
		{ID: 1, ResidentID: 1, Start: date("2026-11-14"), Release: date("2026-11-27")}, // released yesterday night
		{ID: 2, ResidentID: 2, Start: date("2026-11-15"), Release: date("2026-11-28")}, // last day today
		{ID: 3, ResidentID: 3, Start: date("2026-11-28")},                              // open-ended, from today
		{ID: 4, ResidentID: 4, Start: date("2026-11-29"), Release: date("2026-12-12")}, // tomorrow
	}
	p := Plan(today, obs)
	ids := func(os []Observation) (out []int64) {
		for _, o := range os {
			out = append(out, o.ID)
		}
		return out
	}
	if !slices.Equal(ids(p.Due), []int64{2, 3}) || !slices.Equal(ids(p.Released), []int64{1}) ||
		!slices.Equal(ids(p.Upcoming), []int64{4}) {
		t.Fatalf("plan: due %v released %v upcoming %v", ids(p.Due), ids(p.Released), ids(p.Upcoming))
	}
	// Ending resident 3 early today: not called today any more, released.
	ended := obs[2].End(today)
	if ended.Active(today) || !ended.Released(today) || ended.Release != date("2026-11-27") {
		t.Errorf("ended early: %+v", ended)
	}
	// Ending never pushes a release date later.
	if got := obs[0].End(date("2026-12-05")); got.Release != date("2026-11-27") {
		t.Errorf("End moved the release later: %s", got.Release)
	}
	// Through the store.
	st := NewMemStore()
	ctx := context.Background()
	o, err := Observe(ctx, st, Observation{ResidentID: 9, Start: today, Release: date("2026-12-11"),
		CallTimes: []string{"16:00", " 9:00", "09:00"}})
	if err != nil || o.ID == 0 || !slices.Equal(o.CallTimes, []string{"09:00", "16:00"}) {
		t.Fatalf("observe: %+v %v", o, err)
	}
	if _, err := EndObservation(ctx, st, o, date("2026-12-01")); err != nil {
		t.Fatal(err)
	}
	if got := st.Observations()[0]; got.Release != date("2026-11-30") {
		t.Errorf("stored release %s", got.Release)
	}
	if _, err := EndObservation(ctx, st, Observation{ID: 99}, today); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown observation: %v", err)
	}
}

func TestObservationValidate(t *testing.T) {
	bad := []Observation{
		{Start: date("2026-11-28")},
		{ResidentID: 1},
		{ResidentID: 1, Start: date("2026-11-28"), Release: date("2026-11-27")},
		{ResidentID: 1, Start: date("2026-11-28"), CallTimes: []string{"25:00"}},
		{ResidentID: 1, Start: date("2026-11-28"), CallTimes: []string{"9am"}},
	}
	for _, o := range bad {
		if err := o.Validate(); err == nil {
			t.Errorf("accepted %+v", o)
		}
	}
	ok := Observation{ResidentID: 1, Start: date("2026-11-28"), Release: date("2026-11-28"), CallTimes: []string{"09:00"}}
	if err := ok.Validate(); err != nil {
		t.Errorf("one-day observation refused: %v", err)
	}
}

func TestCheckupScheduleDrivesCalls(t *testing.T) {
	obs := []Observation{
		{ID: 1, ResidentID: 1, Start: date("2026-11-20"), Release: date("2026-11-28"), CallTimes: []string{"09:00", "16:00"}},
		{ID: 2, ResidentID: 2, Start: date("2026-11-20"), Release: date("2026-12-04"), CallTimes: []string{"09:00"}},
		{ID: 3, ResidentID: 3, Start: date("2026-11-29")},
	}
	s, err := CheckupSchedule(obs, []string{"10:00"}, "")
	if err != nil || !slices.Equal(s.Cron, []string{"0 9 * * *", "0 16 * * *"}) || s.Timezone != campaigns.DefaultTimezone {
		t.Fatalf("schedule %+v %v", s, err)
	}
	from := Midnight(date("2026-11-28"), shanghai)
	occ, err := s.Occurrences(from, from.Add(48*time.Hour))
	if err != nil || len(occ) != 4 {
		t.Fatalf("occurrences %v %v", occ, err)
	}
	var got [][]int64
	for _, at := range occ {
		var ids []int64
		for _, o := range DueAt(at, shanghai, obs) {
			ids = append(ids, o.ResidentID)
		}
		got = append(got, ids)
	}
	// 11-28 09:00: 1, 2; 16:00: 1 (last day); 11-29 09:00: 2, 3 (1 released); 16:00: 3.
	want := [][]int64{{1, 2}, {1}, {2, 3}, {3}}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Fatalf("due at %v: %v, want %v", occ, got, want)
		}
	}
	if d, _ := CheckupSchedule(nil, []string{"10:30"}, "Asia/Shanghai"); !slices.Equal(d.Cron, []string{"30 10 * * *"}) {
		t.Errorf("default times: %v", d.Cron)
	}
	if _, err := CheckupSchedule(nil, nil, ""); err == nil {
		t.Error("no call times accepted")
	}
}
