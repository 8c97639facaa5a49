package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"outreach/campaigns"
	"outreach/config"
	"outreach/node"
	"outreach/sim"
	"outreach/storage"
	"outreach/storage/storagetest"
)

// The many-node guarantees of the campaign engine, with real robot
// processes (`outreach serve --role robot`) sharing PostgreSQL and Redis,
// calling sim residents.

var buildOnce struct {
	sync.Once
	path string
	err  error
}

// outreachBinary builds cmd/outreach once per test run.
func outreachBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "outreach-bin-")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.path = filepath.Join(dir, "outreach")
		cmd := exec.Command("go", "build", "-o", buildOnce.path, "./cmd/outreach")
		cmd.Dir = RepoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildOnce.err = fmt.Errorf("go build: %v: %s", err, out)
		}
	})
	if buildOnce.err != nil {
		t.Fatal(buildOnce.err)
	}
	return buildOnce.path
}

// fleet is one deployment under test: its database schema, Redis prefix,
// sim residents, and an in-process scheduler node the test drives.
type fleet struct {
	t      *testing.T
	dsn    string
	prefix string
	sim    *sim.Server
	keys   string
	sched  *node.Node
	trunk  config.Trunk
}

// listeners answer, wait for the prompt to end and press 1 (every number).
const listeners = `
personas:
  listens: {kind: answer, ring_for: 100ms, prompt_gap: 800ms, script: [{wait_for_prompt: true, digits: "1"}]}
default: [{weight: 1, persona: listens}]
`

func newFleet(t *testing.T, ctx context.Context, personas string, maxCalls int) *fleet {
	srv := startSimYAML(t, ctx, personas)
	f := &fleet{t: t, dsn: storagetest.Schema(t, "e2e"), prefix: fmt.Sprintf("fleet%d", time.Now().UnixNano()), sim: srv,
		keys: filepath.Join(t.TempDir(), "keys.json")}
	f.trunk = config.Trunk{Name: "gw", Addr: srv.Addr(), CallerID: "02100000000", MaxCalls: maxCalls, CPS: 50,
		Rewrite: []config.Rewrite{{Match: `^\+86`, Replace: ""}}}
	rdb := testRedis(t)
	t.Cleanup(func() { cleanRedis(rdb, f.prefix) })
	c := f.config("scheduler")
	n, err := node.New(ctx, node.Options{Config: c, Roles: node.Roles{Scheduler: true}, Redis: rdb, QueuePrefix: f.prefix})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Stop)
	f.sched = n
	return f
}

func (f *fleet) config(worker string) *config.Config {
	c := &config.Config{Database: f.dsn, Redis: "redis://127.0.0.1:6379/0", RedisPrefix: f.prefix, KeyFile: f.keys,
		DataDir: filepath.Join(f.t.TempDir(), worker), Trunks: []config.Trunk{f.trunk}}
	c.SIP.Listen, c.API.Listen, c.Robot.Worker = "127.0.0.1:0", "127.0.0.1:0", worker
	c.Robot.Lease, c.Robot.Lines, c.Robot.DrainTimeout = 3*time.Second, 20, 2*time.Second
	c.Scheduler.Interval, c.Scheduler.Reconcile = time.Second, 500*time.Millisecond
	c.Prompts.Shipped = filepath.Join(RepoRoot(f.t), "scripts", "samples", "prompts")
	c.SetDefaults()
	return c
}

// robot starts `outreach serve --role robot` as its own process.
func (f *fleet) robot(name string) *Process {
	f.t.Helper()
	c := f.config(name)
	path := filepath.Join(f.t.TempDir(), name+".yaml")
	yaml := fmt.Sprintf(`database: %q
redis: %q
redis_prefix: %q
key_file: %q
data_dir: %q
sip: {listen: "127.0.0.1:0"}
rtp: {port_min: 30000, port_max: 60000}
robot: {worker: %q, lease: 3s, lines: 20, drain_timeout: 2s}
prompts: {shipped: %q}
trunks:
  - {name: gw, addr: %q, caller_id: "02100000000", max_calls: %d, cps: 50, rewrite: [{match: '^\+86', replace: ''}]}
`, c.Database, c.Redis, c.RedisPrefix, c.KeyFile, c.DataDir, name, c.Prompts.Shipped, f.trunk.Addr, f.trunk.MaxCalls)
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		f.t.Fatal(err)
	}
	p := start(f.t, name, f.t.TempDir(), outreachBinary(f.t), "serve", "--role", "robot", "--config", path)
	if !waitFor(20*time.Second, func() bool { return strings.Contains(p.Output(), "serving robot") }) {
		f.t.Fatalf("%s did not start:\n%s", name, p.Output())
	}
	// The process sizes its own Ps (robot.procs 0: adaptive, package procs).
	if want := `gomaxprocs="adaptive 1–`; runtime.NumCPU() > 1 && os.Getenv("GOMAXPROCS") == "" && !strings.Contains(p.Output(), want) {
		f.t.Errorf("%s: no %s in its log:\n%s", name, want, p.Output())
	}
	return p
}

