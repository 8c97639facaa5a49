package web

import (
	"fmt"
	"testing"
	"time"
)

// A campaign created without a schedule runs once when it is launched: a
// draft launched the next day gets that day's time, not its creation time
// (which the scheduler would treat as a missed occurrence).
func TestRunNowCampaignLaunchedLater(t *testing.T) {
	f := newFixture(t)
	src := sampleScript(t)
	var v ScriptVersion
	decode(t, f.expect(201, "POST", "/api/scripts", "street", src), &v)
	body := map[string]any{"name": "立即外呼", "script_id": v.ID, "target": map[string]string{"kind": "community", "ref": "东社区"}}
	var c campaignJSON
	decode(t, f.expect(201, "POST", "/api/campaigns", "street", body), &c)
	if !c.Schedule.OnLaunch || c.Schedule.At == nil {
		t.Fatalf("run-now campaign schedule %+v, want on_launch with an at", c.Schedule)
	}
	f.clock.Add(26 * time.Hour)
	launch := f.clock.Now()
	base := fmt.Sprintf("/api/campaigns/%d", c.ID)
	decode(t, f.expect(200, "POST", base+"/launch", "street", nil), &c)
	decode(t, f.expect(200, "GET", base, "street", nil), &c)
	if c.State != "running" || c.Schedule.At == nil || !c.Schedule.At.Equal(launch) {
		t.Fatalf("after launch: state %s at %v, want running at %s", c.State, c.Schedule.At, launch)
	}
}
