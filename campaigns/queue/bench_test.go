package queue

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"outreach/campaigns"
)

// BenchmarkEnqueue1M puts one million task ids on one campaign's queue in
// pipelined ZADD batches of 10k (target: <= 2 s per op on the dev machine).
func BenchmarkEnqueue1M(b *testing.B) {
	ctx := context.Background()
	rdb := realRedis(b)
	c := newClock()
	tasks := make([]campaigns.DueTask, 1_000_000)
	for i := range tasks {
		tasks[i] = campaigns.DueTask{TaskID: int64(i + 1), Due: c.Now().Add(time.Duration(i) * time.Millisecond)}
	}
	for b.Loop() {
		b.StopTimer()
		q := newQueue(b, rdb, c)
		mustRegister(b, q, Spec{ID: 1, Trunk: "a"})
		b.StartTimer()
		if err := q.Enqueue(ctx, 1, tasks); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if n, _ := q.Due(ctx, 1); n != int64(len(tasks)) {
			b.Fatalf("due = %d", n)
		}
		flushPrefix(b, rdb, q.KeyPrefix())
		b.StartTimer()
	}
	b.ReportMetric(float64(len(tasks))*float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
}

// BenchmarkClaimComplete claims batches of 100 (EVALSHA) and completes each
// batch in one script call; one op is one task (target: >= 20,000 tasks/s).
func BenchmarkClaimComplete(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) { benchClaimComplete(b, be.rdb(b)) })
	}
}

func benchClaimComplete(b *testing.B, rdb redis.UniversalClient) {
	ctx := context.Background()
	c := newClock()
	q := newQueue(b, rdb, c)
	for cid := int64(1); cid <= 4; cid++ {
		mustRegister(b, q, Spec{ID: cid, Trunk: "a"})
	}
	const batch = 100
	n := b.N + batch
	tasks := make([]campaigns.DueTask, 0, n/4+1)
	for cid := int64(1); cid <= 4; cid++ {
		tasks = tasks[:0]
		for i := 0; i < n/4+1; i++ {
			tasks = append(tasks, campaigns.DueTask{TaskID: cid*100_000_000 + int64(i), Due: c.Now()})
		}
		if err := q.Enqueue(ctx, cid, tasks); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	done := 0
	for done < b.N {
		ls, err := q.Claim(ctx, "bench", batch)
		if err != nil || len(ls) == 0 {
			b.Fatalf("claim = %d, %v", len(ls), err)
		}
		if _, err := q.CompleteMany(ctx, ls); err != nil {
			b.Fatal(err)
		}
		done += len(ls)
	}
	b.ReportMetric(float64(done)/b.Elapsed().Seconds(), "tasks/s")
}

// BenchmarkClaimCompleteParallel is BenchmarkClaimComplete with several
// workers claiming at once (GOMAXPROCS goroutines × 4).
func BenchmarkClaimCompleteParallel(b *testing.B) {
	ctx := context.Background()
	rdb := realRedis(b)
	c := newClock()
	q := newQueue(b, rdb, c)
	mustRegister(b, q, Spec{ID: 1, Trunk: "a"})
	tasks := make([]campaigns.DueTask, b.N+1)
	for i := range tasks {
		tasks[i] = campaigns.DueTask{TaskID: int64(i + 1), Due: c.Now()}
	}
	if err := q.Enqueue(ctx, 1, tasks); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		want := 0
		for pb.Next() {
			want++
			if want < 100 {
				continue
			}
			ls, err := q.Claim(ctx, "bench", want)
			if err != nil {
				b.Error(err)
				return
			}
			if _, err := q.CompleteMany(ctx, ls); err != nil {
				b.Error(err)
				return
			}
			want -= len(ls)
		}
		if want > 0 {
			ls, _ := q.Claim(ctx, "bench", want)
			_, _ = q.CompleteMany(ctx, ls)
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
}
