package web

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"outreach/dialer"
	"outreach/storage"
)

// chromiumPath finds Debian's chromium; its absence fails the test.
func chromiumPath(t *testing.T) string {
	for _, p := range []string{os.Getenv("OUTREACH_CHROMIUM"), "/usr/bin/chromium", "chromium"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Fatal("chromium not found: run scripts/provision.sh (apt-get install chromium) or set OUTREACH_CHROMIUM")
	return ""
}

type fakeTrunks []dialer.TrunkStatus

func (f fakeTrunks) Status() []dialer.TrunkStatus { return f }

// browserCtx starts headless chromium with a fresh profile.
func browserCtx(t *testing.T) context.Context {
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(chromiumPath(t)), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900)}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 150*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	// Start the browser on this context: a Run on a shorter-lived child
	// context would otherwise own the tab and close it when cancelled.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// shot saves a full-page PNG under docs/screenshots.
func shot(t *testing.T, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		png, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return fmt.Errorf("screenshot %s: %w", name, err)
		}
		dir := filepath.Join("..", "docs", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	})
}

// waitFile polls dir for a finished file with suffix until the deadline.
func waitFile(t *testing.T, dir, suffix string, d time.Duration) []byte {
	deadline := time.Now().Add(d)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for range tick.C {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), suffix) {
				b, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err == nil && len(b) > 0 {
					return b
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s file downloaded into %s within %s", suffix, dir, d)
		}
	}
	return nil
}

// TestBrowserConsole drives the console in headless Chromium: sign in,
// upload a script, import a generated XLSX (preview, then confirm), create
// and launch a campaign in the wizard, watch the live view reach 100 % over
// server-sent events (fake runner at the web seam), download the XLSX
// report, acknowledge an alert, and screenshot the main pages.
func TestBrowserConsole(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Trunks = fakeTrunks{{Name: "gw-main", Up: true, RTT: 4 * time.Millisecond, Active: 3},
			{Name: "gw-backup", Up: false}}
	})
	ctx := browserCtx(t)
	u := f.ts.URL
	xlsx := filepath.Join(t.TempDir(), "居民名单.xlsx")
	testXLSX(t, xlsx, 5)
	script, _ := filepath.Abs("../scripts/samples/daily-health-check.zh.yaml")
	dl := t.TempDir()
	steps := []struct {
		name  string
		steps []chromedp.Action[chromedp.Void]
	}{
		{"login", []chromedp.Action[chromedp.Void]{chromedp.Navigate(u + "/login"), chromedp.WaitVisible("#username"), shot(t, "login"),
			chromedp.SendKeys("#username", "street"), chromedp.SendKeys("#password", testPassword), chromedp.Click("#login"),
			chromedp.WaitVisible("#open-alerts"), shot(t, "dashboard")}},
		{"script", []chromedp.Action[chromedp.Void]{chromedp.Navigate(u + "/scripts"), chromedp.SetUploadFiles("#script-file", []string{script}),
			chromedp.Click("#save-script"), chromedp.WaitVisible(".flash.ok"), shot(t, "scripts")}},
		{"import", []chromedp.Action[chromedp.Void]{chromedp.Navigate(u + "/residents/import"), chromedp.SetUploadFiles("#file", []string{xlsx}),
			chromedp.Click("#preview"), chromedp.WaitVisible("#confirm"), shot(t, "import-preview"),
			chromedp.Click("#confirm"), chromedp.WaitVisible("#import-done")}},
		{"lists", []chromedp.Action[chromedp.Void]{chromedp.Navigate(u + "/residents"), chromedp.WaitVisible("table.grid"), shot(t, "residents"),
			chromedp.Navigate(u + "/observations"), chromedp.WaitVisible("table.grid"), shot(t, "observations")}},
		{"campaign", []chromedp.Action[chromedp.Void]{chromedp.Navigate(u + "/campaigns/new"), chromedp.WaitVisible("#name"),
			chromedp.SendKeys("#name", "每日健康随访"), chromedp.SendKeys("#target-ref", "东社区"), shot(t, "campaign-wizard"),
			chromedp.Click("#create"), chromedp.WaitVisible("#launch"), chromedp.Click("#launch"), chromedp.WaitVisible("#pause"),
			chromedp.Poll[chromedp.Void](`document.getElementById("pct").textContent === "100%" && !document.getElementById("finished").hidden`),
			shot(t, "campaign-live")}},
	}
	for _, s := range steps {
		step(t, ctx, s.name, s.steps...)
	}
	live, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	f.browserAlerts(t, ctx)
	// Last: a download leaves the tab between navigations.
	step(t, ctx, "download", chromedp.Navigate(live), chromedp.WaitVisible("#export-xlsx"),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl})
			return err
		}), chromedp.Click("#export-xlsx"))
	if b := waitFile(t, dl, ".xlsx", 30*time.Second); !bytes.HasPrefix(b, []byte("PK")) {
		t.Fatalf("downloaded report is not an XLSX: %.8q", b)
	}
}

// browserAlerts acknowledges an alert, then screenshots results, settings
// (as admin) and the dashboard on a phone in English.
func (f *fixture) browserAlerts(t *testing.T, ctx context.Context) {
	u := f.ts.URL
	step(t, ctx, "alerts", chromedp.Navigate(u+"/alerts"), chromedp.WaitVisible(".ack"), shot(t, "alerts"),
		chromedp.Click(".ack"), chromedp.WaitVisible(".flash.ok"))
	step(t, ctx, "results", chromedp.Navigate(u+"/results"), chromedp.WaitVisible("#campaign-select"), shot(t, "results"))
	step(t, ctx, "admin", chromedp.Click("#logout"), chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "admin"), chromedp.SendKeys("#password", testPassword), chromedp.Click("#login"),
		chromedp.WaitVisible("#open-alerts"), chromedp.Navigate(u+"/settings"), chromedp.WaitVisible("table.grid"), shot(t, "settings"))
	step(t, ctx, "phone", chromedp.Navigate(u+"/lang/en?next=/dashboard"), chromedp.EmulateViewport(390, 844),
		chromedp.WaitVisible("#open-alerts"), shot(t, "dashboard-phone-en"))
	acked, err := f.adapter.Alerts(context.Background(), AllScope(), AlertQuery{Status: storage.AlertAcknowledged})
	if err != nil || len(acked) != 1 {
		t.Fatalf("acknowledged alerts after the click: %d (%v)", len(acked), err)
	}
}

// step runs actions with a deadline; a failure reports where the page was.
func step(t *testing.T, ctx context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	err := chromedp.Do(sctx, actions...)
	cancel()
	if err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		body, _ := chromedp.Run(ctx, chromedp.Text("main"))
		t.Fatalf("%s: %v (at %s: %.300s)", name, err, loc, body)
	}
}
