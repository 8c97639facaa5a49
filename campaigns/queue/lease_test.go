package queue

import (
	"context"
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"outreach/campaigns"
)

func TestLeaseRenewAndRecoverOnce(t *testing.T) {
	forBackends(t, func(t *testing.T, rdb redis.UniversalClient) {
		ctx := context.Background()
		c := newClock()
		q := newQueue(t, rdb, c) // 30 s leases
		mustRegister(t, q, Spec{ID: 1, Trunk: "a"})
		fill(t, q, 1, 1, 10, c.Now())
		ls, err := q.Claim(ctx, "w", 10)
		if err != nil || len(ls) != 10 {
			t.Fatalf("claim = %d, %v", len(ls), err)
		}
		c.Add(20 * time.Second)
		kept, err := q.RenewMany(ctx, ls[:4]) // live calls renew
		if err != nil || len(kept) != 4 || !kept[0].Expires.Equal(c.Now().Add(30*time.Second)) {
			t.Fatalf("renew = %v, %v", kept, err)
		}
		if got, _ := q.Recover(ctx, 100); len(got) != 0 {
			t.Fatalf("recovered %d leases before expiry", len(got))
		}
		c.Add(15 * time.Second) // 35 s: the 6 not renewed expired
		got := recoverConcurrently(t, q, 8)
		sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
		var want []int64
		for _, l := range ls[4:] {
			want = append(want, l.TaskID)
		}
		sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
		if len(got) != len(want) {
			t.Fatalf("recovered %v, want %v exactly once", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("recovered %v, want %v", got, want)
			}
		}
		if _, err := q.Renew(ctx, ls[5]); !errors.Is(err, campaigns.ErrLeaseLost) {
			t.Fatalf("renew of a recovered lease = %v, want ErrLeaseLost", err)
		}
		if err := q.Complete(ctx, ls[5]); !errors.Is(err, campaigns.ErrLeaseLost) {
			t.Fatalf("complete of a recovered lease = %v, want ErrLeaseLost", err)
		}
		if r, _ := q.Recover(ctx, 100); len(r) != 0 {
			t.Fatalf("second recovery returned %d", len(r))
		}
		b, _ := q.Busy(ctx)
		if b.Global != 4 {
			t.Fatalf("busy = %d after recovery, want the 4 renewed", b.Global)
		}
		if _, err := q.Renew(ctx, ls[0]); err != nil {
			t.Fatalf("renewed lease lost: %v", err)
		}
	})
}

