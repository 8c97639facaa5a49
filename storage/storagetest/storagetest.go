// Package storagetest is the conformance suite of the storage back ends: Run
// takes a factory of fresh stores and checks every behaviour campaigns,
// followup and web rely on. The storage package runs it on PostgreSQL and
// on the embedded SQLite store.
package storagetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"outreach/campaigns"
	"outreach/storage"
)

// Factory returns a fresh, empty, migrated store whose clock is now (closed
// by the factory at test cleanup).
type Factory func(t *testing.T, now func() time.Time) *storage.Store

// Clock is a settable test clock.
type Clock struct{ T time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.T }

// Run runs the whole suite against stores made by f.
func Run(t *testing.T, f Factory) {
	cases := []struct {
		name string
		fn   func(*testing.T, Factory)
	}{
		{"Residents", testResidents},
		{"OrgTree", testOrgTree},
		{"UsersTokens", testUsersTokens},
		{"CampaignRoundTrip", testCampaignRoundTrip},
		{"CreateRun", testCreateRun},
		{"AttemptFence", testAttemptFence},
		{"FinishAttempt", testFinishAttempt},
		{"DeferClose", testDeferClose},
		{"RuleHistory", testRuleHistory},
		{"WriteResults", testWriteResults},
		{"HealthRetention", testHealthRetention},
		{"Alerts", testAlerts},
		{"DoNotCall", testDoNotCall},
		{"DeleteCascade", testDeleteCascade},
		{"SetState", testSetState},
		{"QueueSnapshot", testSnapshot},
		{"FollowupRecords", testFollowupRecords},
		{"FollowupAlerts", testFollowupAlerts},
		{"ScopeResidents", testScopeResidents},
		{"ScopeObservations", testScopeObservations},
		{"ScopeAlerts", testScopeAlerts},
		{"ScopeAttempts", testScopeAttempts},
		{"ScopeCampaigns", testScopeCampaigns},
		{"RunOwnerArea", testRunOwnerArea},
		{"Sessions", testSessions},
		{"SessionsPurge", testSessionsPurge},
		{"Idempotency", testIdempotency},
		{"IdempotencyRace", testIdempotencyRace},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, f)
		})
	}
}

var t0 = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func resident(name, phone string) storage.Resident {
	return storage.Resident{Name: name, Phone: phone, IDNumber: "110101199003071234", Address: "朝阳路1号",
		Tags: []string{"list-a", "elderly"}, Phones: []string{"+8613900000001"}, Notes: "独居", Language: "zh-CN"}
}

