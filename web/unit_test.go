package web

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"outreach/media"
	"outreach/prompts"
)

func TestLoginLimiter(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	l := newLoginLimiter(c.Now, 3, time.Minute)
	for i := range 3 {
		if ok, _ := l.Allow("k"); !ok {
			t.Fatalf("attempt %d refused", i)
		}
		l.Fail("k")
	}
	ok, wait := l.Allow("k")
	if ok || wait != time.Minute {
		t.Fatalf("4th attempt: %v %v", ok, wait)
	}
	c.Add(time.Minute)
	if ok, _ := l.Allow("k"); !ok {
		t.Fatal("one refilled after a minute")
	}
	l.Fail("k")
	if ok, _ := l.Allow("k"); ok {
		t.Fatal("bucket should be empty again")
	}
	l.Reset("k")
	if ok, _ := l.Allow("k"); !ok {
		t.Fatal("reset")
	}
	if ok, _ := l.Allow("other"); !ok {
		t.Fatal("keys are independent")
	}
}

func TestMemSessionsExpire(t *testing.T) {
	c := &clock{t: time.Unix(1000, 0)}
	m := NewMemSessions(c.Now)
	ctx := context.Background()
	_ = m.Create(ctx, Session{ID: "a", Expires: c.Now().Add(time.Hour)})
	if _, ok, _ := m.Get(ctx, "a"); !ok {
		t.Fatal("live session missing")
	}
	c.Add(time.Hour)
	if _, ok, _ := m.Get(ctx, "a"); ok {
		t.Fatal("expired session returned")
	}
}

func TestIdempotencyInFlight(t *testing.T) {
	m := NewMemIdempotency(nil)
	ctx := context.Background()
	if _, fresh, _ := m.Begin(ctx, IdemKey{UserID: 1, Key: "k"}, IdemRecord{Fingerprint: "f"}); !fresh {
		t.Fatal("first Begin not fresh")
	}
	old, fresh, _ := m.Begin(ctx, IdemKey{UserID: 1, Key: "k"}, IdemRecord{Fingerprint: "f"})
	if fresh || old.Done {
		t.Fatal("second Begin while running")
	}
	rec := httptest.NewRecorder()
	e := asAPIError(replay(rec, old, "f"))
	if e.Status != http.StatusConflict {
		t.Fatalf("in flight: %d", e.Status)
	}
}

func TestPanicRecovery(t *testing.T) {
	s := &Server{log: discardLogger(), now: time.Now, metrics: newMetrics(nil)}
	h := s.observe(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom 13800138000") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"code":"internal"`) {
		t.Fatalf("panic: %d %s", rec.Code, rec.Body)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{"/alerts": "/alerts", "//evil.com": "/dashboard", "https://x": "/dashboard",
		"": "/dashboard", "/\\evil": "/dashboard"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRoleAndPerm(t *testing.T) {
	for _, r := range []Role{RoleCommunity, RoleStreet, RoleAdmin} {
		back, err := ParseRole(r.String())
		if err != nil || back != r {
			t.Fatalf("role %v: %v %v", r, back, err)
		}
	}
	if _, err := ParseRole("root"); err == nil {
		t.Fatal("unknown role parsed")
	}
	cases := []struct {
		p    perm
		r    Role
		want bool
	}{{permWrite, RoleCommunity, true}, {permOperate, RoleCommunity, false}, {permOperate, RoleStreet, true},
		{permAdmin, RoleStreet, false}, {permAdmin, RoleAdmin, true}}
	for _, c := range cases {
		if c.p.allows(c.r) != c.want {
			t.Errorf("%s allows %s = %v", c.p, c.r, !c.want)
		}
	}
	if (Scope{}).Has(0) || UnitScope(1).Has(0) || !AllScope().Has(0) || !UnitScope(4).Has(4) {
		t.Fatal("scope")
	}
}

// TestEventsStream reads the server-sent events of a launched campaign
// until "done", and checks Close ends an open stream.
func TestEventsStream(t *testing.T) {
	f := newFixture(t)
	path := fmt.Sprintf("/api/campaigns/%d/events", f.camp["C1a"])
	f.expect(401, "GET", path, "", nil)
	f.expect(200, "POST", fmt.Sprintf("/api/campaigns/%d/launch", f.camp["C1a"]), "street", nil)
	events := readEvents(t, f, path, "community", "done")
	if events[len(events)-1] != "done" || len(events) < 3 {
		t.Fatalf("events %v", events)
	}
	// A paused campaign never finishes: Close must end its stream.
	f.expect(200, "POST", fmt.Sprintf("/api/campaigns/%d/pause", f.camp["C1a"]), "street", nil)
	f.runner.mu.Lock()
	f.runner.Total = 1 << 30
	f.runner.mu.Unlock()
	go func() {
		f.srv.Close()
	}()
	readEvents(t, f, path, "admin", "")
}

func readEvents(t *testing.T, f *fixture, path, role, until string) []string {
	req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens[role])
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	var events []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if ev, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
			events = append(events, ev)
			if ev == until {
				break
			}
		}
	}
	return events
}

