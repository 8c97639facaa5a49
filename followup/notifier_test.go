package followup

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNotifierDeliversEachEventOnce(t *testing.T) {
	ctx := context.Background()
	c := newClock("2026-11-28 09:05")
	rcv, srv := newReceiver(t, c.Now, 2) // every event fails twice with 500 first
	st := NewMemStore()
	w, err := NewWebhook(WebhookConfig{URL: srv.URL, Secret: testSecret, Now: c.Now, Sleep: (&fakeSleeper{}).Sleep,
		Directory: dir{1: {Name: "李四", Phone: "+8613900001111"}}})
	if err != nil {
		t.Fatal(err)
	}
	n, err := NewNotifier(NotifierConfig{Outbox: st, Sender: w, Interval: time.Hour, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewService(Config{Records: st, Alerts: st, Now: c.Now, Location: shanghai, Wake: n.Kick})
	if err != nil {
		t.Fatal(err)
	}
	n.Start(ctx)
	defer n.Stop()

	_, raised, err := s.RecordCall(ctx, feverCall(1, c.Now()))
	if err != nil || len(raised) != 2 {
		t.Fatalf("raised %d alerts: %v", len(raised), err)
	}
	if _, err := s.Acknowledge(ctx, raised[0].ID, "grid:li", 8, "电话 13900001111 已联系"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Resolve(ctx, raised[0].ID, "grid:li", "ok"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "four events accepted", func() bool {
		_, acc, _ := rcv.snapshot()
		return len(acc) == 4 && st.Undelivered() == 0
	})
	n.Stop()
	tries, acc, bad := rcv.snapshot()
	if bad != 0 {
		t.Errorf("%d requests failed verification", bad)
	}
	for id, k := range acc {
		if k != 1 || tries[id] != 3 {
			t.Errorf("event %s: accepted %d times after %d tries; want once after 3", id, k, tries[id])
		}
	}
	want := []string{EventID(raised[0].Key, EventRaised), EventID(raised[1].Key, EventRaised),
		EventID(raised[0].Key, EventAcknowledged), EventID(raised[0].Key, EventResolved)}
	rcv.mu.Lock()
	order := append([]string(nil), rcv.order...)
	body := string(rcv.bodies[want[2]])
	rcv.mu.Unlock()
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("delivery order %v, want %v", order, want)
		}
	}
	if containsAny(body, "13900001111", "李四") {
		t.Errorf("acknowledged event leaks personal data: %s", body)
	}
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// failing is a Deliverer that fails until told otherwise.
type failing struct {
	mu        sync.Mutex
	err       error
	delivered map[string]int
}

func (f *failing) Deliver(_ context.Context, ev Event) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return 1, f.err
	}
	if f.delivered == nil {
		f.delivered = map[string]int{}
	}
	f.delivered[ev.ID]++
	return 1, nil
}

func TestNotifierReschedulesAndGivesUp(t *testing.T) {
	ctx := context.Background()
	c := newClock("2026-11-28 09:05")
	st := NewMemStore()
	ev := testEvent(c)
	if _, _, err := st.CreateAlert(ctx, ev.Alert, ev); err != nil {
		t.Fatal(err)
	}
	snd := &failing{err: &DeliveryError{Status: 503}}
	n, _ := NewNotifier(NotifierConfig{Outbox: st, Sender: snd, Now: c.Now, Rand: func() float64 { return 0 },
		Retry: Backoff{Base: time.Minute, Max: 4 * time.Minute}, MaxRounds: 4})
	waits := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute}
	for round, wait := range waits {
		if k, err := n.RunOnce(ctx); err != nil || k != 0 {
			t.Fatalf("round %d: delivered %d, %v", round+1, k, err)
		}
		if due, _ := st.Due(ctx, c.Now().Add(wait-time.Second), 10); len(due) != 0 {
			t.Fatalf("round %d: due again before %v", round+1, wait)
		}
		c.Advance(wait)
		due, _ := st.Due(ctx, c.Now(), 10)
		if len(due) != 1 || due[0].Attempts != round+1 || due[0].Event.ID != ev.ID {
			t.Fatalf("round %d: due %+v after %v", round+1, due, wait)
		}
	}
	n.RunOnce(ctx) // the fourth round fails too: given up
	c.Advance(24 * time.Hour)
	if due, _ := st.Due(ctx, c.Now(), 10); len(due) != 0 || st.Undelivered() != 1 {
		t.Fatalf("not given up after MaxRounds: %+v", due)
	}

	// A permanent failure is given up at once.
	ev2 := NewEvent(EventRaised, Alert{Key: "9/fever/2026-11-29", ResidentID: 9}, SystemActor, "", c.Now())
	st.CreateAlert(ctx, ev2.Alert, ev2)
	snd.err = &DeliveryError{Status: 410, Permanent: true}
	n.RunOnce(ctx)
	c.Advance(24 * time.Hour)
	if due, _ := st.Due(ctx, c.Now(), 10); len(due) != 0 {
		t.Fatalf("permanent failure retried: %+v", due)
	}
}

func TestNotifierOutboxSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	c := newClock("2026-11-28 09:05")
	st := NewMemStore()
	s, _ := NewService(Config{Records: st, Alerts: st, Now: c.Now, Location: shanghai})
	if _, _, err := s.RecordCall(ctx, feverCall(1, c.Now())); err != nil {
		t.Fatal(err)
	}
	down := &failing{err: errors.New("connection refused")}
	n1, _ := NewNotifier(NotifierConfig{Outbox: st, Sender: down, Now: c.Now})
	n1.RunOnce(ctx)
	n1.Stop() // never started: harmless
	// A new process (new notifier, same outbox) delivers once the receiver is back.
	c.Advance(time.Hour)
	up := &failing{}
	n2, _ := NewNotifier(NotifierConfig{Outbox: st, Sender: up, Now: c.Now, Interval: time.Hour})
	n2.Start(ctx)
	n2.Start(ctx) // a second Start is ignored
	eventually(t, 5*time.Second, "outbox drained", func() bool { return st.Undelivered() == 0 })
	n2.Stop()
	n2.Stop()
	up.mu.Lock()
	defer up.mu.Unlock()
	if len(up.delivered) != 2 {
		t.Fatalf("delivered %v, want the two raised events once each", up.delivered)
	}
	for id, k := range up.delivered {
		if k != 1 {
			t.Errorf("event %s delivered %d times", id, k)
		}
	}
}
