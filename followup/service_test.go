package followup

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"outreach/campaigns"
	"outreach/ivr"
)

func newTestService(t *testing.T, c *clock) (*Service, *MemStore, *int) {
	t.Helper()
	st := NewMemStore()
	wakes := new(int)
	s, err := NewService(Config{Records: st, Alerts: st, Now: c.Now, Location: shanghai, Wake: func() { *wakes++ }})
	if err != nil {
		t.Fatal(err)
	}
	return s, st, wakes
}

func feverCall(attempt int64, end time.Time) Call {
	return Call{ResidentID: 1, CommunityID: 10, AttemptID: attempt, Outcome: campaigns.OutcomeCompleted,
		Answered: true, End: end, Result: &ivr.Result{Status: ivr.StatusCompleted,
			Answers: []ivr.Answer{answer("identity", true), answer("temperature", 38.0), answer("needs", "medicine")},
			Alerts:  []ivr.Alert{{Flag: "fever", Rule: "temperature >= 37.3", Note: "体温达到37.3度或以上"}},
			Flags:   []string{"fever", "needs_help"}}}
}

func TestAlertDedupe(t *testing.T) {
	ctx := context.Background()
	c := newClock("2026-11-28 09:05")
	s, st, wakes := newTestService(t, c)
	_, raised, err := s.RecordCall(ctx, feverCall(1, c.Now()))
	if err != nil {
		t.Fatal(err)
	}
	kinds := []string{}
	for _, a := range raised {
		kinds = append(kinds, a.Kind)
	}
	if !slices.Equal(kinds, []string{"fever", "needs_help"}) {
		t.Fatalf("raised %v, want fever and needs_help (flag configured as alert)", kinds)
	}
	// The 16:00 call reports fever again; a replay of the first call too.
	c.Advance(7 * time.Hour)
	_, again, err := s.RecordCall(ctx, feverCall(2, c.Now()))
	if err != nil || len(again) != 0 {
		t.Fatalf("second call of the day raised %v (%v)", again, err)
	}
	if _, again, _ = s.RecordCall(ctx, feverCall(1, c.Now())); len(again) != 0 {
		t.Fatalf("replay raised %v", again)
	}
	if n := len(st.Alerts()); n != 2 || st.Undelivered() != 2 || *wakes != 2 {
		t.Fatalf("alerts %d, outbox %d, wakes %d; want 2, 2, 2", n, st.Undelivered(), *wakes)
	}
	// The next day is a new day: a new alert.
	c.Advance(17 * time.Hour)
	if _, next, _ := s.RecordCall(ctx, feverCall(3, c.Now())); len(next) != 2 || next[0].Day != date("2026-11-29") {
		t.Fatalf("next day raised %+v", next)
	}
	a := st.Alerts()[0]
	if a.Key != "1/fever/2026-11-28" || a.Rule == "" || a.Note == "" || a.AttemptID != 1 || a.CommunityID != 10 ||
		a.Status != AlertOpen || !a.Created.Equal(newClock("2026-11-28 09:05").Now()) {
		t.Errorf("stored alert %+v", a)
	}
}