// FuzzHeaderRow feeds arbitrary uploads to the preview's header reader.
func FuzzHeaderRow(f *testing.F) {
	f.Add([]byte("姓名,手机号,社区\n张三,13800138000,东社区\n"), ".csv")
	f.Add([]byte("\xef\xbb\xbfname,phone\n"), ".csv")
	f.Add([]byte("\xd0\xd5\xc3\xfb,\xb5\xe7\xbb\xb0\n"), ".csv") // GBK 姓名,电话
	f.Add([]byte("PK\x03\x04garbage"), ".xlsx")
	f.Fuzz(func(t *testing.T, data []byte, format string) {
		for _, c := range headerRow(data, format) {
			_ = guessField(c)
		}
	})
}

// FuzzDecodeJSON checks bodies never panic the decoder and only give API errors.
func FuzzDecodeJSON(f *testing.F) {
	f.Add(`{"name":"张三","phone":"13800138000"}`)
	f.Add(`{"name":1}`)
	f.Add(`{} {}`)
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		var in residentInput
		if err := decodeJSON(r, &in); err != nil {
			if e := asAPIError(err); e.Status != 400 && e.Status != 413 {
				t.Fatalf("status %d for %q", e.Status, body)
			}
		}
	})
}

type toneSpeaker struct{ texts []string }

func (s *toneSpeaker) Render(_ context.Context, req prompts.Request) ([]int16, error) {
	s.texts = append(s.texts, req.Text)
	return media.Tone([]float64{440}, 100*time.Millisecond, 0.3), nil
}

func TestPromptAudio(t *testing.T) {
	sp := &toneSpeaker{}
	f := newFixture(t, func(c *Config) { c.Speaker = sp })
	src := sampleScript(t)
	var v ScriptVersion
	decode(t, f.expect(201, "POST", "/api/scripts", "admin", src), &v)
	resp, b := f.do("GET", fmt.Sprintf("/api/scripts/%s/versions/%d/prompts/identity", v.ID, v.Version), "community", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "audio/wav" || !strings.HasPrefix(string(b), "RIFF") {
		t.Fatalf("prompt audio: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if len(sp.texts) != 1 || strings.Contains(sp.texts[0], "{{") || !strings.Contains(sp.texts[0], "张*华") {
		t.Fatalf("rendered text %q", sp.texts)
	}
	f.expect(404, "GET", fmt.Sprintf("/api/scripts/%s/versions/%d/prompts/nope", v.ID, v.Version), "community", nil)
}

// TestAccessLogMasked: the access log names the user and never shows a
// phone number from the path; query strings are not logged.
func TestAccessLogMasked(t *testing.T) {
	var buf syncBuffer
	f := newFixture(t, func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(&buf, nil)) })
	f.do("GET", "/api/residents/13800138000?q=13900139000", "street", nil)
	out := buf.String()
	if strings.Contains(out, "13800138000") || strings.Contains(out, "13900139000") {
		t.Fatalf("phone in the access log: %s", out)
	}
	if !strings.Contains(out, `"user":"street"`) || !strings.Contains(out, `"status":404`) {
		t.Fatalf("access log: %s", out)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
