package web

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
)

// fill substitutes path parameters with rows every role can see (C1a).
func (f *fixture) fill(path string) string {
	r := strings.NewReplacer(
		"/api/residents/{id}/observations/{oid}", fmt.Sprintf("/api/residents/%d/observations/%d", f.res["C1a"], f.obs),
		"/api/residents/{id}", fmt.Sprintf("/api/residents/%d", f.res["C1a"]),
		"/api/campaigns/{id}", fmt.Sprintf("/api/campaigns/%d", f.camp["C1a"]),
		"/api/alerts/{id}", fmt.Sprintf("/api/alerts/%d", f.alert["C1a"]),
		"/api/users/{id}", fmt.Sprintf("/api/users/%d", f.users["street"]),
		"/api/calls/{id}", "/api/calls/999999",
		"/api/scripts/{id}/versions/{version}/prompts/{node}", "/api/scripts/daily-health-check/versions/1/prompts/identity",
		"/api/scripts/{id}/versions/{version}", "/api/scripts/daily-health-check/versions/1",
		"/api/scripts/{id}", "/api/scripts/daily-health-check",
	)
	return r.Replace(path)
}

// TestAuthorizationMatrix sends every registered route as every role:
// nobody gets 401, a role without the route's permission 403, and a role
// with it anything but 401/403/5xx (501 allowed for back-end gaps).
func TestAuthorizationMatrix(t *testing.T) {
	f := newFixture(t)
	routes := append([]route(nil), f.srv.routes...)
	// Destructive routes last, so the rows stay for the others.
	sort.SliceStable(routes, func(i, j int) bool {
		return routes[i].Method != "DELETE" && routes[j].Method == "DELETE"
	})
	roles := map[string]Role{"community": RoleCommunity, "street": RoleStreet, "admin": RoleAdmin}
	checked := 0
	for _, rt := range routes {
		if strings.HasSuffix(rt.Path, "/events") || rt.Path == "/api/logout" {
			continue // covered in TestEventsAndLogout (streams / ends sessions)
		}
		path := f.fill(rt.Path)
		if strings.Contains(path, "{") {
			t.Fatalf("route %s %s: no fixture value for a parameter", rt.Method, rt.Path)
		}
		if rt.Perm != permPublic {
			f.expect(http.StatusUnauthorized, rt.Method, path, "", "{}")
		}
		for _, name := range []string{"community", "street", "admin"} {
			resp, b := f.do(rt.Method, path, name, "{}")
			allowed := rt.Perm.allows(roles[name])
			switch {
			case !allowed && resp.StatusCode != http.StatusForbidden:
				t.Errorf("%s %s as %s: %d, want 403 (%s only)", rt.Method, rt.Path, name, resp.StatusCode, rt.Perm)
			case rt.Perm == permPublic:
			case allowed && (resp.StatusCode == 401 || resp.StatusCode == 403 ||
				(resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented)):
				t.Errorf("%s %s as %s: %d, want access: %s", rt.Method, rt.Path, name, resp.StatusCode, b)
			}
			checked++
		}
	}
	if checked < 3*40 {
		t.Fatalf("only %d role×route checks", checked)
	}
}