func TestServiceLifecycle(t *testing.T) {
	ctx := context.Background()
	c := newClock("2026-11-28 09:05")
	s, st, _ := newTestService(t, c)
	_, raised, _ := s.RecordCall(ctx, feverCall(1, c.Now()))
	id := raised[0].ID
	c.Advance(time.Hour)
	a, err := s.Acknowledge(ctx, id, "grid:li", 42, "calling back")
	if err != nil || a.Status != AlertAcknowledged || a.AssigneeID != 42 {
		t.Fatalf("acknowledge: %+v %v", a, err)
	}
	if _, err := s.Acknowledge(ctx, id, "grid:li", 42, ""); !errors.Is(err, ErrTransition) {
		t.Fatalf("second acknowledge: %v, want ErrTransition", err)
	}
	c.Advance(time.Hour)
	if a, err = s.Resolve(ctx, id, "grid:li", "visited, temperature down"); err != nil || a.Status != AlertResolved {
		t.Fatalf("resolve: %+v %v", a, err)
	}
	if _, err := s.Resolve(ctx, id, "grid:li", ""); !errors.Is(err, ErrTransition) {
		t.Fatalf("second resolve: %v", err)
	}
	if _, err := s.Resolve(ctx, 999, "x", ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing alert: %v", err)
	}
	// A concurrent change loses the compare-and-set.
	b := st.Alerts()[1]
	next, ev, _ := b.Acknowledge("a", 0, "", c.Now())
	if err := st.UpdateAlert(ctx, next, AlertAcknowledged, ev); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale update: %v, want ErrConflict", err)
	}
	var types []string
	for _, ev := range st.Events() {
		if ev.Alert.ID == id {
			types = append(types, ev.Type.String()+"@"+ev.Actor)
		}
	}
	// The outbox holds an alert's later events back until the earlier ones are out.
	if due, _ := st.Due(ctx, c.Now(), 100); len(due) != 2 || due[0].Event.Type != EventRaised || due[1].Event.Type != EventRaised {
		t.Errorf("due: %+v, want the two raised events only", due)
	}
	want := []string{"alert.raised@system", "alert.acknowledged@grid:li", "alert.resolved@grid:li"}
	if !slices.Equal(types, want) {
		t.Errorf("outbox events %v, want %v", types, want)
	}
}

func TestUnreachableEscalation(t *testing.T) {
	ctx := context.Background()
	c := newClock("2026-11-25 20:30")
	s, st, _ := newTestService(t, c)
	due := []Due{{ResidentID: 1, CommunityID: 10}, {ResidentID: 2, CommunityID: 10}}
	type day struct {
		reach2   bool // resident 2 answered that day
		streak1  int
		high1    bool
		streak2  int // 0 = no alert
		raisedN  int
		dayLabel string
	}
	days := []day{
		{false, 1, false, 1, 2, "11-25"},
		{false, 2, false, 2, 2, "11-26"},
		{true, 3, true, 0, 1, "11-27"},
		{false, 4, true, 1, 2, "11-28"},
	}
	for i, d := range days {
		today := s.Today()
		if d.reach2 {
			call := Call{ResidentID: 2, AttemptID: int64(100 + i), Answered: true, End: c.Now().Add(-time.Hour),
				Result: &ivr.Result{Status: ivr.StatusCompleted, Answers: []ivr.Answer{answer("identity", true)}}}
			if _, _, err := s.RecordCall(ctx, call); err != nil {
				t.Fatal(err)
			}
		}
		raised, err := s.CloseDay(ctx, today, due)
		if err != nil || len(raised) != d.raisedN {
			t.Fatalf("day %s: raised %d (%v), want %d", d.dayLabel, len(raised), err, d.raisedN)
		}
		a1, _, _ := st.AlertByKey(ctx, AlertKey(1, KindUnreachable, today))
		if a1.Streak != d.streak1 || (a1.Priority == PriorityHigh) != d.high1 || a1.CommunityID != 10 {
			t.Errorf("day %s resident 1: streak %d priority %s", d.dayLabel, a1.Streak, a1.Priority)
		}
		a2, ok, _ := st.AlertByKey(ctx, AlertKey(2, KindUnreachable, today))
		if (d.streak2 == 0) == ok || a2.Streak != d.streak2 {
			t.Errorf("day %s resident 2: alert %v streak %d, want streak %d", d.dayLabel, ok, a2.Streak, d.streak2)
		}
		if again, _ := s.CloseDay(ctx, today, due); len(again) != 0 {
			t.Errorf("day %s: CloseDay twice raised %d", d.dayLabel, len(again))
		}
		c.Advance(24 * time.Hour)
	}
}

