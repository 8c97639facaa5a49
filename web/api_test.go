package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func decode(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	f := newFixture(t)
	f.expect(200, "GET", "/healthz", "", nil)
	f.expect(200, "GET", "/readyz", "", nil)
	f.expect(200, "GET", "/api/me", "admin", nil)
	b := f.expect(200, "GET", "/metrics", "", nil)
	if !strings.Contains(string(b), `outreach_http_requests_total{code="200",route="GET /api/me"}`) {
		t.Fatalf("metrics without the request counter:\n%.2000s", b)
	}
	b = f.expect(404, "GET", "/api/nothing", "admin", nil)
	var e errorBody
	decode(t, b, &e)
	if e.Error.Code != "not_found" {
		t.Fatalf("error body %s", b)
	}
	f.store.Close() // the store goes away: not ready
	f.expect(503, "GET", "/readyz", "", nil)
}

// TestOpenAPICoversRoutes: every registered route is in the document.
func TestOpenAPICoversRoutes(t *testing.T) {
	f := newFixture(t)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	decode(t, f.expect(200, "GET", "/api/openapi.json", "", nil), &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	n := 0
	for _, p := range f.srv.Paths() {
		method, path, _ := strings.Cut(p, " ")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("%s missing from /api/openapi.json", p)
		}
		n++
	}
	if n < 40 {
		t.Fatalf("only %d routes", n)
	}
}

func TestSessionLoginCSRF(t *testing.T) {
	f := newFixture(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	post := func(path, csrf string, body any) *http.Response {
		j, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", f.ts.URL+path, bytes.NewReader(j))
		req.Header.Set("Content-Type", "application/json")
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	j, _ := json.Marshal(loginBody{"street", testPassword})
	resp, err := c.Post(f.ts.URL+"/api/login", "application/json", bytes.NewReader(j))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", resp.StatusCode, err)
	}
	var out struct{ CSRF string }
	_ = json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	ck := resp.Cookies()[0]
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
		t.Fatalf("cookie flags %+v", ck)
	}
	body := map[string]any{"name": "新居民", "phone": "13900139001", "community_id": f.units["C1b"]}
	if r := post("/api/residents", "", body); r.StatusCode != 403 {
		t.Fatalf("no CSRF token: %d", r.StatusCode)
	}
	if r := post("/api/residents", "wrong", body); r.StatusCode != 403 {
		t.Fatalf("bad CSRF token: %d", r.StatusCode)
	}
	if r := post("/api/residents", out.CSRF, body); r.StatusCode != 201 {
		t.Fatalf("with CSRF token: %d", r.StatusCode)
	}
	if r := post("/api/logout", out.CSRF, nil); r.StatusCode != 204 {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	r2, _ := c.Get(f.ts.URL + "/api/me")
	if r2.StatusCode != 401 {
		t.Fatalf("after logout: %d", r2.StatusCode)
	}
	if a := auditActions(t, f); a["login"] != 1 || a["resident.create"] != 1 || a["logout"] != 1 {
		t.Fatalf("audit %v", a)
	}
}

func TestLoginRateLimit(t *testing.T) {
	f := newFixture(t)
	bad := loginBody{"community", "wrong password"}
	for i := range 5 {
		if r, b := f.do("POST", "/api/login", "", bad); r.StatusCode != 401 {
			t.Fatalf("attempt %d: %d %s", i, r.StatusCode, b)
		}
	}
	f.expect(429, "POST", "/api/login", "", loginBody{"community", testPassword})
	f.expect(401, "POST", "/api/login", "", loginBody{"street", "wrong password"}) // other user: own budget
	f.clock.Add(61 * time.Second)
	f.expect(200, "POST", "/api/login", "", loginBody{"community", testPassword})
	if a := auditActions(t, f); a["login.failed"] != 6 || a["login.limited"] != 1 || a["login"] != 1 {
		t.Fatalf("audit %v", a)
	}
}

func TestIdempotencyKey(t *testing.T) {
	f := newFixture(t)
	body := map[string]any{"name": "幂等", "phone": "13900139002", "community_id": f.units["C1a"]}
	r1, b1 := f.do("POST", "/api/residents", "street", body, "Idempotency-Key", "k-1")
	r2, b2 := f.do("POST", "/api/residents", "street", body, "Idempotency-Key", "k-1")
	if r1.StatusCode != 201 || r2.StatusCode != 201 || !bytes.Equal(b1, b2) || r2.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s / %d %s", r1.StatusCode, b1, r2.StatusCode, b2)
	}
	body["name"] = "另一个"
	if r, _ := f.do("POST", "/api/residents", "street", body, "Idempotency-Key", "k-1"); r.StatusCode != 422 {
		t.Fatalf("reuse with another body: %d", r.StatusCode)
	}
	var out struct{ Residents []residentJSON }
	decode(t, f.expect(200, "GET", "/api/residents?q=幂等", "admin", nil), &out)
	if len(out.Residents) != 1 {
		t.Fatalf("%d residents created", len(out.Residents))
	}
	if out.Residents[0].Phone != "139****9002" {
		t.Fatalf("phone not masked: %q", out.Residents[0].Phone)
	}
}