// campaign stores n residents (+8613900010000…) and a once-now campaign of
// the notice broadcast for all of them, and launches it.
func (f *fleet) campaign(ctx context.Context, n int, retry campaigns.RetryPolicy) int64 {
	s := f.sched.Store()
	for i := range n {
		if _, err := s.CreateResident(ctx, storage.Resident{Name: fmt.Sprintf("居民%d", i),
			Phone: fmt.Sprintf("+861390001%04d", i), Tags: []string{"fleet"}}); err != nil {
			f.t.Fatal(err)
		}
	}
	src, err := os.ReadFile(filepath.Join(RepoRoot(f.t), "scripts", "samples", "notice-broadcast.zh.yaml"))
	if err != nil {
		f.t.Fatal(err)
	}
	sv, err := s.SaveScript(ctx, "notice-broadcast", "test", src, "test")
	if err != nil {
		f.t.Fatal(err)
	}
	rules := campaigns.DefaultRules()
	rules.Windows = campaigns.AllDayWindows()
	rules.MinSpacing = 0 // retries of these tests follow within seconds
	c := campaigns.Campaign{Name: "fleet", State: campaigns.StateScheduled, ScriptID: sv.Ref(), Trunk: "gw",
		Target: campaigns.Target{Kind: campaigns.TargetTag, Ref: "fleet"}, Rules: rules, Retry: retry,
		Schedule: campaigns.Schedule{At: time.Now().Add(-time.Second)}, Limits: campaigns.Limits{MaxLines: 100}}
	id, err := s.CreateCampaign(ctx, c)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.sched.Tick(ctx); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.sched.Controller().Do(ctx, id, campaigns.ActionStart); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// TestThreeRobotsTrunkLimitAndRedisFlush: three robot processes share a
// trunk limited to 10 lines; sim never sees more than 10 calls at once.
// Halfway, the queue's Redis keys are deleted: the reconciler rebuilds them
// from the database and every resident is still called exactly once.
func TestThreeRobotsTrunkLimitAndRedisFlush(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	f := newFleet(t, ctx, `
personas:
  hold: {kind: hangup, ring_for: 100ms, hangup_after: 1500ms}
default: [{weight: 1, persona: hold}]
`, 10)
	for i := range 3 {
		f.robot(fmt.Sprintf("robot-%d", i+1))
	}
	retry := campaigns.DefaultRetryPolicy()
	r := retry.Rules[campaigns.OutcomeTrunkError] // a refused dial is retried at once here
	r.Delay = time.Second
	retry.Rules[campaigns.OutcomeTrunkError] = r
	id := f.campaign(ctx, 40, retry)
	waitFor(time.Minute, func() bool {
		p, _ := f.sched.Store().CampaignProgress(ctx, id)
		return p.Finished() >= 12
	})
	rdb := testRedis(t)
	cleanRedis(rdb, f.prefix) // Redis "lost"
	if err := f.sched.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	waitTasks(t, ctx, f.sched.Store(), id, 40)
	if _, peak := f.sim.Concurrent(); peak > 10 {
		t.Errorf("sim saw %d concurrent calls; the trunk allows 10", peak)
	} else {
		t.Logf("peak concurrent calls at sim: %d (limit 10)", peak)
	}
	for i := range 40 {
		if n := f.sim.InviteCount(fmt.Sprintf("1390001%04d", i)); n != 1 {
			t.Errorf("resident %d called %d times, want 1", i, n)
		}
	}
}

// TestKillRobotMidCall: kill -9 of the robot process holding a live call;
// the lease expires, the attempt is recorded interrupted and retried once
// by another robot, and sim saw exactly one INVITE per attempt.
func TestKillRobotMidCall(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	f := newFleet(t, ctx, listeners, 10)
	first := f.robot("robot-1")
	retry := campaigns.DefaultRetryPolicy()
	r := retry.Rules[campaigns.OutcomeInterrupted]
	r.Delay = time.Second
	retry.Rules[campaigns.OutcomeInterrupted] = r
	id := f.campaign(ctx, 1, retry)
	if !waitFor(30*time.Second, func() bool { now, _ := f.sim.Concurrent(); return now == 1 }) {
		t.Fatal("the call never went live")
	}
	_ = syscall.Kill(-first.cmd.Process.Pid, syscall.SIGKILL)
	first.Kill()
	f.robot("robot-2")
	waitTasks(t, ctx, f.sched.Store(), id, 1)
	atts, err := f.sched.Store().Attempts(ctx, storage.AttemptFilter{CampaignID: id})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range atts {
		got = append(got, a.Outcome.String())
	}
	if strings.Join(got, ",") != "interrupted,completed" {
		t.Errorf("attempts %v, want interrupted then completed", got)
	}
	if n := f.sim.InviteCount("13900010000"); n != len(atts) {
		t.Errorf("sim saw %d INVITEs for %d attempts", n, len(atts))
	}
}

// TestTwoSchedulersFireOnce: two scheduler nodes run their loops over the
// same occurrence; the Redis lock with its fencing token (and the run's
// uniqueness in the database) lets the occurrence fire once.
func TestTwoSchedulersFireOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f := newFleet(t, ctx, "default: [{weight: 1, persona: {kind: busy}}]\n", 10)
	other, err := node.New(ctx, node.Options{Config: f.config("scheduler-2"), Roles: node.Roles{Scheduler: true},
		Redis: testRedis(t), QueuePrefix: f.prefix})
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer other.Stop()
	s := f.sched.Store()
	if _, err := s.CreateResident(ctx, storage.Resident{Name: "甲", Phone: "+8613900020000", Tags: []string{"two"}}); err != nil {
		t.Fatal(err)
	}
	c := campaigns.Campaign{Name: "twice", State: campaigns.StateScheduled, ScriptID: "x@1", Trunk: "gw",
		Target: campaigns.Target{Kind: campaigns.TargetTag, Ref: "two"}, Rules: campaigns.DefaultRules(),
		Retry: campaigns.DefaultRetryPolicy(), Schedule: campaigns.Schedule{At: time.Now().Add(-time.Second)}}
	id, err := s.CreateCampaign(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	tasks := func() int { p, _ := s.CampaignProgress(ctx, id); return p.Tasks }
	if !waitFor(20*time.Second, func() bool { return tasks() > 0 }) {
		t.Fatal("no scheduler fired the occurrence")
	}
	// Both loops tick every second: give them several more rounds.
	if waitFor(4*time.Second, func() bool { return tasks() > 1 }) {
		t.Fatalf("the occurrence fired more than once: %d tasks", tasks())
	}
}

// TestSIGTERMDrains: SIGTERM stops claiming, lets the live call run for the
// drain timeout (2 s here), then hangs up (BYE) and records the attempt as
// interrupted, to be retried; the process exits cleanly.
func TestSIGTERMDrains(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	f := newFleet(t, ctx, listeners, 10)
	p := f.robot("robot-1")
	id := f.campaign(ctx, 1, campaigns.DefaultRetryPolicy())
	if !waitFor(30*time.Second, func() bool { now, _ := f.sim.Concurrent(); return now == 1 }) {
		t.Fatal("the call never went live")
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	if code := p.Wait(wctx); code != 0 {
		t.Fatalf("robot exited with %d after SIGTERM:\n%s", code, p.Output())
	}
	if !strings.Contains(p.Output(), "draining") {
		t.Errorf("no drain announced:\n%s", p.Output())
	}
	atts, err := f.sched.Store().Attempts(ctx, storage.AttemptFilter{CampaignID: id})
	if err != nil || len(atts) != 1 || atts[0].Outcome != campaigns.OutcomeInterrupted {
		t.Fatalf("attempts %+v (%v), want one interrupted", atts, err)
	}
	if calls := f.sim.Calls(); len(calls) != 1 || calls[0].EndedBy != sim.EndedByCaller {
		t.Errorf("sim calls %+v: want one, hung up by the robot", calls)
	}
	prog, _ := f.sched.Store().CampaignProgress(ctx, id)
	if prog.Queued != 1 {
		t.Errorf("task not queued for its retry: %+v", prog)
	}
}
