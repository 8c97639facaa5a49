package storage

import (
	"testing"
	"time"

	"outreach/campaigns"
)

func TestRuns(t *testing.T) {
	for _, be := range Backends {
		t.Run(be, func(t *testing.T) {
			s := NewTestStore(t, be, nil)
			ctx := t.Context()
			if _, err := s.CreateResident(ctx, Resident{Name: "甲", Phone: "+8613800138000", Tags: []string{"x"}}); err != nil {
				t.Fatal(err)
			}
			c := campaigns.Campaign{Name: "c", State: campaigns.StateRunning, ScriptID: "s@1", Trunk: "gw",
				Target: campaigns.Target{Kind: campaigns.TargetTag, Ref: "x"}, Rules: campaigns.DefaultRules(),
				Retry: campaigns.DefaultRetryPolicy()}
			id, err := s.CreateCampaign(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			c.ID = id
			occ := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
			for i, o := range []time.Time{occ, occ.Add(24 * time.Hour)} {
				if _, err := s.CreateRun(ctx, int64(i+1), c, o); err != nil {
					t.Fatal(err)
				}
			}
			runs, err := s.Runs(ctx, id)
			if err != nil || len(runs) != 2 || runs[0].Tasks != 1 || !runs[0].Occurrence.Equal(occ.Add(24*time.Hour)) {
				t.Fatalf("runs = %+v, %v", runs, err)
			}
		})
	}
}
