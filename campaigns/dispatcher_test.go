package campaigns_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"outreach/campaigns"
	"outreach/campaigns/queue"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func sh(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// fakePlacer answers each number with a scripted sequence of outcomes.
type fakePlacer struct {
	mu       sync.Mutex
	now      func() time.Time
	script   map[string][]campaigns.Outcome
	calls    map[int64]int
	cur, max int
	started  chan int64    // optional: told when a call starts
	block    chan struct{} // optional: calls wait for it (or their ctx)
}

func (p *fakePlacer) Place(ctx context.Context, _ campaigns.Campaign, t campaigns.Task, _ campaigns.Attempt) (campaigns.CallResult, error) {
	p.mu.Lock()
	p.cur++
	p.max = max(p.max, p.cur)
	p.calls[t.ID]++
	var o campaigns.Outcome = campaigns.OutcomeCompleted
	if s := p.script[t.Phone]; len(s) > 0 {
		o, p.script[t.Phone] = s[0], s[1:]
	}
	p.mu.Unlock()
	defer func() { p.mu.Lock(); p.cur--; p.mu.Unlock() }()
	start := p.now()
	if p.started != nil {
		p.started <- t.ID
	}
	if p.block != nil {
		select {
		case <-p.block:
		case <-ctx.Done():
			return campaigns.CallResult{Outcome: campaigns.OutcomeCancelled, Start: start, End: p.now()}, ctx.Err()
		}
	}
	runtimeYield()
	return campaigns.CallResult{Outcome: o, Answered: o == campaigns.OutcomeCompleted, Start: start, End: p.now()}, nil
}

func runtimeYield() { time.Sleep(time.Millisecond) } // a call takes a moment, so calls overlap

type harness struct {
	q      *queue.Queue
	store  *memStore
	placer *fakePlacer
	clock  *clock
	d      *campaigns.Dispatcher
	camp   campaigns.Campaign
}

func backends(t *testing.T) map[string]redis.UniversalClient {
	addr := os.Getenv("OUTREACH_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	real := redis.NewClient(&redis.Options{Addr: addr})
	if err := real.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("Redis not reachable at %s: run scripts/provision.sh or set OUTREACH_TEST_REDIS (%v)", addr, err)
	}
	m := miniredis.RunT(t)
	mini := redis.NewClient(&redis.Options{Addr: m.Addr()})
	t.Cleanup(func() { real.Close(); mini.Close() })
	return map[string]redis.UniversalClient{"redis": real, "miniredis": mini}
}

func newHarness(t *testing.T, rdb redis.UniversalClient, start time.Time, cfg func(*campaigns.DispatcherConfig)) *harness {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	c := &clock{t: start}
	q, err := queue.New(rdb, queue.Options{Prefix: "dt-" + hex.EncodeToString(b[:]), Now: c.Now, Lease: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		keys, _ := rdb.Keys(context.Background(), q.KeyPrefix()+"*").Result()
		if len(keys) > 0 {
			rdb.Del(context.Background(), keys...)
		}
	})
	rules := campaigns.DefaultRules()
	rules.DailyCap = 10
	camp := campaigns.Campaign{ID: 1, State: campaigns.StateRunning, Trunk: "t1", Rules: rules, Retry: campaigns.DefaultRetryPolicy()}
	store := newMemStore()
	store.camps[1] = camp
	if err := q.Register(context.Background(), queue.SpecOf(camp)); err != nil {
		t.Fatal(err)
	}
	if err := q.SetTrunkLimits(context.Background(), "t1", campaigns.Limits{}); err != nil {
		t.Fatal(err) // claims fail closed until a trunk's limits are published
	}
	p := &fakePlacer{now: c.Now, script: map[string][]campaigns.Outcome{}, calls: map[int64]int{}}
	dc := campaigns.DispatcherConfig{Worker: "w1", Queue: q, Tasks: store, Rules: store, Placer: p, Handoff: store,
		Now: c.Now, Lines: 4, Poll: 5 * time.Millisecond, RenewEvery: time.Hour, RecoverEvery: time.Hour}
	if cfg != nil {
		cfg(&dc)
	}
	d, err := campaigns.NewDispatcher(dc)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{q: q, store: store, placer: p, clock: c, d: d, camp: camp}
}

// add creates tasks due now for the given numbers (ids 1..n) and enqueues them.
func (h *harness) add(t *testing.T, phones ...string) {
	t.Helper()
	var due []campaigns.DueTask
	for i, ph := range phones {
		id := int64(i + 1)
		h.store.addTask(campaigns.Task{ID: id, CampaignID: 1, ResidentID: 100 + id, Phone: ph, Due: h.clock.Now()})
		due = append(due, campaigns.DueTask{TaskID: id, Due: h.clock.Now()})
	}
	if err := h.q.Enqueue(context.Background(), 1, due); err != nil {
		t.Fatal(err)
	}
}

// drain claims and handles everything due now.
func (h *harness) drain(t *testing.T) int {
	t.Helper()
	total := 0
	for {
		n, err := h.d.ClaimOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		h.d.Wait()
		if n == 0 {
			return total
		}
		total += n
	}
}

func TestDispatcherRetriesAndOutcomes(t *testing.T) {
	for name, rdb := range backends(t) {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, rdb, sh("2026-11-28 10:00"), nil)
			B, N := campaigns.OutcomeBusy, campaigns.OutcomeNoAnswer
			h.placer.script["+8613800000002"] = []campaigns.Outcome{B, campaigns.OutcomeCompleted}
			h.placer.script["+8613800000003"] = []campaigns.Outcome{campaigns.OutcomeRejected}
			h.placer.script["+8613800000005"] = []campaigns.Outcome{N, N, N, N}
			h.placer.script["+8613800000006"] = []campaigns.Outcome{campaigns.OutcomeTrunkError, campaigns.OutcomeCompleted}
			h.add(t, "13800000001", "13800000002", "13800000003", "110", "13800000005", "13800000006")
			for round := 0; round < 12; round++ {
				h.drain(t)
				h.clock.Add(31 * time.Minute)
			}
			want := []struct {
				state    campaigns.TaskState
				attempts int
			}{
				{campaigns.TaskDone, 1}, {campaigns.TaskDone, 2}, {campaigns.TaskStopped, 1},
				{campaigns.TaskStopped, 0}, {campaigns.TaskExhausted, 4}, {campaigns.TaskDone, 2},
			}
			for i, w := range want {
				id := int64(i + 1)
				if got := h.store.task(id); got.State != w.state || h.store.attemptCount(id) != w.attempts {
					t.Errorf("task %d: %s after %d attempts (%v), want %s after %d", id, got.State, h.store.attemptCount(id), got.Outcomes, w.state, w.attempts)
				}
			}
			if h.store.closed[4] != campaigns.ReasonDialPlan {
				t.Errorf("emergency number closed for %s", h.store.closed[4])
			}
			if len(h.store.exhausted) != 1 || h.store.exhausted[0] != 5 || len(h.store.offers) != 1 || h.store.offers[0] != 3 {
				t.Errorf("handoff: exhausted %v offers %v", h.store.exhausted, h.store.offers)
			}
			if n, _ := h.q.Due(context.Background(), 1); n != 0 {
				t.Errorf("%d tasks left on the queue", n)
			}
			if b, _ := h.q.Busy(context.Background()); b.Global != 0 {
				t.Errorf("%d lines still busy", b.Global)
			}
		})
	}
}

