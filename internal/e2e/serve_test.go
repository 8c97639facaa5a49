package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"outreach/campaigns"
	"outreach/config"
	"outreach/followup"
	"outreach/ivr"
	"outreach/node"
	"outreach/sim"
	"outreach/storage"
	"outreach/storage/storagetest"
)

// TestServeRecurringCampaign runs the service as an operator would: real
// PostgreSQL and Redis, two robot nodes (one also the scheduler), sim
// residents behind Kamailio (the shipped configuration, digest auth), a
// recurring 09:00 campaign for everyone under observation, driven through
// two daily occurrences by an injected clock. It checks the health records,
// the alerts, that the resident released after day 1 is not called on day
// 2, and that the webhook receiver sees each alert once, correctly signed.
func TestServeRecurringCampaign(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	clock := &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 5, 0, loc)}
	srv := startSimFor(t, ctx)
	k := StartKamailio(t, KamailioConfig{Gateways: []string{srv.Addr()}})
	hook := newWebhookReceiver(t, "a-webhook-secret-of-32-bytes-xx!", clock)
	dsn := storagetest.Schema(t, "e2e")
	rdb := testRedis(t)
	prefix := fmt.Sprintf("serve-%d", time.Now().UnixNano())
	t.Cleanup(func() { cleanRedis(rdb, prefix) })

	keyFile := filepath.Join(t.TempDir(), "keys.json") // every node shares the key ring
	cfgFor := func(name string) *config.Config {
		c := &config.Config{Database: dsn, DataDir: filepath.Join(t.TempDir(), name), Org: "幸福街道",
			Trunks: []config.Trunk{{Name: "gw", Addr: k.Addr, Username: k.User, Password: k.Password, CallerID: "02100000000",
				MaxCalls: 10, CPS: 10, Rewrite: []config.Rewrite{{Match: `^\+86`, Replace: ""}}}},
			Webhook: config.Webhook{URL: hook.URL, Secret: hook.secret}}
		c.KeyFile = keyFile
		c.SIP.Listen, c.API.Listen, c.Robot.Worker = "127.0.0.1:0", "127.0.0.1:0", name
		c.SetDefaults()
		return c
	}
	a := startNode(t, ctx, cfgFor("robot-a"), node.Roles{Scheduler: true, Robot: true}, clock, rdb, prefix)
	campID := seedServe(t, ctx, a.Store(), clock.Now())
	b := startNode(t, ctx, cfgFor("robot-b"), node.Roles{Robot: true}, clock, rdb, prefix)

	// Day 1, 09:00: the run is created, both residents are called.
	if err := a.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Controller().Do(ctx, campID, campaigns.ActionStart); err != nil {
		t.Fatal(err)
	}
	waitTasks(t, ctx, a.Store(), campID, 2)
	// Day 2, 09:00: only the resident still under observation.
	clock.Set(time.Date(2026, 12, 2, 9, 0, 5, 0, loc))
	if err := a.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	waitTasks(t, ctx, a.Store(), campID, 3)

	if n := srv.InviteCount("13900000001"); n != 1 {
		t.Errorf("released resident called %d times, want 1 (day 1 only)", n)
	}
	if n := srv.InviteCount("13900000002"); n != 2 {
		t.Errorf("observed resident called %d times, want 2", n)
	}
	for day, want := range map[campaigns.Date]int{{Year: 2026, Month: 12, Day: 1}: 2, {Year: 2026, Month: 12, Day: 2}: 1} {
		recs, err := a.Store().Followup().RecordsOn(ctx, day)
		if err != nil || len(recs) != want {
			t.Errorf("%s: %d health records (%v), want %d", day, len(recs), err, want)
		}
		for _, r := range recs {
			if r.Temperature == 0 || r.Status != followup.RecordCompleted {
				t.Errorf("%s: record %+v lacks the temperature", day, r)
			}
		}
	}
	hook.wait(t, ctx, 2)
	hook.check(t)
	if got := counterSum(t, "outreach_call_outcomes_total", a, b); got != 3 {
		t.Errorf("outreach_call_outcomes_total over both robots = %v, want 3", got)
	}
	if got := counterSum(t, "outreach_claims_total", a, b); got != 3 {
		t.Errorf("outreach_claims_total over both robots = %v, want 3", got)
	}
}

