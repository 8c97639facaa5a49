package storagetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"outreach/campaigns"
	"outreach/ivr"
	"outreach/storage"
)

func testHealthRetention(t *testing.T, f Factory) {
	ctx := context.Background()
	clk := &Clock{T: t0}
	s := f(t, clk.Now)
	a := must[int64](t)(s.CreateResident(ctx, resident("甲", "+8613800000001")))
	b := must[int64](t)(s.CreateResident(ctx, resident("乙", "+8613800000002")))
	must[int64](t)(s.AddObservation(ctx, storage.Observation{ResidentID: a, Start: t0.AddDate(0, 0, -14), Release: t0.AddDate(0, 0, -1)}))
	must[int64](t)(s.AddObservation(ctx, storage.Observation{ResidentID: b, Start: t0.AddDate(0, 0, -2)}))
	obs := must[[]storage.Observed](t)(s.UnderObservation(ctx, storage.ObservedFilter{Day: t0, Limit: 10}))
	if len(obs) != 1 || obs[0].ResidentID != b {
		t.Fatalf("under observation: %+v", obs)
	}
	for _, id := range []int64{a, b} {
		h := storage.HealthRecord{ResidentID: id, Day: t0.AddDate(0, 0, -2), Status: storage.HealthAbnormal,
			Temperature: 37.8, Symptoms: true, Notes: "咳嗽"}
		must[int64](t)(s.PutHealthRecord(ctx, h))
		h.Temperature = 38.1
		must[int64](t)(s.PutHealthRecord(ctx, h)) // upsert of the same day
	}
	recs := must[[]storage.HealthRecord](t)(s.HealthRecords(ctx, a))
	if len(recs) != 1 || recs[0].Temperature != 38.1 || recs[0].Notes != "咳嗽" || !recs[0].Symptoms {
		t.Fatalf("records: %+v", recs)
	}
	if n := must[int64](t)(s.PurgeHealthRecords(ctx, 7*24*time.Hour)); n != 0 {
		t.Fatalf("purged %d before retention", n)
	}
	clk.T = t0.AddDate(0, 0, 10)
	if n := must[int64](t)(s.PurgeHealthRecords(ctx, 7*24*time.Hour)); n != 1 {
		t.Fatalf("purged %d, want 1 (the released resident only)", n)
	}
	if r := must[[]storage.HealthRecord](t)(s.HealthRecords(ctx, b)); len(r) != 1 {
		t.Fatal("open observation's records purged")
	}
}

func testAlerts(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	rid := must[int64](t)(s.CreateResident(ctx, resident("丙", "+8613800000003")))
	uid := must[int64](t)(s.CreateUser(ctx, storage.User{Username: "grid1", Role: storage.RoleGridWorker}))
	id := must[int64](t)(s.CreateAlert(ctx, storage.Alert{ResidentID: rid, Kind: "fever", Notes: "37.8"}))
	open := must[[]storage.Alert](t)(s.Alerts(ctx, storage.AlertFilter{Status: storage.AlertOpen}))
	if len(open) != 1 || open[0].Kind != "fever" || open[0].Notes != "37.8" {
		t.Fatalf("open alerts: %+v", open)
	}
	if err := s.AcknowledgeAlert(ctx, id, uid); err != nil {
		t.Fatal(err)
	}
	if err := s.AcknowledgeAlert(ctx, id, uid); !errors.Is(err, storage.ErrAlertState) {
		t.Fatalf("acknowledge twice: %v", err)
	}
	if err := s.ResolveAlert(ctx, id, "上门核实，体温正常"); err != nil {
		t.Fatal(err)
	}
	if err := s.AssignAlert(ctx, id, uid); !errors.Is(err, storage.ErrAlertState) {
		t.Fatalf("assign resolved: %v", err)
	}
	all := must[[]storage.Alert](t)(s.Alerts(ctx, storage.AlertFilter{AssigneeID: uid}))
	if len(all) != 1 || all[0].Status != storage.AlertResolved || all[0].Notes != "上门核实，体温正常" ||
		all[0].Acknowledged.IsZero() || all[0].Resolved.IsZero() {
		t.Fatalf("resolved alert: %+v", all)
	}
}

func testDoNotCall(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	p := "+8613800000004"
	if must[bool](t)(s.DoNotCall(ctx, p)) {
		t.Fatal("on the list before adding")
	}
	if err := s.AddDoNotCall(ctx, "admin", p, "resident asked"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddDoNotCall(ctx, "admin", p, "again"); err != nil {
		t.Fatal(err)
	}
	if !must[bool](t)(s.DoNotCall(ctx, p)) {
		t.Fatal("not on the list after adding")
	}
	if err := s.RemoveDoNotCall(ctx, "admin", p); err != nil {
		t.Fatal(err)
	}
	if must[bool](t)(s.DoNotCall(ctx, p)) {
		t.Fatal("still on the list after removing")
	}
}

func testDeleteCascade(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	_, tasks := seed(t, s, 2)
	task := must[campaigns.Task](t)(s.Task(ctx, tasks[0]))
	rid := task.ResidentID
	a := must[campaigns.Attempt](t)(s.BeginAttempt(ctx, tasks[0], "t", "w", t0))
	if err := s.WriteResults(ctx, []storage.Result{{AttemptID: a.ID, Outcome: campaigns.OutcomeCompleted,
		Answers: []ivr.Answer{{Key: "k", Value: "v"}}}}); err != nil {
		t.Fatal(err)
	}
	must[int64](t)(s.AddObservation(ctx, storage.Observation{ResidentID: rid, Start: t0}))
	must[int64](t)(s.PutHealthRecord(ctx, storage.HealthRecord{ResidentID: rid, Day: t0, AttemptID: a.ID}))
	must[int64](t)(s.CreateAlert(ctx, storage.Alert{ResidentID: rid, Kind: "fever", AttemptID: a.ID}))
	if err := s.DeleteResident(ctx, "admin", rid); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Resident(ctx, rid); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("resident after delete: %v", err)
	}
	if _, err := s.Task(ctx, tasks[0]); !errors.Is(err, campaigns.ErrNotFound) {
		t.Fatalf("task after delete: %v", err)
	}
	if _, err := s.Attempt(ctx, a.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("attempt after delete: %v", err)
	}
	if o := must[[]storage.Observation](t)(s.Observations(ctx, rid)); len(o) != 0 {
		t.Fatal("observations survive")
	}
	if h := must[[]storage.HealthRecord](t)(s.HealthRecords(ctx, rid)); len(h) != 0 {
		t.Fatal("health records survive")
	}
	if al := must[[]storage.Alert](t)(s.Alerts(ctx, storage.AlertFilter{ResidentID: rid})); len(al) != 0 {
		t.Fatal("alerts survive")
	}
	if _, err := s.Task(ctx, tasks[1]); err != nil {
		t.Fatalf("other resident's task: %v", err)
	}
	if err := s.DeleteResident(ctx, "admin", rid); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
}
