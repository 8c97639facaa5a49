package storage

import (
	"context"
	"testing"

	"outreach/campaigns"
)

// TestMigrateCampaignOwners: migration 0005 gives the campaigns of an
// existing database the unit their community or grid target names when one
// unit bears the name; the others stay organisation-wide.
func TestMigrateCampaignOwners(t *testing.T) {
	for _, be := range Backends {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := NewTestStore(t, be, nil)
			ensure := func(l Level, parent int64, name string) int64 {
				id, err := s.EnsureOrgUnit(ctx, l, parent, name)
				if err != nil {
					t.Fatal(err)
				}
				return id
			}
			st, other := ensure(LevelStreet, 0, "一街道"), ensure(LevelStreet, 0, "二街道")
			east := ensure(LevelCommunity, st, "东社区")
			ensure(LevelCommunity, st, "同名社区")
			ensure(LevelCommunity, other, "同名社区")
			grid := ensure(LevelGrid, east, "1网格")
			targets := []struct {
				target campaigns.Target
				want   int64
			}{
				{campaigns.Target{Kind: campaigns.TargetCommunity, Ref: "东社区"}, east},
				{campaigns.Target{Kind: campaigns.TargetGrid, Ref: "1网格"}, grid},
				{campaigns.Target{Kind: campaigns.TargetCommunity, Ref: "同名社区"}, 0},
				{campaigns.Target{Kind: campaigns.TargetGrid, Ref: "东社区"}, 0}, // a community's name
				{campaigns.Target{Kind: campaigns.TargetTag, Ref: "东社区"}, 0},
			}
			ids := make([]int64, len(targets))
			for i, x := range targets {
				c := campaigns.Campaign{Name: "c", Target: x.target, Unit: st} // dropped by the down step
				var err error
				if ids[i], err = s.CreateCampaign(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.MigrateDown(ctx, 4); err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			for i, x := range targets {
				c, err := s.Campaign(ctx, ids[i])
				if err != nil || c.Unit != x.want {
					t.Errorf("%+v: unit %d %v, want %d", x.target, c.Unit, err, x.want)
				}
			}
		})
	}
}
