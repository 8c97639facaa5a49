package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"outreach/campaigns"
)

// campaignDoc is the JSON form of a campaign's settings (time.Location is
// kept by name).
type campaignDoc struct {
	Schedule campaigns.Schedule
	Days     [7][]campaigns.Span
	Holidays []campaigns.Date
	Zone     string
	DailyCap int
	Spacing  time.Duration
	DialPlan campaigns.DialPlan
	Retry    campaigns.RetryPolicy
	Limits   campaigns.Limits
}

func encodeCampaign(c campaigns.Campaign) ([]byte, error) {
	d := campaignDoc{Schedule: c.Schedule, Days: c.Rules.Windows.Days, Holidays: c.Rules.Windows.Forbidden,
		DailyCap: c.Rules.DailyCap, Spacing: c.Rules.MinSpacing, DialPlan: c.Rules.DialPlan,
		Retry: c.Retry, Limits: c.Limits}
	if c.Rules.Windows.Location != nil {
		d.Zone = c.Rules.Windows.Location.String()
	}
	return json.Marshal(d)
}

func decodeCampaign(b []byte, c *campaigns.Campaign) error {
	var d campaignDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return fmt.Errorf("decode campaign: %w", err)
	}
	c.Schedule, c.Retry, c.Limits = d.Schedule, d.Retry, d.Limits
	c.Rules = campaigns.Rules{DailyCap: d.DailyCap, MinSpacing: d.Spacing, DialPlan: d.DialPlan,
		Windows: campaigns.Windows{Days: d.Days, Forbidden: d.Holidays}}
	if d.Zone != "" {
		loc, err := time.LoadLocation(d.Zone)
		if err != nil {
			return fmt.Errorf("decode campaign: zone %q: %w", d.Zone, err)
		}
		c.Rules.Windows.Location = loc
	}
	return nil
}

// CreateCampaign stores a new campaign and returns its id.
func (s *Store) CreateCampaign(ctx context.Context, c campaigns.Campaign) (int64, error) {
	cfg, err := encodeCampaign(c)
	if err != nil {
		return 0, fmt.Errorf("create campaign: %w", err)
	}
	if c.Created.IsZero() {
		c.Created = s.now()
	}
	var id int64
	err = s.b.QueryRow(ctx, `INSERT INTO campaigns (name, state, priority, script_id, trunk, target_kind,
		target_ref, config, created_at, unit_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`,
		c.Name, int(c.State), int(c.Priority), c.ScriptID, c.Trunk, int(c.Target.Kind), c.Target.Ref,
		cfg, c.Created, c.Unit).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create campaign: %w", err)
	}
	return id, nil
}