// TestCrossCommunity: rows of another community or street are refused
// with 403 on every kind of access.
func TestCrossCommunity(t *testing.T) {
	f := newFixture(t)
	src := sampleScript(t)
	f.expect(201, "POST", "/api/scripts", "admin", src)
	other := fmt.Sprintf("/api/residents/%d", f.res["C2"])
	sibling := fmt.Sprintf("/api/residents/%d", f.res["C1b"])
	cases := []struct {
		role, method, path string
		body               any
		want               int
	}{
		{"community", "GET", other, nil, 403},
		{"community", "PATCH", other, map[string]any{"name": "x"}, 403},
		{"community", "DELETE", other, nil, 403},
		{"community", "GET", other + "/observations", nil, 403},
		{"community", "POST", other + "/observations", map[string]any{"reason": "x"}, 403},
		{"community", "GET", other + "/timeline", nil, 403},
		{"community", "GET", sibling, nil, 403}, // same street, other community
		{"street", "GET", sibling, nil, 200},
		{"street", "GET", other, nil, 403},
		{"community", "POST", "/api/residents", map[string]any{"name": "新", "phone": "13900139000", "community_id": f.units["C2"]}, 403},
		{"community", "POST", fmt.Sprintf("/api/alerts/%d/acknowledge", f.alert["C2"]), nil, 403},
		{"community", "POST", fmt.Sprintf("/api/alerts/%d/resolve", f.alert["C2"]), map[string]any{"notes": "x"}, 403},
		{"street", "POST", fmt.Sprintf("/api/alerts/%d/assign", f.alert["C2"]), map[string]any{"assignee_id": 1}, 403},
		{"street", "GET", fmt.Sprintf("/api/campaigns/%d", f.camp["C2"]), nil, 403},
		{"street", "POST", fmt.Sprintf("/api/campaigns/%d/launch", f.camp["C2"]), nil, 403},
		{"street", "GET", fmt.Sprintf("/api/campaigns/%d/export", f.camp["C2"]), nil, 403},
		{"street", "POST", "/api/campaigns", map[string]any{"name": "x", "script_id": "daily-health-check", "target": map[string]string{"kind": "community", "ref": "南社区"}}, 403},
		{"street", "POST", "/api/campaigns", map[string]any{"name": "x", "script_id": "daily-health-check", "target": map[string]string{"kind": "tag", "ref": "all"}}, 403},
		{"community", "GET", fmt.Sprintf("/api/campaigns/%d", f.camp["C2"]), nil, 403},
		{"community", "GET", fmt.Sprintf("/api/campaigns/%d", f.camp["C1b"]), nil, 403}, // same street, other community
		{"community2", "GET", fmt.Sprintf("/api/campaigns/%d/progress", f.camp["C1a"]), nil, 403},
		{"street", "POST", "/api/campaigns", map[string]any{"name": "x", "script_id": "daily-health-check", "unit_id": f.units["C2"],
			"target": map[string]string{"kind": "community", "ref": "南社区"}}, 403},
		{"street", "PATCH", fmt.Sprintf("/api/campaigns/%d", f.camp["C1a"]), map[string]any{"unit_id": f.units["C2"]}, 403},
		{"community", "GET", fmt.Sprintf("/api/calls?campaign_id=%d", f.camp["C2"]), nil, 200}, // lists only their calls
		{"community", "GET", fmt.Sprintf("/api/residents?community_id=%d", f.units["C2"]), nil, 403},
		{"community", "GET", fmt.Sprintf("/api/residents/%d?unmask=1", f.res["C1a"]), nil, 403},
	}
	for _, c := range cases {
		f.expect(c.want, c.method, c.path, c.role, c.body)
	}
	// Lists show only the caller's area.
	for role, want := range map[string]int{"community": 1, "street": 2, "admin": 3, "community2": 1} {
		var out struct{ Residents []residentJSON }
		decode(t, f.expect(200, "GET", "/api/residents", role, nil), &out)
		if len(out.Residents) != want {
			t.Errorf("%s sees %d residents, want %d", role, len(out.Residents), want)
		}
		var al struct{ Alerts []alertJSON }
		decode(t, f.expect(200, "GET", "/api/alerts", role, nil), &al)
		if len(al.Alerts) != want {
			t.Errorf("%s sees %d alerts, want %d", role, len(al.Alerts), want)
		}
		var cs struct{ Campaigns []campaignJSON }
		decode(t, f.expect(200, "GET", "/api/campaigns", role, nil), &cs)
		if len(cs.Campaigns) != want {
			t.Errorf("%s sees %d campaigns, want %d", role, len(cs.Campaigns), want)
		}
		var obs struct{ Observed []observedJSON }
		decode(t, f.expect(200, "GET", "/api/observations", role, nil), &obs)
		if n := map[string]int{"community": 1, "street": 1, "admin": 1}[role]; len(obs.Observed) != n { // C1a's resident
			t.Errorf("%s sees %d residents under observation, want %d", role, len(obs.Observed), n)
		}
	}
}

// TestExportRoles: community staff may not export; street staff get masked
// numbers and may not unmask; a supervisor may, and it is audited.
func TestExportRoles(t *testing.T) {
	f := newFixture(t)
	path := fmt.Sprintf("/api/campaigns/%d/export", f.camp["C1a"])
	f.expect(403, "GET", path, "community", nil)
	resp, b := f.do("GET", path+"?format=csv", "street", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("street csv export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !strings.Contains(string(b), "姓名") {
		t.Fatalf("csv export without header: %q", b)
	}
	f.expect(403, "GET", path+"?unmask=1", "street", nil)
	resp, b = f.do("GET", path+"?unmask=1", "supervisor", nil)
	if resp.StatusCode != 200 || len(b) < 4 || string(b[:2]) != "PK" {
		t.Fatalf("supervisor xlsx export: %d %.20q", resp.StatusCode, b)
	}
	actions := auditActions(t, f)
	for _, want := range []string{"export", "unmask"} {
		if actions[want] == 0 {
			t.Errorf("no %q audit row in %v", want, actions)
		}
	}
}

func auditActions(t *testing.T, f *fixture) map[string]int {
	var out struct{ Entries []struct{ Action string } }
	decode(t, f.expect(200, "GET", "/api/audit", "admin", nil), &out)
	m := map[string]int{}
	for _, e := range out.Entries {
		m[e.Action]++
	}
	return m
}