// testXLSX writes a resident list with one bad row.
func testXLSX(t testing.TB, path string, n int) {
	x := excelize.NewFile()
	rows := [][]any{{"姓名", "手机号", "社区", "网格"}}
	for i := range n {
		rows = append(rows, []any{fmt.Sprintf("导入%d", i), fmt.Sprintf("1370000%04d", i), "东社区", ""})
	}
	rows = append(rows, []any{"坏行", "12345", "东社区", ""})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func TestImportUpload(t *testing.T) {
	f := newFixture(t)
	path := t.TempDir() + "/list.xlsx"
	testXLSX(t, path, 5)
	data, _ := os.ReadFile(path)
	upload := func(q string) (int, importJSON) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "list.xlsx")
		fw.Write(data)
		mw.Close()
		r, b := f.do("POST", "/api/residents/import"+q, "street", buf.Bytes(), "Content-Type", mw.FormDataContentType())
		var rep importJSON
		decode(t, b, &rep)
		return r.StatusCode, rep
	}
	code, rep := upload("?dry_run=1")
	if code != 200 || !rep.DryRun || rep.Rows != 6 || rep.Imported != 5 || rep.Bad != 1 || len(rep.Problems) != 1 {
		t.Fatalf("dry run: %d %+v", code, rep)
	}
	code, rep = upload("")
	if code != 201 || rep.Imported != 5 || rep.Problems[0].Line != 7 {
		t.Fatalf("import: %d %+v", code, rep)
	}
	if !strings.Contains(rep.Summary, "6 rows: imported 5, already present 0, bad 1") {
		t.Fatalf("summary %q", rep.Summary)
	}
	if _, rep = upload(""); rep.Existing != 5 || rep.Imported != 0 {
		t.Fatalf("re-import not idempotent: %+v", rep)
	}
	// Street staff see what they imported (it landed in their street's 东社区).
	if names := f.residentNames("street"); !slices.Contains(names, "导入0") {
		t.Fatalf("street staff do not see their import: %v", names)
	}
	// Community staff may import too, into their community (TestImportIntoArea).
	f.expect(400, "POST", "/api/residents/import", "community", "x")
}

func TestScriptsUploadValidate(t *testing.T) {
	f := newFixture(t)
	src := sampleScript(t)
	var chk checkJSON
	decode(t, f.expect(200, "POST", "/api/scripts/validate", "community", src), &chk)
	if !chk.OK || chk.ID == "" {
		t.Fatalf("validate: %+v", chk)
	}
	decode(t, f.expect(200, "POST", "/api/scripts/validate", "community", "id: x\nstart: nowhere\n"), &chk)
	if chk.OK || len(chk.Diagnostics) == 0 || chk.Diagnostics[0].Line == 0 {
		t.Fatalf("invalid script passed: %+v", chk)
	}
	f.expect(422, "POST", "/api/scripts", "street", "id: x\nstart: nowhere\n")
	var v ScriptVersion
	decode(t, f.expect(201, "POST", "/api/scripts", "street", src), &v)
	decode(t, f.expect(201, "POST", "/api/scripts", "street", src), &v)
	if v.Version != 1 {
		t.Fatalf("same script again: version %d, want 1 (same digest)", v.Version)
	}
	changed := bytes.Replace(src, []byte("您好"), []byte("你好"), 1)
	decode(t, f.expect(201, "POST", "/api/scripts", "street", changed), &v)
	if v.Version != 2 {
		t.Fatalf("changed script: version %d, want 2", v.Version)
	}
	var vs struct{ Versions []ScriptVersion }
	decode(t, f.expect(200, "GET", "/api/scripts/"+v.ID+"/versions", "community", nil), &vs)
	if len(vs.Versions) != 2 || vs.Versions[0].Version != 1 || vs.Versions[1].Nodes == 0 {
		t.Fatalf("versions %+v", vs.Versions)
	}
	if b := f.expect(200, "GET", "/api/scripts/"+v.ID+"/versions/1", "community", nil); !bytes.Equal(b, src) {
		t.Fatal("version 1 source differs")
	}
}

