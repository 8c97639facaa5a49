// Package queue is the Redis dispatch queue of campaigns: due tasks per
// campaign scored by due time, leases, line and CPS limits, the reconciler's
// rebuild and the scheduler's leader lock. It holds ids only.
//
// Every key starts with the hash tag "{prefix}:" so that all of a queue's
// keys live in one Redis Cluster slot and every script is atomic over them;
// KEYS.md lists the keys and each script's KEYS/ARGV. All times (due times,
// lease expiries, CPS windows, the leader lock) are ZSET scores or hash
// fields computed from the injected clock and passed in ARGV, never key TTLs,
// so the scripts behave alike on Redis and on the embedded miniredis.
package queue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"outreach/campaigns"
)

// Options configures a Queue.
type Options struct {
	Prefix string           // hash tag of every key; default "outreach"
	Now    func() time.Time // nil = time.Now
	Lease  time.Duration    // lease length; default 30 s
	Logger *slog.Logger
}

// Queue is the Redis dispatch queue; safe for concurrent use.
type Queue struct {
	rdb   redis.UniversalClient
	p     string // "{prefix}:"
	now   func() time.Time
	lease time.Duration
	log   *slog.Logger
	s     scripts
}

var _ campaigns.Queue = (*Queue)(nil)
var _ campaigns.Enqueuer = (*Queue)(nil)

