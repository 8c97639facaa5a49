package campaigns

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestScheduleOccurrences(t *testing.T) {
	s := Schedule{Cron: []string{"0 16 * * *", "0 9 * * *"}, Until: sh("2026-11-30 12:00:00")}
	got, err := s.Occurrences(sh("2026-11-28 09:00:00"), sh("2026-12-05 00:00:00"))
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Time{sh("2026-11-28 16:00:00"), sh("2026-11-29 09:00:00"), sh("2026-11-29 16:00:00"), sh("2026-11-30 09:00:00")}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if !got[i].Equal(want[i]) {
			t.Fatalf("occurrence %d = %s, want %s", i, got[i], want[i])
		}
	}
	// The same spec read in UTC fires 8 hours later.
	u := Schedule{Cron: []string{"0 9 * * *"}, Timezone: "UTC"}
	got, _ = u.Occurrences(sh("2026-11-28 00:00:00"), sh("2026-11-29 00:00:00"))
	if len(got) != 1 || !got[0].Equal(utc("2026-11-28 09:00:00")) {
		t.Fatalf("UTC: %v", got)
	}
	dup := Schedule{Cron: []string{"0 9 * * *", "0 9 * * *"}}
	if got, _ := dup.Occurrences(sh("2026-11-28 00:00:00"), sh("2026-11-29 00:00:00")); len(got) != 1 {
		t.Fatalf("two specs at one instant gave %d runs", len(got))
	}
	once := Schedule{At: sh("2026-11-28 10:00:00")}
	if got, _ := once.Occurrences(sh("2026-11-28 09:00:00"), sh("2026-11-28 10:00:00")); len(got) != 1 {
		t.Fatalf("one-off: %v", got)
	}
	if got, _ := once.Occurrences(sh("2026-11-28 10:00:00"), sh("2026-11-28 11:00:00")); len(got) != 0 {
		t.Fatalf("one-off fired twice: %v", got)
	}
	for _, bad := range []Schedule{{Cron: []string{"61 * * * *"}}, {Cron: []string{"0 9 * * *"}, Timezone: "Mars/Base"}, {}} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v validated", bad)
		}
	}
}

// runFake is an in-memory RunStore that refuses stale fences.
type runFake struct {
	mu       sync.Mutex
	camps    []Campaign
	runs     map[int64][]time.Time
	maxFence int64
	nextTask int64
	enqueued map[int64][]DueTask
}

func (f *runFake) ScheduledCampaigns(context.Context) ([]Campaign, error) { return f.camps, nil }
func (f *runFake) LastOccurrence(_ context.Context, id int64) (time.Time, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.runs[id]
	if len(r) == 0 {
		return time.Time{}, nil
	}
	return r[len(r)-1], nil
}
func (f *runFake) CreateRun(_ context.Context, fence int64, c Campaign, at time.Time) ([]DueTask, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fence < f.maxFence {
		return nil, errors.New("stale fence")
	}
	f.maxFence = fence
	for _, r := range f.runs[c.ID] {
		if r.Equal(at) {
			return nil, nil
		}
	}
	f.runs[c.ID] = append(f.runs[c.ID], at)
	f.nextTask++
	return []DueTask{{TaskID: f.nextTask, Due: at}}, nil
}
func (f *runFake) Enqueue(_ context.Context, cid int64, ts []DueTask) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.enqueued[cid] = append(f.enqueued[cid], ts...)
	return nil
}

// lockFake lets exactly one holder in.
type lockFake struct {
	mu     *sync.Mutex
	holder *string
	me     string
}

func (l lockFake) Acquire(context.Context) (int64, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if *l.holder == "" || *l.holder == l.me {
		*l.holder = l.me
		return 1, true, nil
	}
	return 0, false, nil
}
func (l lockFake) Release(context.Context) error { return nil }

func TestSchedulerFiresOnce(t *testing.T) {
	store := &runFake{runs: map[int64][]time.Time{}, enqueued: map[int64][]DueTask{},
		camps: []Campaign{{ID: 5, State: StateRunning, Schedule: Schedule{Cron: []string{"0 9 * * *", "0 16 * * *"}}}}}
	now := sh("2026-11-28 09:00:30")
	var mu sync.Mutex
	holder := ""
	var scheds []*Scheduler
	for _, me := range []string{"a", "b"} {
		scheds = append(scheds, NewScheduler(SchedulerConfig{Store: store, Queue: store, Lock: lockFake{&mu, &holder, me},
			Now: func() time.Time { return now }}))
	}
	for range 3 {
		leaders := 0
		for _, s := range scheds {
			led, err := s.Tick(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if led {
				leaders++
			}
		}
		if leaders != 1 {
			t.Fatalf("%d leaders", leaders)
		}
	}
	if n := len(store.runs[5]); n != 1 || !store.runs[5][0].Equal(sh("2026-11-28 09:00:00")) {
		t.Fatalf("runs = %v, want the 09:00 run once", store.runs[5])
	}
	now = sh("2026-11-29 10:00:00") // missed 16:00 (older than MaxLag) and 09:00 today (within)
	if _, err := scheds[0].Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(store.runs[5]); n != 2 || !store.runs[5][1].Equal(sh("2026-11-29 09:00:00")) {
		t.Fatalf("runs = %v", store.runs[5])
	}
	if len(store.enqueued[5]) != 2 {
		t.Fatalf("enqueued %v", store.enqueued[5])
	}
}

// A one-off run owed for longer than MaxLag (a draft launched late, or a
// long outage) still fires, exactly once; a recurring backlog does not.
func TestSchedulerLateOneOff(t *testing.T) {
	store := &runFake{runs: map[int64][]time.Time{}, enqueued: map[int64][]DueTask{}, camps: []Campaign{
		{ID: 7, State: StateRunning, Schedule: Schedule{At: sh("2026-11-27 08:00:00")}},
		{ID: 8, State: StateRunning, Schedule: Schedule{At: sh("2026-11-29 08:00:00")}},
		{ID: 9, State: StateRunning, Schedule: Schedule{Cron: []string{"0 8 * * *"}}},
	}}
	var mu sync.Mutex
	holder := ""
	now := sh("2026-11-28 15:00:00")
	s := NewScheduler(SchedulerConfig{Store: store, Queue: store, Lock: lockFake{&mu, &holder, "a"},
		Now: func() time.Time { return now }})
	for range 3 {
		if _, err := s.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := store.runs[7]; len(got) != 1 || !got[0].Equal(sh("2026-11-27 08:00:00")) {
		t.Fatalf("late one-off: runs %v, want its At once", got)
	}
	if got := store.runs[8]; len(got) != 0 {
		t.Fatalf("future one-off fired early: %v", got)
	}
	if got := store.runs[9]; len(got) != 0 {
		t.Fatalf("recurring backlog older than MaxLag fired: %v", got)
	}
}