func TestDispatcherDefersOutsideWindow(t *testing.T) {
	for name, rdb := range backends(t) {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, rdb, sh("2026-11-28 21:00"), nil)
			h.add(t, "13800000001")
			h.drain(t)
			if got := h.store.deferred[1]; !got.Equal(sh("2026-11-29 08:00")) {
				t.Fatalf("deferred to %s, want next morning 08:00", got)
			}
			if h.placer.calls[1] != 0 {
				t.Fatal("called at night")
			}
			h.clock.Add(10*time.Hour + 59*time.Minute) // 07:59
			if h.drain(t) != 0 {
				t.Fatal("claimed before the window opened")
			}
			h.clock.Add(time.Minute)
			h.drain(t)
			if st := h.store.task(1).State; st != campaigns.TaskDone || h.placer.calls[1] != 1 {
				t.Fatalf("task %s after %d calls", st, h.placer.calls[1])
			}
		})
	}
}

func TestDispatcherFenceAndPause(t *testing.T) {
	for name, rdb := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			h := newHarness(t, rdb, sh("2026-11-28 10:00"), nil)
			h.add(t, "13800000001", "13800000002")
			// Another worker already moved task 1 to dialing: it must not be dialed again.
			if _, err := h.store.BeginAttempt(ctx, 1, "other", "w0", h.clock.Now()); err != nil {
				t.Fatal(err)
			}
			if err := h.q.Pause(ctx, 1); err != nil {
				t.Fatal(err)
			}
			if h.drain(t) != 0 {
				t.Fatal("claimed a paused campaign")
			}
			if err := h.q.Resume(ctx, 1); err != nil {
				t.Fatal(err)
			}
			h.drain(t)
			if h.placer.calls[1] != 0 || h.placer.calls[2] != 1 || h.store.attemptCount(1) != 1 {
				t.Fatalf("calls %v, attempts of task 1 = %d", h.placer.calls, h.store.attemptCount(1))
			}
		})
	}
}

