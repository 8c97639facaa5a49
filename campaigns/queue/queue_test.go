package queue

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"outreach/campaigns"
)

func TestClaimPriorityAndFairness(t *testing.T) {
	forBackends(t, func(t *testing.T, rdb redis.UniversalClient) {
		ctx := context.Background()
		c := newClock()
		q := newQueue(t, rdb, c)
		mustRegister(t, q, Spec{ID: 1, Priority: campaigns.PriorityRoutine, Trunk: "a"})
		mustRegister(t, q, Spec{ID: 2, Priority: campaigns.PriorityRoutine, Trunk: "a"})
		mustRegister(t, q, Spec{ID: 3, Priority: campaigns.PriorityUrgent, Trunk: "a"})
		past := c.Now().Add(-time.Minute)
		fill(t, q, 1, 100, 6, past)
		fill(t, q, 2, 200, 6, past)
		fill(t, q, 3, 300, 3, past)
		fill(t, q, 3, 390, 1, c.Now().Add(time.Hour)) // not due yet
		var got []int64
		for {
			ls, err := q.Claim(ctx, "w1", 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(ls) == 0 {
				break
			}
			got = append(got, ls[0].CampaignID)
		}
		want := []int64{3, 3, 3}
		if len(got) != 15 {
			t.Fatalf("claimed %d tasks, want 15: %v", len(got), got)
		}
		for i, w := range want {
			if got[i] != w {
				t.Fatalf("claim %d from campaign %d, want urgent %d first: %v", i, got[i], w, got)
			}
		}
		for i := 3; i < 15; i++ {
			if i > 3 && got[i] == got[i-1] {
				t.Fatalf("routine campaigns not alternating: %v", got)
			}
		}
	})
}

func TestBatchClaimRoundRobin(t *testing.T) {
	forBackends(t, func(t *testing.T, rdb redis.UniversalClient) {
		ctx := context.Background()
		c := newClock()
		q := newQueue(t, rdb, c)
		for cid := int64(1); cid <= 3; cid++ {
			mustRegister(t, q, Spec{ID: cid, Trunk: "a"})
			fill(t, q, cid, cid*1000, 10, c.Now())
		}
		ls, err := q.Claim(ctx, "w", 9)
		if err != nil {
			t.Fatal(err)
		}
		per := map[int64]int{}
		seen := map[int64]bool{}
		for _, l := range ls {
			per[l.CampaignID]++
			if seen[l.TaskID] {
				t.Fatalf("task %d handed out twice", l.TaskID)
			}
			seen[l.TaskID] = true
		}
		if len(ls) != 9 || per[1] != 3 || per[2] != 3 || per[3] != 3 {
			t.Fatalf("batch of 9 over 3 campaigns = %v (%d leases), want 3 each", per, len(ls))
		}
	})
}

func TestPauseResumeRemove(t *testing.T) {
	forBackends(t, func(t *testing.T, rdb redis.UniversalClient) {
		ctx := context.Background()
		c := newClock()
		q := newQueue(t, rdb, c)
		mustRegister(t, q, Spec{ID: 7, Trunk: "a"})
		fill(t, q, 7, 1, 5, c.Now())
		live, err := q.Claim(ctx, "w", 1)
		if err != nil || len(live) != 1 {
			t.Fatalf("claim = %v, %v", live, err)
		}
		if err := q.Pause(ctx, 7); err != nil {
			t.Fatal(err)
		}
		if ls, _ := q.Claim(ctx, "w", 10); len(ls) != 0 {
			t.Fatalf("claimed %d while paused", len(ls))
		}
		if err := q.Resume(ctx, 7); err != nil {
			t.Fatal(err)
		}
		if ls, _ := q.Claim(ctx, "w", 2); len(ls) != 2 {
			t.Fatalf("claimed %d after resume, want 2", len(ls))
		}
		n, err := q.Remove(ctx, 7)
		if err != nil || n != 2 {
			t.Fatalf("remove = %d, %v; want 2 dropped", n, err)
		}
		if ls, _ := q.Claim(ctx, "w", 10); len(ls) != 0 {
			t.Fatalf("claimed %d after cancel", len(ls))
		}
		if err := q.Complete(ctx, live[0]); err != nil { // a live call of a cancelled campaign finishes
			t.Fatalf("complete after remove: %v", err)
		}
	})
}

func TestEnqueueUnregistered(t *testing.T) {
	forBackends(t, func(t *testing.T, rdb redis.UniversalClient) {
		q := newQueue(t, rdb, newClock())
		err := q.Enqueue(context.Background(), 99, []campaigns.DueTask{{TaskID: 1, Due: time.Now()}})
		if err == nil {
			t.Fatal("enqueue for an unregistered campaign succeeded")
		}
	})
}

func TestCheckEviction(t *testing.T) {
	ctx := context.Background()
	if err := CheckEviction(ctx, realRedis(t)); err != nil {
		t.Fatalf("real redis: %v (the test server must run with maxmemory-policy noeviction)", err)
	}
	m := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer rdb.Close()
	if err := CheckEviction(ctx, rdb); err != nil {
		t.Fatalf("miniredis (no CONFIG) must be accepted: %v", err)
	}
	m.Close()
	if err := CheckEviction(ctx, rdb); err == nil {
		t.Fatal("a dead server must fail the check")
	}
}

func TestReleaseAndLostLease(t *testing.T) {
	forBackends(t, func(t *testing.T, rdb redis.UniversalClient) {
		ctx := context.Background()
		c := newClock()
		q := newQueue(t, rdb, c)
		mustRegister(t, q, Spec{ID: 1, Trunk: "a"})
		fill(t, q, 1, 1, 1, c.Now())
		ls, _ := q.Claim(ctx, "w", 1)
		if len(ls) != 1 {
			t.Fatal("no claim")
		}
		bad := ls[0]
		bad.Token = "other"
		if err := q.Complete(ctx, bad); !errors.Is(err, campaigns.ErrLeaseLost) {
			t.Fatalf("complete with a wrong token = %v, want ErrLeaseLost", err)
		}
		if err := q.Release(ctx, ls[0], c.Now().Add(10*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got, _ := q.Claim(ctx, "w", 1); len(got) != 0 {
			t.Fatal("released task claimed before its due time")
		}
		c.Add(10 * time.Minute)
		got, _ := q.Claim(ctx, "w", 1)
		if len(got) != 1 || got[0].TaskID != 1 {
			t.Fatalf("claim after due = %v", got)
		}
		b, _ := q.Busy(ctx)
		if b.Global != 1 || b.Trunks["a"] != 1 || b.Campaigns[1] != 1 {
			t.Fatalf("busy = %+v, want 1 everywhere", b)
		}
	})
}

func TestEvictionPolicies(t *testing.T) {
	for _, pol := range []string{"allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-ttl", ""} {
		if err := evictionOK(pol); err == nil {
			t.Errorf("policy %q accepted", pol)
		}
	}
	if err := evictionOK("noeviction"); err != nil {
		t.Fatal(err)
	}
}
