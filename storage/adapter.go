package storage

import (
	"context"

	"outreach/campaigns"
)

// TaskStore returns the store as a campaigns.TaskStore (its Close is CloseTask,
// since Store.Close releases the database).
func (s *Store) TaskStore() campaigns.TaskStore { return taskStore{s} }

type taskStore struct{ *Store }

func (t taskStore) Close(ctx context.Context, taskID int64, reason campaigns.RuleReason) error {
	return t.CloseTask(ctx, taskID, reason)
}

var (
	_ campaigns.RuleStore     = (*Store)(nil)
	_ campaigns.RunStore      = (*Store)(nil)
	_ campaigns.CampaignStore = (*Store)(nil)
	_ campaigns.TaskStore     = taskStore{}
)