// recoverConcurrently runs Recover from n goroutines until nothing is left.
func recoverConcurrently(t *testing.T, q *Queue, n int) []int64 {
	var mu sync.Mutex
	var got []int64
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				r, err := q.Recover(context.Background(), 2)
				if err != nil {
					t.Error(err)
					return
				}
				if len(r) == 0 {
					return
				}
				mu.Lock()
				for _, l := range r {
					got = append(got, l.TaskID)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return got
}

// drainAll claims and completes everything due, counting claims per task.
func drainAll(t *testing.T, q *Queue) map[int64]int {
	seen := map[int64]int{}
	for {
		ls, err := q.Claim(context.Background(), "w2", 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(ls) == 0 {
			return seen
		}
		for _, l := range ls {
			seen[l.TaskID]++
		}
		if _, err := q.CompleteMany(context.Background(), ls); err != nil {
			t.Fatal(err)
		}
	}
}

// dbView builds the database's snapshot: live leases dialing, the rest queued.
func dbView(specs []Spec, db map[int64][]campaigns.DueTask, live []campaigns.Lease) (Snapshot, map[int64]campaigns.Lease) {
	liveIDs := map[int64]campaigns.Lease{}
	snap := Snapshot{Campaigns: specs, Due: map[int64][]campaigns.DueTask{}}
	for _, l := range live {
		liveIDs[l.TaskID] = l
		trunk := map[int64]string{1: "a", 2: "b"}[l.CampaignID]
		snap.Live = append(snap.Live, Live{TaskID: l.TaskID, CampaignID: l.CampaignID, Trunk: trunk, Token: l.Token, Worker: "w1", Expires: l.Expires})
	}
	for cid, ts := range db {
		for _, dt := range ts {
			if _, ok := liveIDs[dt.TaskID]; !ok {
				snap.Due[cid] = append(snap.Due[cid], dt)
			}
		}
	}
	return snap, liveIDs
}

// TestRebuildAfterFlush loses every key of the queue with calls live, then
// rebuilds from the database's view: no task lost, none duplicated, live
// leases kept with their tokens and line counts.
func TestRebuildAfterFlush(t *testing.T) {
	forBackends(t, func(t *testing.T, rdb redis.UniversalClient) {
		ctx := context.Background()
		c := newClock()
		q := newQueue(t, rdb, c)
		specs := []Spec{{ID: 1, Trunk: "a"}, {ID: 2, Trunk: "b", Priority: campaigns.PriorityUrgent}}
		db := map[int64][]campaigns.DueTask{}
		for _, s := range specs {
			mustRegister(t, q, s)
			ids := fill(t, q, s.ID, s.ID*1000, 300, c.Now())
			for _, id := range ids {
				db[s.ID] = append(db[s.ID], campaigns.DueTask{TaskID: id, Due: c.Now()})
			}
		}
		live, err := q.Claim(ctx, "w1", 20)
		if err != nil || len(live) != 20 {
			t.Fatalf("claim = %d, %v", len(live), err)
		}
		snap, liveIDs := dbView(specs, db, live)
		flushPrefix(t, rdb, q.KeyPrefix())
		if ls, _ := q.Claim(ctx, "w", 10); len(ls) != 0 {
			t.Fatal("claimed from a flushed queue")
		}
		// As Node.Reconcile: the limits are published again, then the rebuild.
		if err := q.SetGlobalLimits(ctx, campaigns.Limits{}); err != nil {
			t.Fatal(err)
		}
		if err := q.Rebuild(ctx, snap); err != nil {
			t.Fatal(err)
		}
		// A periodic rebuild whose snapshot raced a claim must not duplicate the live tasks.
		racy := Snapshot{Due: map[int64][]campaigns.DueTask{1: db[1], 2: db[2]}}
		if err := q.Rebuild(ctx, racy); err != nil {
			t.Fatal(err)
		}
		b, _ := q.Busy(ctx)
		if b.Global != 20 {
			t.Fatalf("busy after rebuild = %d, want 20", b.Global)
		}
		seen := drainAll(t, q)
		if len(seen) != 580 {
			t.Fatalf("claimed %d distinct tasks after rebuild, want 580", len(seen))
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("task %d claimed %d times", id, n)
			}
			if _, ok := liveIDs[id]; ok {
				t.Fatalf("live task %d handed out again", id)
			}
		}
		for _, l := range live {
			if err := q.Complete(ctx, l); err != nil {
				t.Fatalf("live lease of task %d lost in rebuild: %v", l.TaskID, err)
			}
		}
	})
}

// threeLinesLive queues 10 tasks of a campaign on trunk "a", limited to 3
// lines, and claims them: the 3 leases live.
func threeLinesLive(t *testing.T, rdb redis.UniversalClient) (*Queue, campaigns.Limits, []campaigns.Lease) {
	t.Helper()
	c := newClock()
	q := newQueue(t, rdb, c)
	mustRegister(t, q, Spec{ID: 1, Trunk: "a"})
	fill(t, q, 1, 1, 10, c.Now())
	lim := campaigns.Limits{MaxLines: 3}
	if err := q.SetTrunkLimits(context.Background(), "a", lim); err != nil {
		t.Fatal(err)
	}
	live, err := q.Claim(context.Background(), "w1", 10)
	if err != nil || len(live) != 3 {
		t.Fatalf("claim = %d, %v; want the trunk's 3 lines", len(live), err)
	}
	return q, lim, live
}

// TestClaimFailsClosedAfterLoss loses the limits and the line counters (but
// not the leases or the due tasks): nothing is claimed until the limits are
// back, and then the trunk's line limit still holds, counted from the leases.
func TestClaimFailsClosedAfterLoss(t *testing.T) {
	forBackends(t, func(t *testing.T, rdb redis.UniversalClient) {
		ctx := context.Background()
		q, lim, live := threeLinesLive(t, rdb)
		if err := rdb.Del(ctx, q.KeyPrefix()+"limits", q.KeyPrefix()+"busy").Err(); err != nil {
			t.Fatal(err)
		}
		if ls, err := q.Claim(ctx, "w2", 10); err != nil || len(ls) != 0 {
			t.Fatalf("claim without limits = %d, %v; want nothing (fail closed)", len(ls), err)
		}
		if err := q.SetTrunkLimits(ctx, "a", lim); err != nil {
			t.Fatal(err)
		}
		if ls, err := q.Claim(ctx, "w2", 10); err != nil || len(ls) != 0 {
			t.Fatalf("claim with 3 leases live = %d, %v; want nothing (busy recounted)", len(ls), err)
		}
		if b, _ := q.Busy(ctx); b.Global != 3 || b.Trunks["a"] != 3 || b.Campaigns[1] != 3 {
			t.Fatalf("busy after recount = %+v, want 3 everywhere", b)
		}
		if err := q.Complete(ctx, live[0]); err != nil {
			t.Fatal(err)
		}
		if ls, err := q.Claim(ctx, "w2", 10); err != nil || len(ls) != 1 {
			t.Fatalf("claim after one call ended = %d, %v; want 1", len(ls), err)
		}
	})
}

// As TestClaimFailsClosedAfterLoss, but a call ends before the next claim:
// the finish must not re-create the lost counters below the live calls.
func TestFinishAfterLostCountersKeepsLimit(t *testing.T) {
	forBackends(t, func(t *testing.T, rdb redis.UniversalClient) {
		ctx := context.Background()
		q, _, live := threeLinesLive(t, rdb)
		if err := rdb.Del(ctx, q.KeyPrefix()+"busy").Err(); err != nil {
			t.Fatal(err)
		}
		if err := q.Complete(ctx, live[0]); err != nil { // a call ends first
			t.Fatal(err)
		}
		ls, err := q.Claim(ctx, "w2", 10)
		if err != nil || len(ls) != 1 {
			b, _ := q.Busy(ctx)
			t.Fatalf("claimed %d with 2 of 3 lines live, want 1 (busy %+v, err %v)", len(ls), b, err)
		}
	})
}

func TestLeaderElection(t *testing.T) {
	forBackends(t, func(t *testing.T, rdb redis.UniversalClient) {
		ctx := context.Background()
		c := newClock()
		q := newQueue(t, rdb, c)
		a, _ := q.NewLeader("node-a", 10*time.Second)
		b, _ := q.NewLeader("node-b", 10*time.Second)
		fa, ok, err := a.Acquire(ctx)
		if err != nil || !ok {
			t.Fatalf("a acquire = %v, %v", ok, err)
		}
		if _, ok, _ := b.Acquire(ctx); ok {
			t.Fatal("two leaders")
		}
		c.Add(8 * time.Second)
		if f, ok, _ := a.Acquire(ctx); !ok || f != fa {
			t.Fatalf("renewal = %d,%v; want same fence %d", f, ok, fa)
		}
		c.Add(8 * time.Second) // renewed at 8 s, so still held at 16 s
		if _, ok, _ := b.Acquire(ctx); ok {
			t.Fatal("b took a renewed lock")
		}
		c.Add(11 * time.Second) // a stopped renewing
		fb, ok, _ := b.Acquire(ctx)
		if !ok || fb <= fa {
			t.Fatalf("b after expiry = %d,%v; want a fence above %d", fb, ok, fa)
		}
		if _, ok, _ := a.Acquire(ctx); ok {
			t.Fatal("stale leader re-acquired")
		}
		if err := b.Release(ctx); err != nil {
			t.Fatal(err)
		}
		fa2, ok, _ := a.Acquire(ctx)
		if !ok || fa2 <= fb {
			t.Fatalf("a after release = %d,%v; want a fence above %d", fa2, ok, fb)
		}
		// The fence keeps growing even if Redis loses the keys.
		flushPrefix(t, rdb, q.KeyPrefix())
		c.Add(time.Millisecond)
		if f, ok, _ := b.Acquire(ctx); !ok || f <= fa2 {
			t.Fatalf("after flush = %d,%v; want a fence above %d", f, ok, fa2)
		}
	})
}

func TestLeaderRace(t *testing.T) {
	forBackends(t, func(t *testing.T, rdb redis.UniversalClient) {
		ctx := context.Background()
		c := newClock()
		q := newQueue(t, rdb, c)
		var wg sync.WaitGroup
		var mu sync.Mutex
		leaders := 0
		for i := range 10 {
			l, _ := q.NewLeader(string(rune('a'+i)), time.Minute)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, ok, err := l.Acquire(ctx); err == nil && ok {
					mu.Lock()
					leaders++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if leaders != 1 {
			t.Fatalf("%d leaders elected, want 1", leaders)
		}
	})
}

type snapFunc func(context.Context) (Snapshot, error)

func (f snapFunc) Snapshot(ctx context.Context) (Snapshot, error) { return f(ctx) }

func TestReconcilerStartStop(t *testing.T) {
	rdb := realRedis(t)
	c := newClock()
	q := newQueue(t, rdb, c)
	calls := make(chan struct{}, 10)
	src := snapFunc(func(context.Context) (Snapshot, error) {
		calls <- struct{}{}
		return Snapshot{Campaigns: []Spec{{ID: 1, Trunk: "a"}},
			Due: map[int64][]campaigns.DueTask{1: {{TaskID: 9, Due: c.Now()}}}}, nil
	})
	r := q.NewReconciler(src, time.Hour)
	r.Start(context.Background())
	select {
	case <-calls:
	case <-time.After(5 * time.Second):
		t.Fatal("reconciler did not run at start")
	}
	r.Stop()
	if n, _ := q.Due(context.Background(), 1); n != 1 {
		t.Fatalf("due after reconcile = %d", n)
	}
}
