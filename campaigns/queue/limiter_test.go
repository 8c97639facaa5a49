package queue

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"outreach/campaigns"
)

// gauge tracks a live count and its maximum.
type gauge struct{ cur, max atomic.Int64 }

func (g *gauge) inc() {
	v := g.cur.Add(1)
	for {
		m := g.max.Load()
		if v <= m || g.max.CompareAndSwap(m, v) {
			return
		}
	}
}

func (g *gauge) dec() { g.cur.Add(-1) }

// probe claims and completes from many goroutines, gauging live leases per scope.
type probe struct {
	q         *Queue
	want      int64
	g, ga, g1 gauge // global, trunk a (campaigns 1, 2), campaign 1
	claimed   sync.Map
	total     atomic.Int64
}

func (p *probe) track(ls []campaigns.Lease, up bool) {
	for _, l := range ls {
		for _, x := range []struct {
			g  *gauge
			in bool
		}{{&p.g, true}, {&p.ga, l.CampaignID <= 2}, {&p.g1, l.CampaignID == 1}} {
			switch {
			case x.in && up:
				x.g.inc()
			case x.in:
				x.g.dec()
			}
		}
	}
}

func (p *probe) work(t *testing.T, seed uint64) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, 1))
	for idle := 0; p.total.Load() < p.want && idle < 2000; {
		ls, err := p.q.Claim(ctx, "w", 1+r.IntN(3))
		if err != nil {
			t.Error(err)
			return
		}
		if len(ls) == 0 {
			idle++
			runtime.Gosched()
			continue
		}
		idle = 0
		for _, l := range ls {
			if _, dup := p.claimed.LoadOrStore(l.TaskID, true); dup {
				t.Errorf("task %d claimed twice", l.TaskID)
			}
		}
		p.track(ls, true)
		for range r.IntN(20) {
			runtime.Gosched() // hold the lines a little
		}
		p.track(ls, false)
		if n, err := p.q.CompleteMany(ctx, ls); err != nil || n != len(ls) {
			t.Errorf("complete %d = %d, %v", len(ls), n, err)
		}
		p.total.Add(int64(len(ls)))
	}
}

// TestConcurrentLineLimits hammers Claim from many goroutines. Each lease is
// counted from the moment Claim returns until just before Complete is sent,
// an interval inside the lease's life in Redis, so a counted maximum above a
// limit proves Redis exceeded it.
func TestConcurrentLineLimits(t *testing.T) {
	forBackends(t, func(t *testing.T, rdb redis.UniversalClient) {
		ctx := context.Background()
		c := newClock()
		q := newQueue(t, rdb, c)
		const global, trunkA, camp1 = 12, 7, 3
		if err := q.SetGlobalLimits(ctx, campaigns.Limits{MaxLines: global}); err != nil {
			t.Fatal(err)
		}
		if err := q.SetTrunkLimits(ctx, "a", campaigns.Limits{MaxLines: trunkA}); err != nil {
			t.Fatal(err)
		}
		specs := []Spec{
			{ID: 1, Trunk: "a", Limits: campaigns.Limits{MaxLines: camp1}},
			{ID: 2, Trunk: "a"},
			{ID: 3, Trunk: "b", Priority: campaigns.PriorityUrgent},
			{ID: 4, Trunk: "b"},
		}
		const perCampaign = 100
		for _, s := range specs {
			mustRegister(t, q, s)
			fill(t, q, s.ID, s.ID*10000, perCampaign, c.Now())
		}
		pr := &probe{q: q, want: perCampaign * int64(len(specs))}
		var wg sync.WaitGroup
		for w := 0; w < 16; w++ {
			wg.Add(1)
			go func() { defer wg.Done(); pr.work(t, uint64(w)) }()
		}
		wg.Wait()
		g, ga, g1, total := &pr.g, &pr.ga, &pr.g1, &pr.total
		if got := total.Load(); got != perCampaign*int64(len(specs)) {
			t.Fatalf("completed %d tasks, want %d", got, perCampaign*len(specs))
		}
		if g.max.Load() > global || ga.max.Load() > trunkA || g1.max.Load() > camp1 {
			t.Fatalf("limits exceeded: global %d/%d trunk a %d/%d campaign 1 %d/%d",
				g.max.Load(), global, ga.max.Load(), trunkA, g1.max.Load(), camp1)
		}
		t.Logf("max live: global %d trunk a %d campaign 1 %d", g.max.Load(), ga.max.Load(), g1.max.Load())
		if g.max.Load() < 2 {
			t.Errorf("no concurrency observed (max %d): the test proves nothing", g.max.Load())
		}
		b, err := q.Busy(ctx)
		if err != nil || b.Global != 0 || b.Trunks["a"] != 0 || b.Campaigns[1] != 0 {
			t.Fatalf("busy after all completed = %+v, %v", b, err)
		}
	})
}

