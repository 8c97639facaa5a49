package followup

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"outreach/campaigns"
)

// Storage may keep records and events as JSON: they must round-trip.
func TestJSONRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC)
	rec := Record{ResidentID: 1, CommunityID: 2, Day: date("2026-11-28"), Status: RecordCompleted,
		Outcome: campaigns.OutcomeCompleted, Confirmed: Yes, Temperature: 37.8, Symptoms: []string{"cough"},
		LeftHome: No, Contact: Unanswered, Needs: []Need{NeedFood, NeedHelp}, Alerts: []string{"fever"},
		Flags: []string{"fever", "cough"}, Answers: map[string]any{"temperature": 37.8, "cough": true, "needs": "food"},
		AttemptID: 4, Attempts: []int64{3, 4}, Calls: 2, First: at, Last: at.Add(time.Hour), ScriptID: "x", ScriptVersion: 2}
	var rec2 Record
	roundTrip(t, rec, &rec2)
	if !reflect.DeepEqual(rec, rec2) {
		t.Errorf("record\n got %+v\nwant %+v", rec2, rec)
	}
	a := Alert{ID: 1, Key: "1/fever/2026-11-28", ResidentID: 1, Kind: "fever", Day: date("2026-11-28"),
		Priority: PriorityHigh, Status: AlertAcknowledged, Streak: 2, Notes: []Note{{At: at, Actor: "a", Text: "t"}},
		Created: at, Acknowledged: at, AcknowledgedBy: "a"}
	ev := NewEvent(EventAcknowledged, a, "a", "t", at)
	var ev2 Event
	roundTrip(t, ev, &ev2)
	if !reflect.DeepEqual(ev, ev2) {
		t.Errorf("event\n got %+v\nwant %+v", ev2, ev)
	}
}

func roundTrip(t *testing.T, v, out any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
}
