package web

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// consoleClient signs in through the login form and returns a client
// holding the session cookie and the page's CSRF token.
func consoleClient(t *testing.T, f *fixture, user string) (*http.Client, string) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(f.ts.URL+"/login", url.Values{"username": {user}, "password": {testPassword}, "next": {"/dashboard"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/dashboard" {
		t.Fatalf("login landed on %s with %d", resp.Request.URL.Path, resp.StatusCode)
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no CSRF token on the dashboard")
	}
	return c, string(m[1])
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestConsolePages(t *testing.T) {
	f := newFixture(t)
	if code, body := get(t, http.DefaultClient, f.ts.URL+"/dashboard"); code != 200 || !strings.Contains(body, `id="login-form"`) {
		t.Fatalf("anonymous dashboard: %d", code)
	}
	c, csrf := consoleClient(t, f, "admin")
	for path, want := range map[string]string{
		"/dashboard": "应呼", "/residents": "居民C1a", "/residents/import": "导入名单", "/observations": "2026-12-08",
		"/campaigns": "随访 C1a", "/campaigns/new": "新建外呼任务", "/results": "下载 Excel 报表", "/alerts": "多次未接通",
		"/scripts": "上传话术", "/settings": "中继线路", "/static/app.css": "--pri",
	} {
		code, body := get(t, c, f.ts.URL+path)
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d, %q missing", path, code, want)
		}
	}
	if code, body := get(t, c, f.ts.URL+"/lang/en?next=/alerts"); code != 200 || !strings.Contains(body, "Acknowledge") {
		t.Errorf("English: %d", code)
	}
	resp, _ := c.PostForm(f.ts.URL+"/alerts/1/acknowledge", url.Values{})
	if resp.StatusCode != 403 {
		t.Errorf("post without CSRF: %d", resp.StatusCode)
	}
	resp, _ = c.PostForm(f.ts.URL+"/alerts/"+itoa(f.alert["C1a"])+"/acknowledge", url.Values{"csrf": {csrf}})
	if resp.StatusCode != 200 || !strings.Contains(resp.Request.URL.RawQuery, "msg=") {
		t.Errorf("acknowledge: %d %s", resp.StatusCode, resp.Request.URL)
	}
	cc, _ := consoleClient(t, f, "community")
	if code, _ := get(t, cc, f.ts.URL+"/campaigns/new"); code != 403 {
		t.Errorf("community staff on the wizard: %d", code)
	}
	if code, _ := get(t, cc, f.ts.URL+"/campaigns/"+itoa(f.camp["C2"])); code != 403 {
		t.Errorf("community staff on another community's campaign: %d", code)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
