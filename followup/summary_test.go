package followup

import (
	"slices"
	"testing"
)

func TestSummarize(t *testing.T) {
	d := date("2026-11-28")
	other := date("2026-11-27")
	due := []Due{{1, 10}, {2, 10}, {3, 10}, {4, 20}, {5, 20}, {6, 20}}
	records := []Record{
		{ResidentID: 1, Day: d, Status: RecordCompleted, Confirmed: Yes},
		{ResidentID: 2, Day: d, Status: RecordCompleted, Confirmed: Yes, Alerts: []string{"fever"}},
		{ResidentID: 3, Day: d, Status: RecordUnreached},
		{ResidentID: 4, Day: d, Status: RecordPartial, Confirmed: Yes},
		{ResidentID: 5, Day: other, Status: RecordCompleted},                              // another day: ignored
		{ResidentID: 7, Day: d, Status: RecordCompleted, CommunityID: 30, Confirmed: Yes}, // not in due: counted
	}
	alerts := []Alert{
		{ID: 1, ResidentID: 2, Kind: "fever", Day: d, Status: AlertOpen},
		{ID: 2, ResidentID: 2, Kind: "needs_help", Day: d, Status: AlertAcknowledged},
		{ID: 3, ResidentID: 3, Kind: KindUnreachable, Day: d, Status: AlertOpen, Streak: 3, Priority: PriorityHigh},
		{ID: 4, ResidentID: 5, Kind: KindUnreachable, Day: d, Status: AlertOpen, Streak: 1},
		{ID: 5, ResidentID: 6, Kind: KindUnreachable, Day: d, Status: AlertResolved},
		{ID: 6, ResidentID: 4, Kind: "left_home", Day: d, Status: AlertResolved},
		{ID: 7, ResidentID: 1, Kind: "fever", Day: other, Status: AlertOpen},
	}
	s := Summarize(d, due, records, alerts)
	want := []CommunityCounts{
		{10, Counts{Due: 3, Answered: 2, Completed: 2, Abnormal: 1, Unreachable: 1}},
		{20, Counts{Due: 3, Answered: 1, Completed: 0, Abnormal: 1, Unreachable: 2}},
		{30, Counts{Due: 1, Answered: 1, Completed: 1}},
	}
	if !slices.Equal(s.Communities, want) {
		t.Fatalf("communities\n got %+v\nwant %+v", s.Communities, want)
	}
	if s.Total != (Counts{Due: 7, Answered: 4, Completed: 3, Abnormal: 2, Unreachable: 3}) {
		t.Errorf("total %+v", s.Total)
	}
	var visits []int64
	for _, v := range s.Visits {
		visits = append(visits, v.ResidentID)
	}
	if !slices.Equal(visits, []int64{3, 2, 5}) {
		t.Fatalf("visits %v, want high priority 3 first, then 2 (community 10), then 5", visits)
	}
	v := s.Visits[1]
	if !slices.Equal(v.Kinds, []string{"fever", "needs_help"}) || !slices.Equal(v.AlertIDs, []int64{1, 2}) ||
		v.CommunityID != 10 || s.Visits[0].Streak != 3 || s.Visits[2].CommunityID != 20 {
		t.Errorf("visits %+v", s.Visits)
	}
	if empty := Summarize(d, nil, nil, nil); empty.Total != (Counts{}) || empty.Visits != nil {
		t.Errorf("empty day: %+v", empty)
	}
}