// counterSum adds a counter's values over the nodes' registries.
func counterSum(t *testing.T, name string, nodes ...*node.Node) float64 {
	t.Helper()
	sum := 0.0
	for _, n := range nodes {
		fams, err := n.Registry().Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fams {
			if f.GetName() != name {
				continue
			}
			for _, m := range f.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func startSimFor(t *testing.T, ctx context.Context) *sim.Server {
	t.Helper()
	return startSimYAML(t, ctx, `
personas:
  well: {kind: answer, ring_for: 300ms, prompt_gap: 600ms, script: [{wait_for_prompt: true, digits: "365#"}]}
  fever: {kind: answer, ring_for: 300ms, prompt_gap: 600ms, script: [{wait_for_prompt: true, digits: "385#"}]}
rules:
  - {match: "13900000001", persona: well}
  - {match: "13900000002", persona: fever}
`)
}

func startNode(t *testing.T, ctx context.Context, c *config.Config, roles node.Roles, clock *fakeClock, rdb *redis.Client, prefix string) *node.Node {
	t.Helper()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	n, err := node.New(ctx, node.Options{Config: c, Roles: roles, Now: clock.Now, Redis: rdb, QueuePrefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Stop)
	return n
}

// seedServe stores two residents under observation (one released after
// day 1), the script, and a recurring 09:00 campaign for everyone observed.
func seedServe(t *testing.T, ctx context.Context, s *storage.Store, now time.Time) int64 {
	t.Helper()
	street, _ := s.EnsureOrgUnit(ctx, storage.LevelDistrict, 0, "幸福区")
	comm, err := s.EnsureOrgUnit(ctx, storage.LevelCommunity, street, "阳光社区")
	if err != nil {
		t.Fatal(err)
	}
	day1 := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	for i, release := range []time.Time{day1, day1.AddDate(0, 0, 1)} {
		id, err := s.CreateResident(ctx, storage.Resident{Name: fmt.Sprintf("居民%d", i+1),
			Phone: fmt.Sprintf("+86139000000%02d", i+1), CommunityID: comm})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddObservation(ctx, storage.Observation{ResidentID: id, Reason: "居家观察",
			Start: day1.AddDate(0, 0, -1), Release: release, CallTimes: []string{"09:00"}}); err != nil {
			t.Fatal(err)
		}
	}
	src, err := os.ReadFile(filepath.Join(RepoRoot(t), "internal", "e2e", "testdata", "scripts", "quick-check.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := ivr.Load(src)
	if err != nil {
		t.Fatal(err)
	}
	sv, err := s.SaveScript(ctx, sc.ID, sc.Digest(), src, "test")
	if err != nil {
		t.Fatal(err)
	}
	c := campaigns.Campaign{Name: "每日随访", State: campaigns.StateScheduled, ScriptID: sv.Ref(), Trunk: "gw",
		Target: campaigns.Target{Kind: campaigns.TargetObservation}, Rules: campaigns.DefaultRules(),
		Schedule: campaigns.Schedule{Cron: []string{"0 9 * * *"}, Timezone: "Asia/Shanghai", From: day1},
		Retry:    campaigns.DefaultRetryPolicy(), Limits: campaigns.Limits{MaxLines: 10}}
	id, err := s.CreateCampaign(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// waitTasks waits until the campaign has n tasks, all finished.
func waitTasks(t *testing.T, ctx context.Context, s *storage.Store, id int64, n int) {
	t.Helper()
	ok := waitFor(2*time.Minute, func() bool {
		p, err := s.CampaignProgress(ctx, id)
		return err == nil && p.Tasks == n && p.Finished() == n
	})
	if !ok {
		p, _ := s.CampaignProgress(ctx, id)
		t.Fatalf("campaign %d: tasks %+v, want %d finished", id, p, n)
	}
}

// webhookReceiver verifies every delivery's signature and counts events by id.
type webhookReceiver struct {
	*httptest.Server
	secret string
	mu     sync.Mutex
	seen   map[string]int
	bad    []string
}

func newWebhookReceiver(t *testing.T, secret string, clock *fakeClock) *webhookReceiver {
	w := &webhookReceiver{secret: secret, seen: map[string]int{}}
	w.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.mu.Lock()
		defer w.mu.Unlock()
		if err := followup.Verify([]byte(secret), r.Header, body, clock.Now(), 24*time.Hour); err != nil {
			w.bad = append(w.bad, err.Error())
			http.Error(rw, "bad signature", http.StatusUnauthorized)
			return
		}
		w.seen[r.Header.Get(followup.HeaderEventID)]++
	}))
	t.Cleanup(w.Close)
	return w
}

func (w *webhookReceiver) wait(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	waitFor(60*time.Second, func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return len(w.seen) >= n
	})
}

func (w *webhookReceiver) check(t *testing.T) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.bad) > 0 {
		t.Errorf("deliveries with bad signatures: %v", w.bad)
	}
	if len(w.seen) != 2 {
		t.Errorf("webhook saw %d distinct events %v, want 2 (fever on day 1 and day 2)", len(w.seen), w.seen)
	}
	for id, n := range w.seen {
		if n != 1 {
			t.Errorf("event %s delivered %d times", id, n)
		}
	}
}

func testRedis(t *testing.T) *redis.Client {
	t.Helper()
	addr := os.Getenv("OUTREACH_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("Redis not reachable at %s: run scripts/provision.sh or set OUTREACH_TEST_REDIS (%v)", addr, err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// cleanRedis deletes every key of a queue prefix in one DEL, as a Redis
// restart without persistence loses them all at once (a key by key delete
// would leave states no real loss produces, such as leases without counts).
func cleanRedis(rdb *redis.Client, prefix string) {
	ctx := context.Background()
	var keys []string
	for _, pat := range []string{"{" + prefix + "}*", prefix + "*"} {
		iter := rdb.Scan(ctx, 0, pat, 1000).Iterator()
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
	}
	if len(keys) > 0 {
		rdb.Del(ctx, keys...)
	}
}
