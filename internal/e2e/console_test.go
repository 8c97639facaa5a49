package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"outreach/config"
	"outreach/ivr"
	"outreach/node"
	"outreach/storage"
	"outreach/web"
)

// TestConsoleLaunchAgainstSim drives the staff console in headless
// Chromium against the real engine: a node with the api, scheduler and
// robot roles (embedded store and Redis) calling sim residents. A staff
// member logs in, creates a campaign in the wizard, launches it and watches
// the live view reach 100% as the calls complete.
func TestConsoleLaunchAgainstSim(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv := startSimFor(t, ctx)
	_ = srv
	dir := t.TempDir()
	c := &config.Config{DataDir: filepath.Join(dir, "data"), Org: "幸福街道",
		Trunks: []config.Trunk{{Name: "gw", Addr: srv.Addr(), CallerID: "02100000000", MaxCalls: 10, CPS: 10,
			Rewrite: []config.Rewrite{{Match: `^\+86`, Replace: ""}}}}}
	c.SIP.Listen, c.API.Listen = "127.0.0.1:0", "127.0.0.1:0"
	c.Scheduler.Interval = time.Second
	c.SetDefaults()
	n, err := node.New(ctx, node.Options{Config: c, Roles: node.All()})
	if err != nil {
		t.Fatal(err)
	}
	s := n.Store()
	comm, err := s.EnsureOrgUnit(ctx, storage.LevelCommunity, 0, "阳光社区")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // the sim personas of startSimFor answer these numbers with keys
		if _, err := s.CreateResident(ctx, storage.Resident{Name: fmt.Sprintf("居民%d", i+1),
			Phone: fmt.Sprintf("+86139000000%02d", i+1), CommunityID: comm}); err != nil {
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
	if _, err := s.SaveScript(ctx, sc.ID, sc.Digest(), src, "test"); err != nil {
		t.Fatal(err)
	}
	hash, err := web.HashPassword("console-test-pw")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, storage.User{Username: "admin", DisplayName: "管理员", Role: storage.RoleAdmin, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	if err := n.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Stop)
	u := "http://" + n.APIAddr()
	bctx := chromeCtx(t, ctx)
	err = chromedp.Do(bctx,
		chromedp.Navigate(u+"/login"), chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "admin"), chromedp.SendKeys("#password", "console-test-pw"), chromedp.Click("#login"),
		chromedp.WaitVisible("#open-alerts"),
		chromedp.Navigate(u+"/campaigns/new"), chromedp.WaitVisible("#name"),
		chromedp.SendKeys("#name", "控制台测试"), chromedp.SetValue("#target-kind", "community"),
		chromedp.SendKeys("#target-ref", "阳光社区"), chromedp.SetValue(`input[name="windows"]`, "00:00-24:00"),
		chromedp.Click("#create"), chromedp.WaitVisible("#launch"), chromedp.Click("#launch"), chromedp.WaitVisible("#pause"),
		chromedp.Poll[chromedp.Void](`document.getElementById("pct").textContent === "100%" && !document.getElementById("finished").hidden`,
			chromedp.WithPollingTimeout(2*time.Minute)),
	)
	if err != nil {
		loc, _ := chromedp.Run(bctx, chromedp.Location())
		body, _ := chromedp.Run(bctx, chromedp.Text("main"))
		t.Fatalf("console: %v (at %s: %.300s)", err, loc, body)
	}
	if got := srv.InviteCount("13900000001") + srv.InviteCount("13900000002"); got != 2 {
		t.Errorf("sim saw %d calls, want 2 (one per resident)", got)
	}
}

// chromeCtx starts headless Chromium (Debian's) with a fresh profile.
func chromeCtx(t *testing.T, parent context.Context) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium not found: run scripts/provision.sh (apt-get install chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900)}
	actx, cancelA := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}
