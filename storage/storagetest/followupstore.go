package storagetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"outreach/campaigns"
	"outreach/followup"
	"outreach/storage"
)

func testFollowupRecords(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	fs := s.Followup()
	rid := must[int64](t)(s.CreateResident(ctx, resident("甲", "+8613800000011")))
	d := campaigns.DateOf(t0)
	if _, ok, err := fs.Record(ctx, rid, d); ok || err != nil {
		t.Fatalf("record before put: %v %v", ok, err)
	}
	rec := followup.Record{ResidentID: rid, Day: d, Status: followup.RecordCompleted, Temperature: 38.2,
		Symptoms: []string{"cough"}, LeftHome: followup.No, Alerts: []string{"fever"},
		Answers: map[string]any{"temperature": 38.2, "identity": true, "note": "咳嗽"}, Attempts: []int64{7}, Calls: 1}
	if err := fs.PutRecord(ctx, rec); err != nil {
		t.Fatal(err)
	}
	rec.Calls = 2
	if err := fs.PutRecord(ctx, rec); err != nil { // replace
		t.Fatal(err)
	}
	got, ok, err := fs.Record(ctx, rid, d)
	if err != nil || !ok || got.Calls != 2 || got.Temperature != 38.2 || got.Answers["note"] != "咳嗽" ||
		got.Answers["identity"] != true || len(got.Alerts) != 1 || got.Day != d {
		t.Fatalf("record %+v %v %v", got, ok, err)
	}
	day := must[[]followup.Record](t)(fs.RecordsOn(ctx, d))
	if len(day) != 1 || day[0].ResidentID != rid {
		t.Fatalf("records on: %+v", day)
	}
	// The daily report reads the projection.
	hr := must[[]storage.HealthRecord](t)(s.HealthRecords(ctx, rid))
	if len(hr) != 1 || hr[0].Status != storage.HealthAbnormal || !hr[0].Symptoms {
		t.Fatalf("projection %+v", hr)
	}
	c := must[followup.Contact](t)(fs.Contact(ctx, rid))
	if c.Name != "甲" || c.Phone != "+8613800000011" {
		t.Fatalf("contact %+v", c)
	}
	if _, err := fs.Contact(ctx, rid+99); !errors.Is(err, followup.ErrNotFound) {
		t.Fatalf("missing contact: %v", err)
	}
	oid := must[int64](t)(fs.AddObservation(ctx, followup.Observation{ResidentID: rid, Start: d, CallTimes: []string{"09:00"}}))
	if err := fs.SetRelease(ctx, oid, campaigns.DateOf(t0.AddDate(0, 0, 14))); err != nil {
		t.Fatal(err)
	}
	if err := fs.SetRelease(ctx, oid+99, d); !errors.Is(err, followup.ErrNotFound) {
		t.Fatalf("missing observation: %v", err)
	}
}

