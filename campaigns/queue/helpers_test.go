package queue

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
)

// clock is an injected test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func redisAddr() string {
	if a := os.Getenv("OUTREACH_TEST_REDIS"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// realRedis connects to the test Redis; a missing server fails the test.
func realRedis(tb testing.TB) *redis.Client {
	tb.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr(), PoolSize: 64})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		tb.Fatalf("Redis not reachable at %s: run scripts/provision.sh or set OUTREACH_TEST_REDIS (%v)", redisAddr(), err)
	}
	tb.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

type backend struct {
	name string
	rdb  func(testing.TB) redis.UniversalClient
}

// backends are the servers every queue test runs on: real Redis and the
// embedded miniredis used by the zero-setup mode.
var backends = []backend{
	{"redis", func(tb testing.TB) redis.UniversalClient { return realRedis(tb) }},
	{"miniredis", func(tb testing.TB) redis.UniversalClient {
		m := miniredis.RunT(tb)
		rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), PoolSize: 64})
		tb.Cleanup(func() { _ = rdb.Close() })
		return rdb
	}},
}

func randPrefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "test-" + hex.EncodeToString(b[:])
}

// newQueue returns a queue under a fresh prefix whose keys are deleted after the test.
func newQueue(tb testing.TB, rdb redis.UniversalClient, c *clock) *Queue {
	tb.Helper()
	q, err := New(rdb, Options{Prefix: randPrefix(), Now: c.Now, Lease: 30 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { flushPrefix(tb, rdb, q.KeyPrefix()) })
	// claim fails closed until limits are published: publish "no limit".
	if err := q.SetGlobalLimits(context.Background(), campaigns.Limits{}); err != nil {
		tb.Fatal(err)
	}
	return q
}

// flushPrefix deletes every key of a queue.
func flushPrefix(tb testing.TB, rdb redis.UniversalClient, prefix string) {
	ctx := context.Background()
	var cursor uint64
	for {
		keys, next, err := rdb.Scan(ctx, cursor, prefix+"*", 1000).Result()
		if err != nil {
			tb.Errorf("scan %s: %v", prefix, err)
			return
		}
		if len(keys) > 0 {
			if err := rdb.Del(ctx, keys...).Err(); err != nil {
				tb.Errorf("del: %v", err)
			}
		}
		if next == 0 {
			return
		}
		cursor = next
	}
}

func forBackends(t *testing.T, f func(t *testing.T, rdb redis.UniversalClient)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			f(t, b.rdb(t))
		})
	}
}

func mustRegister(t testing.TB, q *Queue, s Spec) {
	t.Helper()
	if err := q.Register(context.Background(), s); err != nil {
		t.Fatal(err)
	}
}

// fill enqueues n tasks with ids from first, due at due.
func fill(t testing.TB, q *Queue, cid int64, first int64, n int, due time.Time) []int64 {
	t.Helper()
	tasks := make([]campaigns.DueTask, n)
	ids := make([]int64, n)
	for i := range tasks {
		ids[i] = first + int64(i)
		tasks[i] = campaigns.DueTask{TaskID: ids[i], Due: due}
	}
	if err := q.Enqueue(context.Background(), cid, tasks); err != nil {
		t.Fatal(err)
	}
	return ids
}