// UpdateCampaign rewrites the settings (not the state) of campaign c.ID,
// its owner unit included.
func (s *Store) UpdateCampaign(ctx context.Context, c campaigns.Campaign) error {
	cfg, err := encodeCampaign(c)
	if err != nil {
		return fmt.Errorf("update campaign %d: %w", c.ID, err)
	}
	n, err := s.b.Exec(ctx, `UPDATE campaigns SET name=$2, priority=$3, script_id=$4, trunk=$5,
		target_kind=$6, target_ref=$7, config=$8, unit_id=$9 WHERE id=$1`, c.ID, c.Name, int(c.Priority), c.ScriptID,
		c.Trunk, int(c.Target.Kind), c.Target.Ref, cfg, c.Unit)
	if err != nil {
		return fmt.Errorf("update campaign %d: %w", c.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("update campaign %d: %w", c.ID, campaigns.ErrNotFound)
	}
	return nil
}

const campaignCols = `id, name, state, priority, script_id, trunk, target_kind, target_ref, config, created_at, unit_id`

func scanCampaign(r row) (campaigns.Campaign, error) {
	var (
		c                 campaigns.Campaign
		state, prio, kind int
		cfg               []byte
	)
	if err := r.Scan(&c.ID, &c.Name, &state, &prio, &c.ScriptID, &c.Trunk, &kind, &c.Target.Ref, &cfg, &c.Created,
		&c.Unit); err != nil {
		return c, err
	}
	c.State, c.Priority, c.Target.Kind = campaigns.State(state), campaigns.Priority(prio), campaigns.TargetKind(kind)
	return c, decodeCampaign(cfg, &c)
}

// Campaign returns one campaign (campaigns.TaskStore, campaigns.CampaignStore).
func (s *Store) Campaign(ctx context.Context, id int64) (campaigns.Campaign, error) {
	c, err := scanCampaign(s.b.QueryRow(ctx, `SELECT `+campaignCols+` FROM campaigns WHERE id = $1`, id))
	if err == errNoRows {
		return c, fmt.Errorf("campaign %d: %w", id, campaigns.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("campaign %d: %w", id, err)
	}
	return c, nil
}

// Campaigns lists every campaign in id order.
func (s *Store) Campaigns(ctx context.Context) ([]campaigns.Campaign, error) {
	return s.ListCampaigns(ctx, CampaignFilter{})
}

// CampaignFilter selects campaigns; zero fields do not filter.
type CampaignFilter struct {
	ID int64
	// Units keeps campaigns owned by one of these org units (a user's
	// scope); nil = no filter, empty = none. Organisation-wide campaigns
	// (unit 0) pass no units filter.
	Units []int64
	// Targeted also keeps the campaigns owned above Units whose community
	// or grid target, resolved in the owner's subtree, is one of Units: a
	// community's staff see the street's campaigns that call them.
	Targeted bool
}

// targetedCampaign holds for a campaign whose target names a unit of the
// list "up" (pairs of a unit and each of its ancestors, itself included)
// under the campaign's owner.
var targetedCampaign = fmt.Sprintf(`(unit_id <> 0 AND EXISTS (SELECT 1 FROM up JOIN org_units u ON u.id = up.id
	WHERE up.anc = campaigns.unit_id AND u.name = campaigns.target_ref
	AND u.level = CASE campaigns.target_kind WHEN %d THEN %d WHEN %d THEN %d END))`,
	campaigns.TargetCommunity, LevelCommunity, campaigns.TargetGrid, LevelGrid)

// ListCampaigns lists the campaigns f selects in id order.
func (s *Store) ListCampaigns(ctx context.Context, f CampaignFilter) ([]campaigns.Campaign, error) {
	units := newUnitList(f.Units, 2)
	with, cond := "", units.member("unit_id")
	if f.Targeted && len(f.Units) > 0 {
		with = `WITH RECURSIVE up(id, anc) AS (SELECT id, id FROM org_units WHERE id IN ` + units.in + `
			UNION ALL SELECT up.id, o.parent_id FROM up JOIN org_units o ON o.id = up.anc
			WHERE o.parent_id IS NOT NULL) `
		cond = "(" + cond + " OR " + targetedCampaign + ")"
	}
	return s.listCampaigns(ctx, with+`SELECT `+campaignCols+` FROM campaigns WHERE ($1 = 0 OR id = $1) AND `+cond+
		` ORDER BY id`, append([]any{f.ID}, units.args...)...)
}

// ScheduledCampaigns lists the campaigns whose schedule may fire (campaigns.RunStore).
func (s *Store) ScheduledCampaigns(ctx context.Context) ([]campaigns.Campaign, error) {
	return s.listCampaigns(ctx, `SELECT `+campaignCols+` FROM campaigns WHERE state IN ($1, $2) ORDER BY id`,
		int(campaigns.StateScheduled), int(campaigns.StateRunning))
}

func (s *Store) listCampaigns(ctx context.Context, q string, args ...any) ([]campaigns.Campaign, error) {
	rs, err := s.b.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	defer rs.Close()
	var out []campaigns.Campaign
	for rs.Next() {
		c, err := scanCampaign(rs)
		if err != nil {
			return nil, fmt.Errorf("list campaigns: %w", err)
		}
		out = append(out, c)
	}
	return out, rs.Err()
}

// SetState changes the state only if it is still from; moving to cancelled
// also cancels the campaign's queued tasks (campaigns.CampaignStore).
func (s *Store) SetState(ctx context.Context, id int64, from, to campaigns.State) error {
	return inTx(ctx, s.b, func(t tx) error {
		n, err := t.Exec(ctx, `UPDATE campaigns SET state = $3 WHERE id = $1 AND state = $2`, id, int(from), int(to))
		if err != nil {
			return fmt.Errorf("campaign %d state: %w", id, err)
		}
		if n == 0 {
			return fmt.Errorf("campaign %d %s → %s: %w", id, from, to, campaigns.ErrTransition)
		}
		if to == campaigns.StateCancelled {
			_, err = t.Exec(ctx, `UPDATE tasks SET state = $2 WHERE campaign_id = $1 AND state = $3`,
				id, int(campaigns.TaskCancelled), int(campaigns.TaskQueued))
		}
		return err
	})
}

// DeleteCampaign removes a campaign with its runs, tasks, attempts and answers.
func (s *Store) DeleteCampaign(ctx context.Context, id int64) error {
	n, err := s.b.Exec(ctx, `DELETE FROM campaigns WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("delete campaign %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("delete campaign %d: %w", id, campaigns.ErrNotFound)
	}
	return nil
}
