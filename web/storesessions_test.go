package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"outreach/storage"
)

// apiProcs is a fixture with sessions and Idempotency-Key records in its
// PostgreSQL store, and a way to start more servers over the same store:
// several API processes sharing one database and nothing else.
type apiProcs struct {
	*fixture
	cfg Config
	st  *lateStore
}

// lateStore is the fixture's store, set once newFixture has opened it.
type lateStore struct{ *storage.Store }

func newAPIProcs(t *testing.T) *apiProcs {
	a := &apiProcs{st: &lateStore{}}
	a.fixture = newFixture(t, func(c *Config) {
		a.cfg = *c
		a.own(c)
	})
	a.st.Store = a.store
	return a
}

// own gives a server its own session and idempotency adapters, as a
// separate process would have: only the database is shared.
func (a *apiProcs) own(c *Config) {
	c.Sessions = StoreSessions{S: a.st, Now: c.Now}
	c.Idempotency = StoreIdempotency{S: a.st, Now: c.Now}
}

// start runs one more server (a new process, or a restarted one) and
// returns its base URL and a function that stops it.
func (a *apiProcs) start() (string, func()) {
	cfg := a.cfg
	a.own(&cfg)
	srv := must[*Server](a.t)(New(cfg))
	ts := httptest.NewServer(srv)
	stop := func() { srv.Close(); ts.Close() }
	a.t.Cleanup(stop)
	return ts.URL, stop
}

// url starts one more server and returns its base URL.
func (a *apiProcs) url() string {
	u, _ := a.start()
	return u
}

// call sends a request to base with the session cookie and CSRF token
// (when not empty) and optional header pairs.
func (a *apiProcs) call(base, method, path, cookie, csrf string, body any, hdr ...string) (*http.Response, []byte) {
	a.t.Helper()
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	}
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// login signs user in on base and returns the cookie value and CSRF token.
func (a *apiProcs) login(base, user string) (cookie, csrf string) {
	a.t.Helper()
	resp, b := a.call(base, "POST", "/api/login", "", "", loginBody{user, testPassword})
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("login on %s: %d %s", base, resp.StatusCode, b)
	}
	var out struct{ CSRF string }
	decode(a.t, b, &out)
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			cookie = c.Value
		}
	}
	if cookie == "" || out.CSRF == "" {
		a.t.Fatalf("login: no cookie or CSRF token: %s", b)
	}
	return cookie, out.CSRF
}

// expectStatus checks the status of one request.
func (a *apiProcs) expectStatus(want int, base, method, path, cookie, csrf string, body any) {
	a.t.Helper()
	if resp, b := a.call(base, method, path, cookie, csrf, body); resp.StatusCode != want {
		a.t.Fatalf("%s %s on %s: %d, want %d: %s", method, path, base, resp.StatusCode, want, b)
	}
}

func TestStoreSessionsSharedByServers(t *testing.T) {
	a := newAPIProcs(t)
	one, two := a.ts.URL, a.url()
	cookie, csrf := a.login(one, "street")
	a.expectStatus(200, two, "GET", "/api/me", cookie, "", nil)
	body := map[string]any{"name": "共享会话", "phone": "13900139011", "community_id": a.units["C1b"]}
	a.expectStatus(403, two, "POST", "/api/residents", cookie, "wrong", body)
	a.expectStatus(201, two, "POST", "/api/residents", cookie, csrf, body)
	a.expectStatus(204, one, "POST", "/api/logout", cookie, csrf, nil)
	for _, base := range []string{one, two} {
		a.expectStatus(401, base, "GET", "/api/me", cookie, "", nil)
	}
}

func TestStoreSessionsSurviveRestart(t *testing.T) {
	a := newAPIProcs(t)
	first, stop := a.start()
	cookie, csrf := a.login(first, "community")
	stop()
	again, _ := a.start()
	a.expectStatus(200, again, "GET", "/api/me", cookie, "", nil)
	body := map[string]any{"name": "重启后", "phone": "13900139012", "community_id": a.units["C1a"]}
	a.expectStatus(201, again, "POST", "/api/residents", cookie, csrf, body)
	a.clock.Add(12 * time.Hour) // the default session lifetime
	a.expectStatus(401, again, "GET", "/api/me", cookie, "", nil)
}

func TestStoreIdempotencySharedByServers(t *testing.T) {
	a := newAPIProcs(t)
	one, two := a.ts.URL, a.url()
	bearer := "Bearer " + a.tokens["street"]
	body := map[string]any{"name": "幂等共享", "phone": "13900139013", "community_id": a.units["C1a"]}
	r1, b1 := a.call(one, "POST", "/api/residents", "", "", body, "Authorization", bearer, "Idempotency-Key", "shared-1")
	r2, b2 := a.call(two, "POST", "/api/residents", "", "", body, "Authorization", bearer, "Idempotency-Key", "shared-1")
	if r1.StatusCode != 201 || r1.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d %s", r1.StatusCode, b1)
	}
	if r2.StatusCode != 201 || r2.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(b1, b2) {
		t.Fatalf("second on the other server: %d %s (first %s)", r2.StatusCode, b2, b1)
	}
	other := "Bearer " + a.tokens["supervisor"] // same key, another user: its own scope
	body["phone"] = "13900139014"
	if r, b := a.call(two, "POST", "/api/residents", "", "", body, "Authorization", other, "Idempotency-Key", "shared-1"); r.StatusCode != 201 ||
		r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("same key from another user: %d %s", r.StatusCode, b)
	}
	if r, b := a.call(one, "POST", "/api/residents", "", "", body, "Authorization", bearer, "Idempotency-Key", "bad-\xff"); r.StatusCode != 400 {
		t.Fatalf("key that is not UTF-8 (the database stores text): %d %s", r.StatusCode, b)
	}
	if n := a.countResidents("幂等共享"); n != 2 {
		t.Fatalf("%d residents created, want 2", n)
	}
}

// TestStoreIdempotencyConcurrentServers sends one key to two servers at
// once: one request runs, the other is replayed or told it is running.
func TestStoreIdempotencyConcurrentServers(t *testing.T) {
	a := newAPIProcs(t)
	bases := []string{a.ts.URL, a.url()}
	body := must[[]byte](t)(json.Marshal(map[string]any{"name": "并发幂等", "phone": "13900139015",
		"community_id": a.units["C1a"]}))
	var wg sync.WaitGroup
	status := make([]int, len(bases))
	replayed := make([]bool, len(bases))
	answer := make([][]byte, len(bases))
	for i, base := range bases {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", base+"/api/residents", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+a.tokens["street"])
			req.Header.Set("Idempotency-Key", "race-1")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			answer[i], _ = io.ReadAll(resp.Body)
			status[i], replayed[i] = resp.StatusCode, resp.Header.Get("Idempotent-Replayed") == "true"
		})
	}
	wg.Wait()
	ran := 0
	for i := range bases {
		switch {
		case status[i] == 201 && !replayed[i]:
			ran++
		case status[i] == 201 || status[i] == http.StatusConflict && bytes.Contains(answer[i], []byte("idempotency_in_flight")):
		default: // a second creation would be refused as a duplicate phone
			t.Fatalf("server %d: status %d %s", i, status[i], answer[i])
		}
	}
	if ran != 1 || a.countResidents("并发幂等") != 1 {
		t.Fatalf("statuses %v replayed %v: %d ran", status, replayed, ran)
	}
}

func (a *apiProcs) countResidents(name string) int {
	var out struct{ Residents []residentJSON }
	decode(a.t, a.expect(200, "GET", "/api/residents?q="+name, "admin", nil), &out)
	return len(out.Residents)
}
