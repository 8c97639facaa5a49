package campaigns_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"outreach/campaigns"
	"outreach/campaigns/queue"
)

// runStore is a RunStore fake that refuses stale fences, like storage must.
type runStore struct {
	mu       sync.Mutex
	camps    []campaigns.Campaign
	runs     []time.Time
	maxFence int64
	refused  int
}

func (r *runStore) ScheduledCampaigns(context.Context) ([]campaigns.Campaign, error) {
	return r.camps, nil
}
func (r *runStore) LastOccurrence(context.Context, int64) (time.Time, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.runs) == 0 {
		return time.Time{}, nil
	}
	return r.runs[len(r.runs)-1], nil
}
func (r *runStore) CreateRun(_ context.Context, fence int64, _ campaigns.Campaign, at time.Time) ([]campaigns.DueTask, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if fence < r.maxFence {
		r.refused++
		return nil, errors.New("stale fence")
	}
	r.maxFence = fence
	for _, x := range r.runs {
		if x.Equal(at) {
			return nil, nil
		}
	}
	r.runs = append(r.runs, at)
	return []campaigns.DueTask{{TaskID: int64(len(r.runs)), Due: at}}, nil
}

// TestSchedulersElectOneLeader: two schedulers share a Redis leader lock;
// each occurrence fires once, and a deposed leader's fence is refused.
func TestSchedulersElectOneLeader(t *testing.T) {
	for name, rdb := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			h := newHarness(t, rdb, sh("2026-11-28 08:59"), nil)
			store := &runStore{camps: []campaigns.Campaign{{ID: 1, State: campaigns.StateRunning,
				Schedule: campaigns.Schedule{Cron: []string{"0 9 * * *", "0 16 * * *"}}}}}
			var scheds []*campaigns.Scheduler
			var locks []*queue.Leader
			for _, me := range []string{"node-a", "node-b"} {
				l, err := h.q.NewLeader(me, 30*time.Second)
				if err != nil {
					t.Fatal(err)
				}
				locks = append(locks, l)
				scheds = append(scheds, campaigns.NewScheduler(campaigns.SchedulerConfig{Store: store, Queue: h.q, Lock: l, Now: h.clock.Now}))
			}
			for step := 0; step < 20; step++ { // 08:59 … 09:09, both ticking every 30 s
				led := 0
				for _, s := range scheds {
					ok, err := s.Tick(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if ok {
						led++
					}
				}
				if led != 1 {
					t.Fatalf("step %d: %d leaders", step, led)
				}
				h.clock.Add(30 * time.Second)
			}
			if len(store.runs) != 1 || !store.runs[0].Equal(sh("2026-11-28 09:00")) {
				t.Fatalf("runs %v, want 09:00 once", store.runs)
			}
			if n, _ := h.q.Due(ctx, 1); n != 1 {
				t.Fatalf("run's task not enqueued (due=%d)", n)
			}
			// node-a stops renewing; node-b takes over with a larger fence, and
			// storage then refuses node-a's old fence.
			fa, ok, _ := locks[0].Acquire(ctx)
			if !ok {
				t.Fatal("a lost the lock early")
			}
			h.clock.Add(31 * time.Second)
			if fb, ok, _ := locks[1].Acquire(ctx); !ok || fb <= fa {
				t.Fatalf("b takeover = %d,%v; want fence above %d", fb, ok, fa)
			}
			h.clock.Add(sh("2026-11-28 16:00").Sub(h.clock.Now()))
			if led, err := scheds[1].Tick(ctx); !led || err != nil {
				t.Fatalf("b tick = %v, %v", led, err)
			}
			if len(store.runs) != 2 {
				t.Fatalf("runs %v, want the 16:00 run from b", store.runs)
			}
			if _, err := store.CreateRun(ctx, fa, store.camps[0], sh("2026-11-28 17:00")); err == nil {
				t.Fatal("a stale fence was accepted")
			}
		})
	}
}
