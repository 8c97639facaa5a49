package followup

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"outreach/campaigns"
)

// MemStore keeps records, alerts, the outbox and observations in memory. It
// implements RecordStore, AlertStore, Outbox and ObservationStore with the
// semantics storage must have; tests and the demo use it. Safe for
// concurrent use.
type MemStore struct {
	mu      sync.Mutex
	records map[string]Record
	alerts  []Alert // index = ID-1
	byKey   map[string]int64
	outbox  []*memEvent
	obs     []Observation
}

type memEvent struct {
	Pending
	next      time.Time
	delivered time.Time
	dead      bool
	reason    string
}

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	return &MemStore{records: map[string]Record{}, byKey: map[string]int64{}}
}

func recordKey(r int64, d campaigns.Date) string { return fmt.Sprintf("%d/%s", r, d) }

// Record implements RecordStore.
func (m *MemStore) Record(_ context.Context, residentID int64, d campaigns.Date) (Record, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.records[recordKey(residentID, d)]
	return r.clone(), ok, nil
}

// PutRecord implements RecordStore.
func (m *MemStore) PutRecord(_ context.Context, r Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.records[recordKey(r.ResidentID, r.Day)] = r.clone()
	return nil
}

// RecordsOn implements DayReader: the records of day d by resident id.
func (m *MemStore) RecordsOn(_ context.Context, d campaigns.Date) ([]Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Record
	for _, r := range m.records {
		if r.Day == d {
			out = append(out, r.clone())
		}
	}
	slices.SortFunc(out, func(a, b Record) int { return cmp.Compare(a.ResidentID, b.ResidentID) })
	return out, nil
}

// AlertsOn implements DayReader: the alerts of day d by id.
func (m *MemStore) AlertsOn(_ context.Context, d campaigns.Date) ([]Alert, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Alert
	for _, a := range m.alerts {
		if a.Day == d {
			out = append(out, a)
		}
	}
	return out, nil
}

// CreateAlert implements AlertStore.
func (m *MemStore) CreateAlert(_ context.Context, a Alert, ev Event) (Alert, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id, ok := m.byKey[a.Key]; ok {
		return m.alerts[id-1], false, nil
	}
	a.ID = int64(len(m.alerts) + 1)
	m.alerts = append(m.alerts, a)
	m.byKey[a.Key] = a.ID
	ev.Alert = a
	m.enqueue(ev)
	return a, true, nil
}

func (m *MemStore) enqueue(ev Event) {
	for _, e := range m.outbox {
		if e.Event.ID == ev.ID {
			return // idempotent by event id
		}
	}
	m.outbox = append(m.outbox, &memEvent{Pending: Pending{Event: ev}})
}

// Alert implements AlertStore.
func (m *MemStore) Alert(_ context.Context, id int64) (Alert, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id < 1 || id > int64(len(m.alerts)) {
		return Alert{}, fmt.Errorf("alert %d: %w", id, ErrNotFound)
	}
	return m.alerts[id-1], nil
}

// AlertByKey implements AlertStore.
func (m *MemStore) AlertByKey(_ context.Context, key string) (Alert, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.byKey[key]
	if !ok {
		return Alert{}, false, nil
	}
	return m.alerts[id-1], true, nil
}

// UpdateAlert implements AlertStore.
func (m *MemStore) UpdateAlert(_ context.Context, a Alert, from AlertStatus, ev Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if a.ID < 1 || a.ID > int64(len(m.alerts)) {
		return fmt.Errorf("alert %d: %w", a.ID, ErrNotFound)
	}
	if m.alerts[a.ID-1].Status != from {
		return fmt.Errorf("alert %d is %s, not %s: %w", a.ID, m.alerts[a.ID-1].Status, from, ErrConflict)
	}
	m.alerts[a.ID-1] = a
	m.enqueue(ev)
	return nil
}

// Alerts returns every alert, by id.
func (m *MemStore) Alerts() []Alert {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.alerts)
}

// Due implements Outbox.
func (m *MemStore) Due(_ context.Context, now time.Time, limit int) ([]Pending, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Pending
	waiting := map[string]bool{} // alerts with an older event still to deliver
	for _, e := range m.outbox {
		if len(out) == limit {
			break
		}
		if !e.delivered.IsZero() || e.dead {
			continue
		}
		key := e.Event.Alert.Key
		if !e.next.After(now) && !waiting[key] {
			out = append(out, e.Pending)
		}
		waiting[key] = true
	}
	return out, nil
}

// Delivered implements Outbox.
func (m *MemStore) Delivered(_ context.Context, id string, at time.Time) error {
	return m.event(id, func(e *memEvent) { e.delivered = at })
}

// Failed implements Outbox.
func (m *MemStore) Failed(_ context.Context, id string, attempts int, next time.Time, reason string) error {
	return m.event(id, func(e *memEvent) {
		e.Attempts, e.next, e.reason, e.dead = attempts, next, reason, next.IsZero()
	})
}

func (m *MemStore) event(id string, f func(*memEvent)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.outbox {
		if e.Event.ID == id {
			f(e)
			return nil
		}
	}
	return fmt.Errorf("event %s: %w", id, ErrNotFound)
}

// Events returns every event ever enqueued, oldest first.
func (m *MemStore) Events() []Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Event, len(m.outbox))
	for i, e := range m.outbox {
		out[i] = e.Event
	}
	return out
}

// Undelivered counts the events not yet delivered (given-up ones included).
func (m *MemStore) Undelivered() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, e := range m.outbox {
		if e.delivered.IsZero() {
			n++
		}
	}
	return n
}

// AddObservation implements ObservationStore.
func (m *MemStore) AddObservation(_ context.Context, o Observation) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o.ID = int64(len(m.obs) + 1)
	o.CallTimes = slices.Clone(o.CallTimes)
	m.obs = append(m.obs, o)
	return o.ID, nil
}

// SetRelease implements ObservationStore.
func (m *MemStore) SetRelease(_ context.Context, id int64, release campaigns.Date) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id < 1 || id > int64(len(m.obs)) {
		return fmt.Errorf("observation %d: %w", id, ErrNotFound)
	}
	m.obs[id-1].Release = release
	return nil
}

// Observations returns every observation period, by id.
func (m *MemStore) Observations() []Observation {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.obs)
}

var (
	_ RecordStore      = (*MemStore)(nil)
	_ AlertStore       = (*MemStore)(nil)
	_ Outbox           = (*MemStore)(nil)
	_ ObservationStore = (*MemStore)(nil)
	_ DayReader        = (*MemStore)(nil)
)