func TestExhaustedThenReached(t *testing.T) {
	ctx := context.Background()
	c := newClock("2026-11-28 10:00")
	s, st, _ := newTestService(t, c)
	task := campaigns.Task{ID: 5, ResidentID: 3, Phone: "+8613800001234"}
	if err := s.Exhausted(ctx, task, campaigns.OutcomeNoAnswer); err != nil {
		t.Fatal(err)
	}
	a, ok, _ := st.AlertByKey(ctx, AlertKey(3, KindUnreachable, date("2026-11-28")))
	if !ok || a.Status != AlertOpen || a.Note != "attempts exhausted, last outcome no_answer" {
		t.Fatalf("exhausted alert %+v %v", a, ok)
	}
	if err := s.OfferDoNotCall(ctx, task); err != nil {
		t.Fatal(err)
	}
	// The 16:00 run reaches the resident: the unreachable alert clears itself.
	c.Advance(6 * time.Hour)
	call := Call{ResidentID: 3, AttemptID: 9, Answered: true, End: c.Now(),
		Result: &ivr.Result{Status: ivr.StatusCompleted, Answers: []ivr.Answer{answer("identity", true)}}}
	if _, _, err := s.RecordCall(ctx, call); err != nil {
		t.Fatal(err)
	}
	a, _ = st.Alert(ctx, a.ID)
	if a.Status != AlertResolved || a.ResolvedBy != SystemActor {
		t.Fatalf("unreachable alert not cleared: %+v", a)
	}
	if raised, _ := s.CloseDay(ctx, date("2026-11-28"), []Due{{ResidentID: 3}}); len(raised) != 0 {
		t.Fatalf("reached resident raised %+v", raised)
	}
	// A cleared day does not continue the streak.
	c.Advance(24 * time.Hour)
	raised, _ := s.CloseDay(ctx, s.Today(), []Due{{ResidentID: 3}})
	if len(raised) != 1 || raised[0].Streak != 1 {
		t.Fatalf("next day: %+v", raised)
	}
}

func TestRecordCallDayInShanghai(t *testing.T) {
	ctx := context.Background()
	c := newClock("2026-11-29 00:30") // 16:30 UTC on the 28th
	s, st, _ := newTestService(t, c)
	rec, _, err := s.RecordCall(ctx, Call{ResidentID: 4, Outcome: campaigns.OutcomeNoAnswer, End: c.Now().UTC()})
	if err != nil || rec.Day != date("2026-11-29") || rec.Status != RecordUnreached {
		t.Fatalf("record %+v %v", rec, err)
	}
	if got, _ := st.RecordsOn(ctx, date("2026-11-29")); len(got) != 1 {
		t.Fatalf("records on the 29th: %d", len(got))
	}
}

// flakyAlerts fails the first CreateAlert, as a database hiccup would.
type flakyAlerts struct {
	*MemStore
	failed bool
}

func (f *flakyAlerts) CreateAlert(ctx context.Context, a Alert, ev Event) (Alert, bool, error) {
	if !f.failed {
		f.failed = true
		return Alert{}, false, errors.New("connection reset")
	}
	return f.MemStore.CreateAlert(ctx, a, ev)
}

func TestRecordCallReplayAfterFailure(t *testing.T) {
	ctx := context.Background()
	c := newClock("2026-11-28 09:05")
	st := NewMemStore()
	s, _ := NewService(Config{Records: st, Alerts: &flakyAlerts{MemStore: st}, Now: c.Now, Location: shanghai})
	if _, _, err := s.RecordCall(ctx, feverCall(1, c.Now())); err == nil {
		t.Fatal("store failure not reported")
	}
	rec, raised, err := s.RecordCall(ctx, feverCall(1, c.Now())) // the caller retries the same attempt
	if err != nil || len(raised) != 2 || rec.Calls != 1 {
		t.Fatalf("replay: raised %d, calls %d, %v; want the 2 alerts once and the call merged once", len(raised), rec.Calls, err)
	}
}