func testFollowupAlerts(t *testing.T, f Factory) {
	ctx := context.Background()
	s := f(t, nil)
	fs := s.Followup()
	rid := must[int64](t)(s.CreateResident(ctx, resident("乙", "+8613800000012")))
	d := campaigns.DateOf(t0)
	a := followup.Alert{Key: followup.AlertKey(rid, "fever", d), ResidentID: rid, Kind: "fever", Day: d,
		Status: followup.AlertOpen, Rule: "temperature >= 37.3", Note: "38.2", Created: t0}
	ev := followup.NewEvent(followup.EventRaised, a, followup.SystemActor, "", t0)
	stored, created, err := fs.CreateAlert(ctx, a, ev)
	if err != nil || !created || stored.ID == 0 {
		t.Fatalf("create %+v %v %v", stored, created, err)
	}
	again, created, err := fs.CreateAlert(ctx, a, ev)
	if err != nil || created || again.ID != stored.ID {
		t.Fatalf("dedupe %+v %v %v", again, created, err)
	}
	byKey, ok, err := fs.AlertByKey(ctx, a.Key)
	if err != nil || !ok || byKey.ID != stored.ID || byKey.Note != "38.2" {
		t.Fatalf("by key %+v %v %v", byKey, ok, err)
	}
	if _, ok, _ := fs.AlertByKey(ctx, "nope"); ok {
		t.Fatal("unknown key found")
	}
	ack, ackEv, err := stored.Acknowledge("grid1", 0, "去看看", t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.UpdateAlert(ctx, ack, followup.AlertOpen, ackEv); err != nil {
		t.Fatal(err)
	}
	if err := fs.UpdateAlert(ctx, ack, followup.AlertOpen, ackEv); !errors.Is(err, followup.ErrConflict) {
		t.Fatalf("stale update: %v", err)
	}
	missing := ack
	missing.ID = 999
	if err := fs.UpdateAlert(ctx, missing, followup.AlertOpen, ackEv); !errors.Is(err, followup.ErrNotFound) {
		t.Fatalf("missing alert: %v", err)
	}
	got := must[followup.Alert](t)(fs.Alert(ctx, stored.ID))
	if got.Status != followup.AlertAcknowledged || len(got.Notes) != 1 || got.Notes[0].Text != "去看看" || got.AcknowledgedBy != "grid1" {
		t.Fatalf("after ack %+v", got)
	}
	if on := must[[]followup.Alert](t)(fs.AlertsOn(ctx, d)); len(on) != 1 || on[0].ID != stored.ID {
		t.Fatalf("alerts on %+v", on)
	}
	view := must[[]storage.Alert](t)(s.Alerts(ctx, storage.AlertFilter{ResidentID: rid}))
	if len(view) != 1 || view[0].Status != storage.AlertAcknowledged || view[0].Kind != "fever" {
		t.Fatalf("store view %+v", view)
	}
	testOutbox(t, fs, stored, ackEv)
	if err := s.DeleteResident(ctx, "admin", rid); err != nil {
		t.Fatal(err)
	}
	if due := must[[]followup.Pending](t)(fs.Due(ctx, t0.Add(48*time.Hour), 10)); len(due) != 0 {
		t.Fatalf("events survive their resident: %d", len(due))
	}
}

// testOutbox: raised then acknowledged event of one alert; the second is
// held back while the first waits for a retry; give-up lets it through.
func testOutbox(t *testing.T, fs *storage.Followup, a followup.Alert, ackEv followup.Event) {
	ctx := context.Background()
	due := must[[]followup.Pending](t)(fs.Due(ctx, t0, 10))
	if len(due) != 1 || due[0].Event.Type != followup.EventRaised || due[0].Event.Alert.ID != a.ID {
		t.Fatalf("due %+v", due)
	}
	raised := due[0].Event.ID
	if err := fs.Failed(ctx, raised, 1, t0.Add(time.Minute), "503"); err != nil {
		t.Fatal(err)
	}
	if due := must[[]followup.Pending](t)(fs.Due(ctx, t0, 10)); len(due) != 0 {
		t.Fatalf("held-back event delivered: %+v", due)
	}
	due = must[[]followup.Pending](t)(fs.Due(ctx, t0.Add(time.Minute), 10))
	if len(due) != 1 || due[0].Attempts != 1 || due[0].Event.ID != raised {
		t.Fatalf("retry due %+v", due)
	}
	if err := fs.Failed(ctx, raised, 2, time.Time{}, "gave up"); err != nil {
		t.Fatal(err)
	}
	due = must[[]followup.Pending](t)(fs.Due(ctx, t0.Add(time.Hour), 10))
	if len(due) != 1 || due[0].Event.ID != ackEv.ID || due[0].Event.Note != "去看看" {
		t.Fatalf("after give-up %+v", due)
	}
	if err := fs.Delivered(ctx, ackEv.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if due := must[[]followup.Pending](t)(fs.Due(ctx, t0.Add(48*time.Hour), 10)); len(due) != 0 {
		t.Fatalf("delivered or given-up event due again: %+v", due)
	}
	if err := fs.Delivered(ctx, "evt_missing", t0); !errors.Is(err, followup.ErrNotFound) {
		t.Fatalf("unknown event: %v", err)
	}
}
