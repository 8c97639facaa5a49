package web

import (
	"context"
	"time"

	"outreach/campaigns"
)

// LiveCall is a call in progress (the phone masked).
type LiveCall struct {
	TaskID     int64     `json:"task_id"`
	ResidentID int64     `json:"resident_id"`
	Phone      string    `json:"phone"`
	Since      time.Time `json:"since"`
	Stage      string    `json:"stage"`
}

// Progress is a campaign's live state.
type Progress struct {
	CampaignID int64          `json:"campaign_id"`
	State      string         `json:"state"`
	Total      int            `json:"total"`
	Done       int            `json:"done"`
	Queued     int            `json:"queued"`
	Dialing    int            `json:"dialing"`
	Outcomes   map[string]int `json:"outcomes"`
	Live       []LiveCall     `json:"live"`
	Percent    int            `json:"percent"`
	Updated    time.Time      `json:"updated"`
}

// Runner drives campaigns: state changes (database, then queue) and live
// progress. ControllerRunner is the production one; tests may fake it.
type Runner interface {
	Do(ctx context.Context, id int64, a campaigns.Action) (campaigns.Campaign, error)
	Progress(ctx context.Context, id int64) (Progress, error)
}

// ProgressSource counts a campaign's tasks (storage will implement it).
type ProgressSource interface {
	Progress(ctx context.Context, campaignID int64) (Progress, error)
}

// ControllerRunner applies actions with a campaigns.Controller and reads
// progress from a ProgressSource.
type ControllerRunner struct {
	Controller campaigns.Controller
	Source     ProgressSource // nil: Progress returns ErrNotImplemented
}

// Do applies a to campaign id.
func (c ControllerRunner) Do(ctx context.Context, id int64, a campaigns.Action) (campaigns.Campaign, error) {
	return c.Controller.Do(ctx, id, a)
}

// Progress returns the campaign's progress.
func (c ControllerRunner) Progress(ctx context.Context, id int64) (Progress, error) {
	if c.Source == nil {
		return Progress{}, ErrNotImplemented
	}
	return c.Source.Progress(ctx, id)
}

// percent of done out of total, 100 for an empty campaign that finished.
func percent(done, total int) int {
	if total <= 0 {
		return 0
	}
	return done * 100 / total
}