func TestCampaignLifecycle(t *testing.T) {
	f := newFixture(t)
	src := sampleScript(t)
	var v ScriptVersion
	decode(t, f.expect(201, "POST", "/api/scripts", "street", src), &v)
	chk := checkJSON{ID: v.ID}
	body := map[string]any{"name": "每日随访", "script_id": chk.ID, "target": map[string]string{"kind": "community", "ref": "东社区"},
		"schedule": map[string]any{"cron": []string{"0 9 * * *"}}, "windows": []string{"08:30-11:30", "14:00-17:00"},
		"max_lines": 4, "max_attempts": 3, "daily_cap": 2}
	var c campaignJSON
	decode(t, f.expect(201, "POST", "/api/campaigns", "street", body), &c)
	if c.State != "draft" || len(c.Windows) != 2 || c.MaxLines != 4 || c.ScriptID != chk.ID+"@1" {
		t.Fatalf("created %+v", c)
	}
	base := fmt.Sprintf("/api/campaigns/%d", c.ID)
	f.expect(409, "POST", base+"/pause", "street", nil)
	for verb, state := range map[string]string{"launch": "running"} {
		decode(t, f.expect(200, "POST", base+"/"+verb, "street", nil), &c)
		if c.State != state {
			t.Fatalf("%s → %s", verb, c.State)
		}
	}
	decode(t, f.expect(200, "POST", base+"/pause", "street", nil), &c)
	decode(t, f.expect(200, "POST", base+"/resume", "street", nil), &c)
	var p Progress
	decode(t, f.expect(200, "GET", base+"/progress", "community", nil), &p)
	if p.Total != 8 || p.Done == 0 {
		t.Fatalf("progress %+v", p)
	}
	decode(t, f.expect(200, "POST", base+"/cancel", "street", nil), &c)
	if c.State != "cancelled" {
		t.Fatalf("cancel → %s", c.State)
	}
	f.expect(400, "POST", "/api/campaigns", "street", map[string]any{"name": "x", "script_id": "missing"})
}

func TestAlertLifecycle(t *testing.T) {
	f := newFixture(t)
	base := fmt.Sprintf("/api/alerts/%d", f.alert["C1a"])
	var a alertJSON
	decode(t, f.expect(200, "POST", base+"/acknowledge", "community", map[string]any{"notes": "上门"}), &a)
	if a.Status != "acknowledged" || a.AssigneeID != f.users["community"] {
		t.Fatalf("acknowledged %+v", a)
	}
	f.expect(409, "POST", base+"/acknowledge", "community", nil)
	decode(t, f.expect(200, "POST", base+"/resolve", "community", map[string]any{"notes": "已联系"}), &a)
	if a.Status != "resolved" {
		t.Fatalf("resolved %+v", a)
	}
	if acts := auditActions(t, f); acts["alert.acknowledge"] != 1 || acts["alert.resolve"] != 1 {
		t.Fatalf("audit %v", acts)
	}
}

func TestObservationsAndTimeline(t *testing.T) {
	f := newFixture(t)
	var out struct{ Observed []observedJSON }
	decode(t, f.expect(200, "GET", "/api/observations", "community", nil), &out)
	if len(out.Observed) != 1 || out.Observed[0].Observation.Release != "2026-12-08" || out.Observed[0].DaysLeft != 10 {
		t.Fatalf("observed %+v", out.Observed)
	}
	rid := f.res["C1a"]
	f.expect(201, "POST", fmt.Sprintf("/api/residents/%d/observations", rid), "community",
		map[string]any{"reason": "返乡", "release": "2026-12-01", "call_times": "09:00,16:00"})
	f.expect(200, "PATCH", fmt.Sprintf("/api/residents/%d/observations/%d", rid, f.obs), "community",
		map[string]any{"release": "2026-12-02"})
	var tl struct {
		Observations []observationJSON
		Alerts       []alertJSON
	}
	decode(t, f.expect(200, "GET", fmt.Sprintf("/api/residents/%d/timeline", rid), "community", nil), &tl)
	if len(tl.Observations) != 2 || len(tl.Alerts) != 1 {
		t.Fatalf("timeline %+v", tl)
	}
}

func TestUsersAndTokens(t *testing.T) {
	f := newFixture(t)
	f.expect(400, "POST", "/api/users", "admin", map[string]any{"username": "x", "password": "short", "role": "street", "org_unit_id": f.units["S1"]})
	f.expect(400, "POST", "/api/users", "admin", map[string]any{"username": "x", "password": "long enough", "role": "street", "org_unit_id": f.units["C1a"]})
	var u userJSON
	decode(t, f.expect(201, "POST", "/api/users", "admin", map[string]any{"username": "grid1", "password": "long enough",
		"role": "community", "org_unit_id": f.units["C2"]}), &u)
	var tok struct{ Token string }
	decode(t, f.expect(201, "POST", fmt.Sprintf("/api/users/%d/tokens", u.ID), "admin", map[string]any{"name": "ci"}), &tok)
	f.tokens["grid1"] = tok.Token
	var me map[string]any
	decode(t, f.expect(200, "GET", "/api/me", "grid1", nil), &me)
	if me["role"] != "community" || me["via"] != "token" {
		t.Fatalf("me %v", me)
	}
	f.expect(204, "POST", "/api/tokens/revoke", "admin", map[string]any{"token": tok.Token})
	f.expect(401, "GET", "/api/me", "grid1", nil)
}
