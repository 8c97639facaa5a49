package demo

import (
	"context"
	"fmt"
	"time"

	"outreach/campaigns"
	"outreach/ivr"
	"outreach/node"
	"outreach/scripts/samples"
	"outreach/storage"
)

// seed writes the organisation, the roster, the observation periods, the
// script and the campaign into the store.
func seed(ctx context.Context, n *node.Node, o Options, members []Member) (campaigns.Campaign, error) {
	s := n.Store()
	units, err := orgUnits(ctx, s)
	if err != nil {
		return campaigns.Campaign{}, err
	}
	now := time.Now()
	for i, m := range members {
		id, err := s.CreateResident(ctx, storage.Resident{Name: m.Name, Phone: m.Phone,
			CommunityID: units[m.Community], GridID: units[m.Grid], Tags: []string{"demo"}})
		if err != nil {
			return campaigns.Campaign{}, fmt.Errorf("demo: resident: %w", err)
		}
		members[i].ID = id
		if m.Observed {
			_, err := s.AddObservation(ctx, storage.Observation{ResidentID: id, Reason: "居家健康观察",
				Start: now.AddDate(0, 0, -3), Release: now.AddDate(0, 0, 11), CallTimes: []string{"09:00", "16:00"}})
			if err != nil {
				return campaigns.Campaign{}, fmt.Errorf("demo: observation: %w", err)
			}
		}
	}
	ref, err := saveScript(ctx, s, o.Lang)
	if err != nil {
		return campaigns.Campaign{}, err
	}
	rules := campaigns.DefaultRules()
	rules.Windows = campaigns.AllDayWindows() // the demo may run at any hour; real campaigns keep 08:00–20:00
	c := campaigns.Campaign{Name: "每日健康随访（演示）", State: campaigns.StateScheduled, ScriptID: ref, Trunk: "sim",
		Target:   campaigns.Target{Kind: campaigns.TargetObservation}, // everyone under observation today
		Schedule: campaigns.Schedule{At: now.Add(-time.Second)}, Rules: rules,
		Retry: campaigns.DefaultRetryPolicy(), Limits: campaigns.Limits{MaxLines: o.Lines}}
	if c.ID, err = s.CreateCampaign(ctx, c); err != nil {
		return c, fmt.Errorf("demo: campaign: %w", err)
	}
	return c, nil
}

func orgUnits(ctx context.Context, s *storage.Store) (map[string]int64, error) {
	ids := map[string]int64{}
	district, err := s.EnsureOrgUnit(ctx, storage.LevelDistrict, 0, "幸福区")
	if err != nil {
		return nil, fmt.Errorf("demo: org: %w", err)
	}
	street, err := s.EnsureOrgUnit(ctx, storage.LevelStreet, district, "幸福街道")
	if err != nil {
		return nil, fmt.Errorf("demo: org: %w", err)
	}
	for _, c := range Communities() {
		cid, err := s.EnsureOrgUnit(ctx, storage.LevelCommunity, street, c)
		if err != nil {
			return nil, fmt.Errorf("demo: org: %w", err)
		}
		ids[c] = cid
		for g := 1; g <= 2; g++ {
			name := fmt.Sprintf("%s第%d网格", c, g)
			if ids[name], err = s.EnsureOrgUnit(ctx, storage.LevelGrid, cid, name); err != nil {
				return nil, fmt.Errorf("demo: org: %w", err)
			}
		}
	}
	return ids, nil
}

// dailyCheck returns the source and the loaded script of the shipped daily
// health check in lang ("zh" or "en").
func dailyCheck(lang string) ([]byte, *ivr.Script, error) {
	name := "daily-health-check." + lang + ".yaml"
	src, err := samples.Script(name)
	if err != nil {
		return nil, nil, err
	}
	sc, err := ivr.Load(src)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: %s: %w", name, err)
	}
	return src, sc, nil
}

func saveScript(ctx context.Context, s *storage.Store, lang string) (string, error) {
	src, sc, err := dailyCheck(lang)
	if err != nil {
		return "", err
	}
	sv, err := s.SaveScript(ctx, sc.ID, sc.Digest(), src, "demo")
	if err != nil {
		return "", fmt.Errorf("demo: %w", err)
	}
	return sv.Ref(), nil
}

func writeShipped(dir string) error {
	if err := samples.WritePrompts(dir); err != nil {
		return fmt.Errorf("demo: prompts: %w", err)
	}
	return nil
}