// New returns a queue on rdb.
func New(rdb redis.UniversalClient, o Options) (*Queue, error) {
	if o.Prefix == "" {
		o.Prefix = "outreach"
	}
	if strings.ContainsAny(o.Prefix, "{}") {
		return nil, fmt.Errorf("queue: prefix %q: must not contain braces", o.Prefix)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Lease <= 0 {
		o.Lease = 30 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Queue{rdb: rdb, p: "{" + o.Prefix + "}:", now: o.Now, lease: o.Lease, log: o.Logger, s: loadScripts()}, nil
}

// KeyPrefix returns "{prefix}:", the start of every key of this queue.
func (q *Queue) KeyPrefix() string { return q.p }

// LeaseLength returns the configured lease length.
func (q *Queue) LeaseLength() time.Duration { return q.lease }

func ms(t time.Time) int64 { return t.UnixMilli() }

func id(v int64) string { return strconv.FormatInt(v, 10) }

func newToken() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// CheckEviction refuses a Redis whose maxmemory-policy may evict keys: only
// noeviction keeps the queue whole. A server without CONFIG (the embedded
// miniredis) is accepted.
func CheckEviction(ctx context.Context, rdb redis.UniversalClient) error {
	res, err := rdb.ConfigGet(ctx, "maxmemory-policy").Result()
	if err != nil {
		var rerr redis.Error
		if errors.As(err, &rerr) && strings.Contains(strings.ToLower(err.Error()), "unknown command") {
			return nil
		}
		return fmt.Errorf("redis eviction check: %w", err)
	}
	return evictionOK(res["maxmemory-policy"])
}

func evictionOK(policy string) error {
	if policy != "noeviction" {
		return fmt.Errorf("redis eviction check: maxmemory-policy is %q: set it to noeviction (keys must never be evicted)", policy)
	}
	return nil
}

// Spec is a campaign's dispatch settings.
type Spec struct {
	ID       int64
	Priority campaigns.Priority
	Trunk    string
	Limits   campaigns.Limits
	Paused   bool
}

// SpecOf returns the dispatch settings of c (paused unless running).
func SpecOf(c campaigns.Campaign) Spec {
	return Spec{ID: c.ID, Priority: c.Priority, Trunk: c.Trunk, Limits: c.Limits, Paused: !c.State.Claimable()}
}

func prioCode(p campaigns.Priority) string {
	if p == campaigns.PriorityUrgent {
		return "u"
	}
	return "r"
}

// Register creates or updates a campaign's settings; it must precede Enqueue.
func (q *Queue) Register(ctx context.Context, s Spec) error {
	if strings.Contains(s.Trunk, "|") {
		return fmt.Errorf("queue register %d: trunk name contains '|'", s.ID)
	}
	paused := "0"
	if s.Paused {
		paused = "1"
	}
	err := q.s.register.Run(ctx, q.rdb, []string{q.p}, id(s.ID), prioCode(s.Priority), s.Trunk,
		s.Limits.MaxLines, strconv.FormatFloat(s.Limits.CPS, 'f', -1, 64), paused).Err()
	if err != nil {
		return fmt.Errorf("queue register %d: %w", s.ID, err)
	}
	return nil
}

// Pause stops claiming the campaign's tasks; live calls go on.
func (q *Queue) Pause(ctx context.Context, campaignID int64) error {
	return q.setPaused(ctx, campaignID, "1")
}

// Resume lets workers claim the campaign's tasks again.
func (q *Queue) Resume(ctx context.Context, campaignID int64) error {
	return q.setPaused(ctx, campaignID, "0")
}

func (q *Queue) setPaused(ctx context.Context, cid int64, v string) error {
	if err := q.rdb.HSet(ctx, q.p+"camp:"+id(cid), "paused", v).Err(); err != nil {
		return fmt.Errorf("queue pause %d=%s: %w", cid, v, err)
	}
	return nil
}

// Remove drops a cancelled campaign's due tasks; live calls finish.
func (q *Queue) Remove(ctx context.Context, campaignID int64) (int64, error) {
	n, err := q.s.remove.Run(ctx, q.rdb, []string{q.p}, id(campaignID)).Int64()
	if err != nil {
		return 0, fmt.Errorf("queue remove %d: %w", campaignID, err)
	}
	return n, nil
}

// enqueueBatch is the ZADD batch size of Enqueue.
const enqueueBatch = 10000

// Enqueue adds due tasks of a registered campaign, in pipelined ZADD
// batches of 10k, then makes the campaign eligible. Adding a task again
// moves it to the new due time.
func (q *Queue) Enqueue(ctx context.Context, campaignID int64, tasks []campaigns.DueTask) error {
	if len(tasks) == 0 {
		return nil
	}
	key := q.p + "due:" + id(campaignID)
	pipe := q.rdb.Pipeline()
	zs := make([]redis.Z, 0, min(len(tasks), enqueueBatch))
	for i, t := range tasks {
		zs = append(zs, redis.Z{Score: float64(ms(t.Due)), Member: id(t.TaskID)})
		if len(zs) == enqueueBatch || i == len(tasks)-1 {
			pipe.ZAdd(ctx, key, zs...)
			zs = make([]redis.Z, 0, min(len(tasks)-i-1, enqueueBatch))
		}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("queue enqueue %d: %w", campaignID, err)
	}
	if err := q.s.activate.Run(ctx, q.rdb, []string{q.p}, id(campaignID)).Err(); err != nil {
		return fmt.Errorf("queue enqueue %d: %w", campaignID, err)
	}
	return nil
}

// DueNow counts the campaign's queued tasks that are due at the queue's
// clock now (Due counts those due later too).
func (q *Queue) DueNow(ctx context.Context, campaignID int64) (int64, error) {
	n, err := q.rdb.ZCount(ctx, q.p+"due:"+id(campaignID), "-inf", strconv.FormatInt(ms(q.now()), 10)).Result()
	if err != nil {
		return 0, fmt.Errorf("queue due now %d: %w", campaignID, err)
	}
	return n, nil
}

// Due returns how many tasks of the campaign wait in the queue.
func (q *Queue) Due(ctx context.Context, campaignID int64) (int64, error) {
	n, err := q.rdb.ZCard(ctx, q.p+"due:"+id(campaignID)).Result()
	if err != nil {
		return 0, fmt.Errorf("queue due %d: %w", campaignID, err)
	}
	return n, nil
}
