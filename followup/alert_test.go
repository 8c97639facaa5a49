package followup

import (
	"errors"
	"testing"
	"time"
)

func TestAlertLifecycle(t *testing.T) {
	at := time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)
	type action int
	const (
		ack action = iota
		resolve
	)
	cases := []struct {
		from   AlertStatus
		act    action
		to     AlertStatus
		wantOK bool
		evType EventType
	}{
		{AlertOpen, ack, AlertAcknowledged, true, EventAcknowledged},
		{AlertOpen, resolve, AlertResolved, true, EventResolved},
		{AlertAcknowledged, resolve, AlertResolved, true, EventResolved},
		{AlertAcknowledged, ack, AlertAcknowledged, false, 0},
		{AlertResolved, ack, AlertResolved, false, 0},
		{AlertResolved, resolve, AlertResolved, false, 0},
	}
	for _, c := range cases {
		a := Alert{ID: 5, Key: AlertKey(9, "fever", date("2026-11-28")), Status: c.from, AssigneeID: 4}
		var (
			got Alert
			ev  Event
			err error
		)
		if c.act == ack {
			got, ev, err = a.Acknowledge("grid:wang", 0, "on my way", at)
		} else {
			got, ev, err = a.Resolve("grid:wang", "visited, fine", at)
		}
		if !c.wantOK {
			var te *TransitionError
			if !errors.Is(err, ErrTransition) || !errors.As(err, &te) || te.From != c.from {
				t.Errorf("%s action %d: err %v, want a TransitionError from %s", c.from, c.act, err, c.from)
			}
			if got.Status != c.from {
				t.Errorf("refused change altered the alert: %s", got.Status)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s action %d: %v", c.from, c.act, err)
		}
		if got.Status != c.to || ev.Type != c.evType || ev.Actor != "grid:wang" || !ev.At.Equal(at) ||
			ev.Alert.Status != c.to || len(got.Notes) != 1 || got.AssigneeID != 4 || a.Notes != nil {
			t.Errorf("%s → %s: alert %+v event %+v", c.from, c.to, got, ev)
		}
		if ev.ID != EventID(a.Key, c.evType) {
			t.Errorf("event id %s not derived from key and type", ev.ID)
		}
	}
}

func TestAcknowledgeAssigns(t *testing.T) {
	a := Alert{Key: "1/fever/2026-11-28", Status: AlertOpen}
	b, _, err := a.Acknowledge("chief", 12, "", time.Unix(100, 0))
	if err != nil || b.AssigneeID != 12 || b.AcknowledgedBy != "chief" || len(b.Notes) != 0 {
		t.Fatalf("acknowledge: %+v, %v", b, err)
	}
	c, _, _ := b.Resolve("grid:12", "ok", time.Unix(200, 0))
	if c.ResolvedBy != "grid:12" || c.Resolved.Unix() != 200 || c.Open() || !b.Open() {
		t.Errorf("resolve: %+v", c)
	}
}

func TestEventIDsStableAndDistinct(t *testing.T) {
	ids := map[string]bool{}
	for _, key := range []string{"1/fever/2026-11-28", "1/fever/2026-11-29", "2/fever/2026-11-28"} {
		for _, typ := range []EventType{EventRaised, EventAcknowledged, EventResolved} {
			id := EventID(key, typ)
			if id != EventID(key, typ) || ids[id] {
				t.Fatalf("event id %s not stable or not distinct", id)
			}
			ids[id] = true
		}
	}
	for _, s := range []string{"open", "acknowledged", "resolved"} {
		var st AlertStatus
		if err := st.UnmarshalText([]byte(s)); err != nil || st.String() != s {
			t.Errorf("status %q round trip: %v", s, err)
		}
	}
}