func testResidents(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	id := must[int64](t)(s.CreateResident(ctx, resident("张三", "+8613812345678")))
	got := must[storage.Resident](t)(s.Resident(ctx, id))
	want := resident("张三", "+8613812345678")
	if got.Name != want.Name || got.Phone != want.Phone || got.IDNumber != want.IDNumber ||
		got.Address != want.Address || got.Notes != want.Notes || len(got.Tags) != 2 || len(got.Phones) != 1 {
		t.Fatalf("round trip: %+v", got)
	}
	if _, err := s.CreateResident(ctx, resident("李四", "+8613812345678")); !errors.Is(err, storage.ErrDuplicate) {
		t.Fatalf("duplicate phone: %v", err)
	}
	byPhone := must[storage.Resident](t)(s.ResidentByPhone(ctx, "+8613812345678"))
	if byPhone.ID != id {
		t.Fatalf("by phone: %d, want %d", byPhone.ID, id)
	}
	if _, err := s.ResidentByPhone(ctx, "+8613800000000"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("unknown phone: %v", err)
	}
	got.Address = "新地址"
	if err := s.UpdateResident(ctx, got); err != nil {
		t.Fatal(err)
	}
	if r := must[storage.Resident](t)(s.Resident(ctx, id)); r.Address != "新地址" {
		t.Fatalf("update: %q", r.Address)
	}
	must[int64](t)(s.CreateResident(ctx, resident("王五", "+8613812345679")))
	list := must[[]storage.Resident](t)(s.Residents(ctx, storage.ResidentFilter{}))
	if len(list) != 2 {
		t.Fatalf("list %d", len(list))
	}
	if l := must[[]storage.Resident](t)(s.Residents(ctx, storage.ResidentFilter{Name: "王"})); len(l) != 1 || l[0].Name != "王五" {
		t.Fatalf("by name %+v", l)
	}
	if l := must[[]storage.Resident](t)(s.Residents(ctx, storage.ResidentFilter{Phone: "+8613812345678"})); len(l) != 1 || l[0].ID != id {
		t.Fatalf("by phone %+v", l)
	}
	if l := must[[]storage.Resident](t)(s.Residents(ctx, storage.ResidentFilter{AfterID: id, Limit: 1})); len(l) != 1 || l[0].ID == id {
		t.Fatalf("after id %+v", l)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func testOrgTree(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	d := must[int64](t)(s.EnsureOrgUnit(ctx, storage.LevelDistrict, 0, "朝阳区"))
	st := must[int64](t)(s.EnsureOrgUnit(ctx, storage.LevelStreet, d, "建外街道"))
	c := must[int64](t)(s.EnsureOrgUnit(ctx, storage.LevelCommunity, st, "永安里社区"))
	g := must[int64](t)(s.EnsureOrgUnit(ctx, storage.LevelGrid, c, "1网格"))
	if again := must[int64](t)(s.EnsureOrgUnit(ctx, storage.LevelCommunity, st, "永安里社区")); again != c {
		t.Fatalf("ensure twice: %d vs %d", again, c)
	}
	other := must[int64](t)(s.EnsureOrgUnit(ctx, storage.LevelDistrict, 0, "海淀区"))
	sub := must[[]int64](t)(s.Subtree(ctx, st))
	if len(sub) != 3 || sub[0] != st || !contains(sub, g) || contains(sub, other) {
		t.Fatalf("subtree %v", sub)
	}
}

func contains(xs []int64, x int64) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func testUsersTokens(t *testing.T, f Factory) {
	ctx := context.Background()
	clk := &Clock{T: t0}
	s := f(t, clk.Now)
	uid := must[int64](t)(s.CreateUser(ctx, storage.User{Username: "wang", Role: storage.RoleSupervisor}))
	if _, err := s.CreateUser(ctx, storage.User{Username: "wang"}); !errors.Is(err, storage.ErrDuplicate) {
		t.Fatalf("duplicate user: %v", err)
	}
	if us := must[[]storage.User](t)(s.Users(ctx)); len(us) != 1 || us[0].Username != "wang" {
		t.Fatalf("users %+v", us)
	}
	tok := must[string](t)(s.CreateToken(ctx, uid, "cli", t0.Add(time.Hour)))
	u := must[storage.User](t)(s.Authenticate(ctx, tok))
	if u.ID != uid || !u.Role.CanUnmask() {
		t.Fatalf("authenticate: %+v", u)
	}
	if _, err := s.Authenticate(ctx, tok+"x"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("wrong token: %v", err)
	}
	clk.T = t0.Add(2 * time.Hour)
	if _, err := s.Authenticate(ctx, tok); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("expired token: %v", err)
	}
	tok2 := must[string](t)(s.CreateToken(ctx, uid, "web", time.Time{}))
	if err := s.RevokeToken(ctx, tok2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, tok2); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("revoked token: %v", err)
	}
}

func testCampaign(target campaigns.Target) campaigns.Campaign {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	r := campaigns.DefaultRules()
	r.Windows.Location = loc
	return campaigns.Campaign{Name: "daily", State: campaigns.StateRunning, ScriptID: "daily-health-check",
		Trunk: "fs", Target: target, Rules: r, Retry: campaigns.DefaultRetryPolicy(),
		Schedule: campaigns.Schedule{Cron: []string{"0 9 * * *"}, Timezone: "Asia/Shanghai"},
		Limits:   campaigns.Limits{MaxLines: 30, CPS: 5}}
}

func testCampaignRoundTrip(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	c := testCampaign(campaigns.Target{Kind: campaigns.TargetTag, Ref: "list-a"})
	id := must[int64](t)(s.CreateCampaign(ctx, c))
	got := must[campaigns.Campaign](t)(s.Campaign(ctx, id))
	if got.Name != c.Name || got.State != c.State || got.Target != c.Target || got.Limits != c.Limits ||
		got.Rules.Windows.Location.String() != "Asia/Shanghai" || got.Rules.DailyCap != 3 ||
		got.Retry.Rule(campaigns.OutcomeBusy).Delay != 10*time.Minute || got.Schedule.Cron[0] != "0 9 * * *" {
		t.Fatalf("round trip: %+v", got)
	}
	if _, err := s.Campaign(ctx, id+100); !errors.Is(err, campaigns.ErrNotFound) {
		t.Fatalf("missing campaign: %v", err)
	}
}
