package web

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outreach/campaigns"
	"outreach/ivr"
	"outreach/media"
	"outreach/storage"
)

// seedCall places one finished call to the C1a resident, with answers and
// a recording, and returns its attempt id.
func (f *fixture) seedCall(t *testing.T) int64 {
	ctx := context.Background()
	c := must[campaigns.Campaign](t)(f.store.Campaign(ctx, f.camp["C1a"]))
	due := must[[]campaigns.DueTask](t)(f.store.CreateRun(ctx, 1, c, f.clock.Now()))
	if len(due) != 1 {
		t.Fatalf("run tasks %d", len(due))
	}
	a := must[campaigns.Attempt](t)(f.store.BeginAttempt(ctx, due[0].TaskID, "tok", "w1", f.clock.Now()))
	wav := filepath.Join(t.TempDir(), "call.wav")
	if err := media.WriteWAVFile(wav, media.Silence(200*time.Millisecond), media.SampleRate); err != nil {
		t.Fatal(err)
	}
	end := f.clock.Now().Add(time.Minute)
	if err := f.store.FinishAttempt(ctx, a, campaigns.CallResult{Outcome: campaigns.OutcomeCompleted, SIPStatus: 200,
		Answered: true, Start: f.clock.Now(), End: end}, campaigns.Decision{Verdict: campaigns.VerdictDone, Counted: true}); err != nil {
		t.Fatal(err)
	}
	err := f.store.WriteResults(ctx, []storage.Result{{AttemptID: a.ID, Outcome: campaigns.OutcomeCompleted, SIPStatus: 200,
		Answered: true, HangupBy: "robot", RecordingPath: wav, AnswerAt: f.clock.Now(), EndAt: f.clock.Now().Add(time.Minute),
		Answers: []ivr.Answer{{Node: "temperature", Key: "temperature", Type: ivr.TypeNumber, Value: 36.8, Method: ivr.MethodDTMF}}}})
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

func TestCallsAndTimeline(t *testing.T) {
	f := newFixture(t)
	id := f.seedCall(t)
	var out struct{ Calls []callJSON }
	decode(t, f.expect(200, "GET", fmt.Sprintf("/api/calls?campaign_id=%d", f.camp["C1a"]), "community", nil), &out)
	if len(out.Calls) != 1 || out.Calls[0].Outcome != "completed" || len(out.Calls[0].Answers) != 1 ||
		out.Calls[0].Answers[0].Value != 36.8 || !out.Calls[0].HasRecording {
		t.Fatalf("calls %+v", out.Calls)
	}
	decode(t, f.expect(200, "GET", "/api/calls?outcome=completed", "community2", nil), &out)
	if len(out.Calls) != 0 {
		t.Fatalf("another community sees %d calls", len(out.Calls))
	}
	f.expect(400, "GET", "/api/calls?outcome=bogus", "admin", nil)
	f.expect(403, "GET", fmt.Sprintf("/api/calls/%d", id), "community2", nil)
	f.expect(403, "GET", fmt.Sprintf("/api/calls/%d/recording", id), "community2", nil)
	resp, b := f.do("GET", fmt.Sprintf("/api/calls/%d/recording", id), "community", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(string(b), "RIFF") {
		t.Fatalf("recording: %d %.4q", resp.StatusCode, b)
	}
	var tl struct{ Calls []callJSON }
	decode(t, f.expect(200, "GET", fmt.Sprintf("/api/residents/%d/timeline", f.res["C1a"]), "street", nil), &tl)
	if len(tl.Calls) != 1 || tl.Calls[0].ID != id {
		t.Fatalf("timeline calls %+v", tl.Calls)
	}
	c, _ := consoleClient(t, f, "community")
	code, page := get(t, c, fmt.Sprintf("%s/results?campaign=%d", f.ts.URL, f.camp["C1a"]))
	if code != 200 || !strings.Contains(page, "temperature=36.8") || !strings.Contains(page, "<audio") {
		t.Fatalf("results page %d", code)
	}
	if acts := auditActions(t, f); acts["recording.play"] != 1 {
		t.Fatalf("audit %v", acts)
	}
}

func TestStoreProgress(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sp := StoreProgress{f.store}
	p, err := sp.Progress(ctx, f.camp["C1a"])
	if err != nil || p.Total != 0 || p.Percent != 0 {
		t.Fatalf("before any run: %+v %v", p, err)
	}
	f.seedCall(t)
	p, err = sp.Progress(ctx, f.camp["C1a"])
	if err != nil || p.Total != 1 || p.Done != 1 || p.Percent != 100 || p.Outcomes["completed"] != 1 {
		t.Fatalf("after the call: %+v %v", p, err)
	}
	// A second resident in C1a: queued, then dialing.
	rid := must[int64](t)(f.store.CreateResident(ctx, storage.Resident{Name: "二号", Phone: "+8613800138099", CommunityID: f.units["C1a"]}))
	c := must[campaigns.Campaign](t)(f.store.Campaign(ctx, f.camp["C1a"]))
	due := must[[]campaigns.DueTask](t)(f.store.CreateRun(ctx, 2, c, f.clock.Now().Add(time.Hour)))
	p, _ = sp.Progress(ctx, f.camp["C1a"])
	if p.Queued != 2 || p.Total != 3 {
		t.Fatalf("queued: %+v (due %d, resident %d)", p, len(due), rid)
	}
	must[campaigns.Attempt](t)(f.store.BeginAttempt(ctx, due[0].TaskID, "t2", "w", f.clock.Now()))
	p, _ = sp.Progress(ctx, f.camp["C1a"])
	if p.Dialing != 1 || len(p.Live) != 1 || !strings.Contains(p.Live[0].Phone, "****") || p.Percent != 33 {
		t.Fatalf("dialing: %+v", p)
	}
}
