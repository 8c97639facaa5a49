// Command asynqpeer compares the dispatch queue of campaigns/queue with
// github.com/hibiken/asynq on the same Redis in one run: enqueue rate and
// process (claim-and-complete) rate. It is its own module so asynq never
// enters the product's module.
//
//	cd bench/asynqpeer && go run . [-n 100000] [-redis 127.0.0.1:6379]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"outreach/campaigns"
	"outreach/campaigns/queue"
)

func main() {
	n := flag.Int("n", 100_000, "tasks per measurement")
	addr := flag.String("redis", "127.0.0.1:6379", "Redis address (its db 15 is flushed)")
	workers := flag.Int("workers", 32, "concurrent enqueuers / processors on both sides")
	flag.Parse()
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: *addr, DB: 15, PoolSize: *workers * 2})
	if err := rdb.Ping(ctx).Err(); err != nil {
		log.Fatalf("Redis not reachable at %s: run scripts/provision.sh (%v)", *addr, err)
	}
	rdb.FlushDB(ctx)
	oe, op := ours(ctx, rdb, *n, *workers)
	rdb.FlushDB(ctx)
	ae, ap := theirs(ctx, *addr, *n, *workers)
	rdb.FlushDB(ctx)
	fmt.Printf("%-28s %14s %14s %8s %8s\n", "figure (tasks/s)", "outreach", "asynq", "ratio", "target")
	row := func(name string, a, b float64) {
		verdict := "PASS"
		if a < 1.5*b {
			verdict = "MISS"
		}
		fmt.Printf("%-28s %14.0f %14.0f %7.2fx %8s %s\n", name, a, b, a/b, "≥1.5x", verdict)
	}
	row("enqueue", oe, ae)
	row("process (claim+complete)", op, ap)
	if oe < 1.5*ae || op < 1.5*ap {
		os.Exit(1)
	}
}

// ours: enqueue n task ids in batches of 1,000 from `workers` goroutines,
// then claim-and-complete them in batches of 100 from `workers` goroutines.
func ours(ctx context.Context, rdb *redis.Client, n, workers int) (enq, proc float64) {
	q, err := queue.New(rdb, queue.Options{Prefix: "peer"})
	if err != nil {
		log.Fatal(err)
	}
	if err := q.Register(ctx, queue.Spec{ID: 1, Trunk: "t"}); err != nil {
		log.Fatal(err)
	}
	if err := q.SetTrunkLimits(ctx, "t", campaigns.Limits{}); err != nil { // claims fail closed without limits
		log.Fatal(err)
	}
	now := time.Now().Add(-time.Second)
	start := time.Now()
	parallel(workers, n/1000, func(i int) {
		batch := make([]campaigns.DueTask, 1000)
		for j := range batch {
			batch[j] = campaigns.DueTask{TaskID: int64(i*1000 + j + 1), Due: now}
		}
		if err := q.Enqueue(ctx, 1, batch); err != nil {
			log.Fatal(err)
		}
	})
	enq = float64(n) / time.Since(start).Seconds()
	var done atomic.Int64
	start = time.Now()
	parallel(workers, workers, func(w int) {
		for done.Load() < int64(n) {
			ls, err := q.Claim(ctx, fmt.Sprintf("w%d", w), 100)
			if err != nil {
				log.Fatal(err)
			}
			if len(ls) == 0 {
				return
			}
			if _, err := q.CompleteMany(ctx, ls); err != nil {
				log.Fatal(err)
			}
			done.Add(int64(len(ls)))
		}
	})
	return enq, float64(done.Load()) / time.Since(start).Seconds()
}

// theirs: asynq.Client.Enqueue of n tasks (payload: the task id) from
// `workers` goroutines, then an asynq.Server with Concurrency `workers`
// processing them with a no-op handler.
func theirs(ctx context.Context, addr string, n, workers int) (enq, proc float64) {
	opt := asynq.RedisClientOpt{Addr: addr, DB: 15, PoolSize: workers * 2}
	client := asynq.NewClient(opt)
	defer client.Close()
	start := time.Now()
	parallel(workers, n, func(i int) {
		if _, err := client.Enqueue(asynq.NewTask("call", []byte(fmt.Sprint(i)))); err != nil {
			log.Fatal(err)
		}
	})
	enq = float64(n) / time.Since(start).Seconds()
	var done atomic.Int64
	finished := make(chan struct{})
	srv := asynq.NewServer(opt, asynq.Config{Concurrency: workers, LogLevel: asynq.ErrorLevel})
	start = time.Now()
	mux := asynq.NewServeMux()
	mux.HandleFunc("call", func(context.Context, *asynq.Task) error {
		if done.Add(1) == int64(n) {
			close(finished)
		}
		return nil
	})
	if err := srv.Start(mux); err != nil {
		log.Fatal(err)
	}
	<-finished
	proc = float64(n) / time.Since(start).Seconds()
	srv.Shutdown()
	return enq, proc
}

// parallel runs f(0..jobs-1) on `workers` goroutines.
func parallel(workers, jobs int, f func(int)) {
	ch := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ch {
				f(i)
			}
		}()
	}
	for i := range jobs {
		ch <- i
	}
	close(ch)
	wg.Wait()
}