// TestDispatcherExpiredLease: a worker's lease expires mid-call; the
// recoverer (another process) finishes the attempt as interrupted and
// requeues it by policy; the late worker's result is refused.
func TestDispatcherExpiredLease(t *testing.T) {
	for name, rdb := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			h := newHarness(t, rdb, sh("2026-11-28 10:00"), nil)
			h.placer.started = make(chan int64, 1)
			h.placer.block = make(chan struct{})
			h.add(t, "13800000001")
			if n, err := h.d.ClaimOnce(ctx); n != 1 || err != nil {
				t.Fatalf("claim = %d, %v", n, err)
			}
			<-h.placer.started
			h.clock.Add(31 * time.Second)
			rec, _ := campaigns.NewDispatcher(campaigns.DispatcherConfig{Worker: "w2", Queue: h.q, Tasks: h.store,
				Rules: h.store, Placer: h.placer, Now: h.clock.Now})
			if n, err := rec.RecoverOnce(ctx); n != 1 || err != nil {
				t.Fatalf("recover = %d, %v", n, err)
			}
			if n, _ := rec.RecoverOnce(ctx); n != 0 {
				t.Fatalf("recovered again: %d", n)
			}
			task := h.store.task(1)
			if task.State != campaigns.TaskQueued || len(task.Outcomes) != 1 || task.Outcomes[0] != campaigns.OutcomeInterrupted ||
				!task.Due.Equal(h.clock.Now().Add(10*time.Minute)) {
				t.Fatalf("after recovery: %+v", task)
			}
			h.placer.started = nil
			close(h.placer.block) // the old call ends late
			h.d.Wait()
			if got := h.store.task(1); len(got.Outcomes) != 1 {
				t.Fatalf("late result recorded: %v", got.Outcomes)
			}
			h.clock.Add(10 * time.Minute)
			h.drain(t)
			if got := h.store.task(1); got.State != campaigns.TaskDone || h.store.attemptCount(1) != 2 {
				t.Fatalf("retry: %s with %d attempts", got.State, h.store.attemptCount(1))
			}
		})
	}
}

// TestDispatcherLostLeaseHangsUp: when renewal finds the lease gone, the
// call is hung up so a task never has two live calls.
func TestDispatcherLostLeaseHangsUp(t *testing.T) {
	rdb := backends(t)["redis"]
	ctx := context.Background()
	h := newHarness(t, rdb, sh("2026-11-28 10:00"), func(c *campaigns.DispatcherConfig) { c.RenewEvery = 2 * time.Millisecond })
	h.placer.started = make(chan int64, 1)
	h.placer.block = make(chan struct{})
	h.add(t, "13800000001")
	if n, _ := h.d.ClaimOnce(ctx); n != 1 {
		t.Fatal("no claim")
	}
	<-h.placer.started
	h.store.mu.Lock()
	a := h.store.attempts[0].a
	h.store.mu.Unlock()
	// Someone else ends the lease (e.g. a recoverer on another node).
	if err := h.q.Complete(ctx, campaigns.Lease{TaskID: 1, CampaignID: 1, Token: a.Token}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { h.d.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("call not hung up after the lease was lost")
	}
	got := h.store.task(1)
	if len(got.Outcomes) != 1 || got.Outcomes[0] != campaigns.OutcomeInterrupted || got.State != campaigns.TaskQueued {
		t.Fatalf("task %+v, want interrupted and queued for a retry", got)
	}
	if n, _ := h.q.Due(ctx, 1); n != 1 {
		t.Fatalf("retry not on the queue (due=%d)", n)
	}
}

// TestDispatcherShutdownMidCall: a call cut by the process's context ending
// is recorded as interrupted (retried), not as a final cancellation.
func TestDispatcherShutdownMidCall(t *testing.T) {
	rdb := backends(t)["miniredis"]
	h := newHarness(t, rdb, sh("2026-11-28 10:00"), nil)
	h.placer.started = make(chan int64, 1)
	h.placer.block = make(chan struct{})
	h.add(t, "13800000001")
	ctx, cancel := context.WithCancel(context.Background())
	if n, _ := h.d.ClaimOnce(ctx); n != 1 {
		t.Fatal("no claim")
	}
	<-h.placer.started
	cancel()
	h.d.Wait()
	got := h.store.task(1)
	if got.State != campaigns.TaskQueued || len(got.Outcomes) != 1 || got.Outcomes[0] != campaigns.OutcomeInterrupted ||
		!got.Due.Equal(h.clock.Now().Add(10*time.Minute)) {
		t.Fatalf("task after shutdown: %+v", got)
	}
}

func TestDispatcherStartStop(t *testing.T) {
	rdb := backends(t)["redis"]
	h := newHarness(t, rdb, sh("2026-11-28 10:00"), func(c *campaigns.DispatcherConfig) { c.Lines = 3 })
	var phones []string
	for i := 0; i < 30; i++ {
		phones = append(phones, "1380000"+string(rune('1'+i/10))+"00"+string(rune('0'+i%10)))
	}
	h.add(t, phones...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.d.Start(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for {
		done := 0
		for id := int64(1); id <= 30; id++ {
			if h.store.task(id).State == campaigns.TaskDone {
				done++
			}
		}
		if done == 30 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of 30 done", done)
		}
		time.Sleep(5 * time.Millisecond) // polling with a deadline
	}
	h.d.Stop()
	if h.placer.max > 3 || h.placer.max < 2 {
		t.Fatalf("max concurrent calls %d, want 2..3 (Lines=3)", h.placer.max)
	}
}

func TestNewDispatcherValidates(t *testing.T) {
	if _, err := campaigns.NewDispatcher(campaigns.DispatcherConfig{}); err == nil {
		t.Fatal("empty config accepted")
	}
}
