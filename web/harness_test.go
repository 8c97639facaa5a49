package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"outreach/campaigns"
	"outreach/followup"
	"outreach/storage"
	"outreach/storage/seal"
	"outreach/storage/storagetest"
)

func testRing(t testing.TB) *seal.Ring {
	r, err := seal.NewRing([]seal.Key{{ID: "k1", Key: bytes.Repeat([]byte{7}, 32)}}, bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fakeRunner moves campaign states in the real store (campaigns.Controller
// with a no-op queue) and reports progress that advances by Step tasks on
// each Progress call once launched — the web seam where the engine plugs in.
type fakeRunner struct {
	ctl   campaigns.Controller
	mu    sync.Mutex
	Total int
	Step  int
	done  map[int64]int
}

type noQueue struct{}

func (noQueue) Pause(context.Context, int64) error           { return nil }
func (noQueue) Resume(context.Context, int64) error          { return nil }
func (noQueue) Remove(context.Context, int64) (int64, error) { return 0, nil }

func newFakeRunner(s *storage.Store, total, step int) *fakeRunner {
	return &fakeRunner{ctl: campaigns.Controller{Store: s, Queue: noQueue{}}, Total: total, Step: step, done: map[int64]int{}}
}

func (f *fakeRunner) Do(ctx context.Context, id int64, a campaigns.Action) (campaigns.Campaign, error) {
	c, err := f.ctl.Do(ctx, id, a)
	if err == nil && a == campaigns.ActionStart {
		f.mu.Lock()
		f.done[id] = 0
		f.mu.Unlock()
	}
	return c, err
}

func (f *fakeRunner) Progress(ctx context.Context, id int64) (Progress, error) {
	c, err := f.ctl.Store.Campaign(ctx, id)
	if err != nil {
		return Progress{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p := Progress{CampaignID: id, State: c.State.String(), Total: f.Total, Outcomes: map[string]int{}}
	d, launched := f.done[id]
	if launched && c.State == campaigns.StateRunning {
		d = min(d+f.Step, f.Total)
		f.done[id] = d
	}
	p.Done, p.Queued = d, f.Total-d
	if d < f.Total && launched {
		p.Dialing = 1
		p.Live = []LiveCall{{TaskID: int64(d + 1), Phone: "138****0000", Stage: "in_script"}}
	}
	p.Outcomes["completed"] = d * 3 / 4
	p.Outcomes["no_answer"] = d - d*3/4
	p.Percent = percent(d, f.Total)
	return p, nil
}

// fixture is a store with an organisation tree, users of every role,
// residents, a campaign and alerts, and a server over it.
type fixture struct {
	t       *testing.T
	store   *storage.Store
	adapter *StoreAdapter
	srv     *Server
	ts      *httptest.Server
	clock   *clock
	runner  *fakeRunner
	units   map[string]int64
	users   map[string]int64
	tokens  map[string]string // role name → bearer token
	res     map[string]int64  // resident by community
	camp    map[string]int64  // campaign by community
	alert   map[string]int64  // alert by community
	obs     int64
}

func must[T any](t testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func newFixture(t *testing.T, opts ...func(*Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)} // 10:00 in Shanghai
	st, err := storage.Open(ctx, storage.Config{DSN: storagetest.Schema(t, "web"), Ring: testRing(t), Now: clk.Now, MaxConns: 4})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(st.Close)
	f := &fixture{t: t, store: st, clock: clk, units: map[string]int64{}, users: map[string]int64{},
		tokens: map[string]string{}, res: map[string]int64{}, camp: map[string]int64{}, alert: map[string]int64{}}
	f.adapter = must[*StoreAdapter](t)(NewStoreAdapter(st, clk.Now, nil))
	f.seedOrg(ctx)
	f.seedUsers(ctx)
	f.seedData(ctx)
	f.runner = newFakeRunner(st, 8, 2)
	cfg := Config{Backends: f.adapter.Backends(), Runner: f.runner, Scripts: StoreScripts{st},
		Now: clk.Now, ProgressEvery: 20 * time.Millisecond, Org: "测试街道", PasswordCost: bcrypt.MinCost}
	for _, o := range opts {
		o(&cfg)
	}
	f.srv = must[*Server](t)(New(cfg))
	f.ts = httptest.NewServer(f.srv)
	t.Cleanup(f.ts.Close)
	return f
}

func (f *fixture) seedOrg(ctx context.Context) {
	t := f.t
	d := must[int64](t)(f.store.EnsureOrgUnit(ctx, storage.LevelDistrict, 0, "区"))
	f.units["S1"] = must[int64](t)(f.store.EnsureOrgUnit(ctx, storage.LevelStreet, d, "一街道"))
	f.units["S2"] = must[int64](t)(f.store.EnsureOrgUnit(ctx, storage.LevelStreet, d, "二街道"))
	f.units["C1a"] = must[int64](t)(f.store.EnsureOrgUnit(ctx, storage.LevelCommunity, f.units["S1"], "东社区"))
	f.units["C1b"] = must[int64](t)(f.store.EnsureOrgUnit(ctx, storage.LevelCommunity, f.units["S1"], "西社区"))
	f.units["C2"] = must[int64](t)(f.store.EnsureOrgUnit(ctx, storage.LevelCommunity, f.units["S2"], "南社区"))
}

// testPassword is every fixture user's password.
const testPassword = "correct horse 1"

func (f *fixture) seedUsers(ctx context.Context) {
	t := f.t
	hash := must[[]byte](t)(hashPassword(testPassword, bcrypt.MinCost))
	for _, u := range []struct {
		name string
		role storage.Role
		unit string
	}{{"admin", storage.RoleAdmin, ""}, {"street", storage.RoleOperator, "S1"}, {"community", storage.RoleOperator, "C1a"},
		{"community2", storage.RoleOperator, "C2"}, {"supervisor", storage.RoleSupervisor, "S1"}} {
		id := must[int64](t)(f.store.CreateUser(ctx, storage.User{Username: u.name, DisplayName: u.name, Role: u.role,
			OrgUnitID: f.units[u.unit], PasswordHash: hash}))
		f.users[u.name] = id
		f.tokens[u.name] = must[string](t)(f.store.CreateToken(ctx, id, "test", time.Time{}))
	}
}

func (f *fixture) seedData(ctx context.Context) {
	t := f.t
	for i, c := range []string{"C1a", "C1b", "C2"} {
		f.res[c] = must[int64](t)(f.store.CreateResident(ctx, storage.Resident{Name: "居民" + c,
			Phone: fmt.Sprintf("+861380013800%d", i), CommunityID: f.units[c]}))
		name := map[string]string{"C1a": "东社区", "C1b": "西社区", "C2": "南社区"}[c]
		camp := newCampaign()
		camp.Name, camp.ScriptID = "随访 "+c, "daily-health-check"
		camp.Target = campaigns.Target{Kind: campaigns.TargetCommunity, Ref: name}
		camp.Unit = f.units[c] // owned by the community it targets
		f.camp[c] = must[int64](t)(f.store.CreateCampaign(ctx, camp))
		a, _, err := f.adapter.Service.Unreachable(ctx, followup.Due{ResidentID: f.res[c], CommunityID: f.units[c]},
			f.adapter.Service.Today(), "no answer")
		if err != nil {
			t.Fatal(err)
		}
		f.alert[c] = a.ID
	}
	f.obs = must[int64](t)(f.store.AddObservation(ctx, storage.Observation{ResidentID: f.res["C1a"],
		Start: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), Release: time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)}))
}

// do sends a request as role (a key of tokens, or "" for nobody).
func (f *fixture) do(method, path, role string, body any, hdr ...string) (*http.Response, []byte) {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, f.ts.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[role])
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// expect checks a status code.
func (f *fixture) expect(want int, method, path, role string, body any) []byte {
	f.t.Helper()
	resp, b := f.do(method, path, role, body)
	if resp.StatusCode != want {
		f.t.Fatalf("%s %s as %q: status %d, want %d: %s", method, path, role, resp.StatusCode, want, b)
	}
	return b
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// sampleScript is the shipped Chinese daily health check.
func sampleScript(t testing.TB) []byte {
	t.Helper()
	src, err := os.ReadFile("../scripts/samples/daily-health-check.zh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return src
}