// TestLineLimitExact checks each scope's cap exactly with one claimer.
func TestLineLimitExact(t *testing.T) {
	cases := []struct {
		name   string
		global campaigns.Limits
		trunk  campaigns.Limits
		camp   campaigns.Limits
		want   int
	}{
		{"global", campaigns.Limits{MaxLines: 4}, campaigns.Limits{}, campaigns.Limits{}, 4},
		{"trunk", campaigns.Limits{}, campaigns.Limits{MaxLines: 5}, campaigns.Limits{}, 5},
		{"campaign", campaigns.Limits{}, campaigns.Limits{}, campaigns.Limits{MaxLines: 2}, 2},
		{"none", campaigns.Limits{}, campaigns.Limits{}, campaigns.Limits{}, 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			forBackends(t, func(t *testing.T, rdb redis.UniversalClient) {
				ctx := context.Background()
				c := newClock()
				q := newQueue(t, rdb, c)
				_ = q.SetGlobalLimits(ctx, tc.global)
				_ = q.SetTrunkLimits(ctx, "a", tc.trunk)
				mustRegister(t, q, Spec{ID: 1, Trunk: "a", Limits: tc.camp})
				fill(t, q, 1, 1, 20, c.Now())
				ls, err := q.Claim(ctx, "w", 50)
				if err != nil || len(ls) != tc.want {
					t.Fatalf("claimed %d, %v; want %d", len(ls), err, tc.want)
				}
				if more, _ := q.Claim(ctx, "w", 50); len(more) != 0 && tc.want < 20 {
					t.Fatalf("claimed %d more beyond the limit", len(more))
				}
				if err := q.Complete(ctx, ls[0]); err != nil {
					t.Fatal(err)
				}
				if more, _ := q.Claim(ctx, "w", 50); tc.want < 20 && len(more) != 1 {
					t.Fatalf("after one line freed: claimed %d, want 1", len(more))
				}
			})
		})
	}
}

// TestCPSLimits steps the injected clock by 20 ms for 3 s, claiming greedily
// and completing at once, and checks every sliding 1 s window.
func TestCPSLimits(t *testing.T) {
	cases := []struct {
		name                string
		global, trunk, camp float64
		rate                float64
	}{
		{"global", 5, 0, 0, 5},
		{"trunk", 0, 8, 0, 8},
		{"campaign", 0, 0, 3, 3},
		{"fractional", 0, 0, 0.5, 0.5},
		{"tightest wins", 20, 10, 4, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			forBackends(t, func(t *testing.T, rdb redis.UniversalClient) {
				ctx := context.Background()
				c := newClock()
				q := newQueue(t, rdb, c)
				_ = q.SetGlobalLimits(ctx, campaigns.Limits{CPS: tc.global})
				_ = q.SetTrunkLimits(ctx, "a", campaigns.Limits{CPS: tc.trunk})
				mustRegister(t, q, Spec{ID: 1, Trunk: "a", Limits: campaigns.Limits{CPS: tc.camp}})
				fill(t, q, 1, 1, 500, c.Now())
				start := c.Now()
				var at []time.Duration
				const span = 3 * time.Second
				for c.Now().Sub(start) < span {
					ls, err := q.Claim(ctx, "w", 100)
					if err != nil {
						t.Fatal(err)
					}
					for range ls {
						at = append(at, c.Now().Sub(start))
					}
					if len(ls) > 0 {
						if _, err := q.CompleteMany(ctx, ls); err != nil {
							t.Fatal(err)
						}
					}
					c.Add(20 * time.Millisecond)
				}
				checkWindows(t, at, tc.rate, span)
			})
		})
	}
}

func checkWindows(t *testing.T, at []time.Duration, rate float64, span time.Duration) {
	t.Helper()
	k, w := int(rate), time.Second
	if rate < 1 {
		k, w = 1, time.Duration(float64(time.Second)/rate)
	}
	sort.Slice(at, func(i, j int) bool { return at[i] < at[j] })
	for i := range at {
		n := 0
		for j := i; j < len(at) && at[j]-at[i] < w; j++ {
			n++
		}
		if n > k {
			t.Fatalf("%d claims within %v from %v, limit %d (rate %v)", n, w, at[i], k, rate)
		}
	}
	if min := int(rate*span.Seconds()) - k; len(at) < min {
		t.Fatalf("only %d claims in %v at rate %v: limiter too strict (want >= %d)", len(at), span, rate, min)
	}
}
