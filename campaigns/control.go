package campaigns

import (
	"context"
	"fmt"
)

// CampaignStore persists campaign state changes (storage implements it).
type CampaignStore interface {
	Campaign(ctx context.Context, id int64) (Campaign, error)
	// SetState changes the state only if it is still from (one conditional
	// update) and returns an error wrapping ErrTransition otherwise. Moving to
	// cancelled also cancels the campaign's queued tasks.
	SetState(ctx context.Context, id int64, from, to State) error
}

// Dispatch is the part of the queue that state changes drive.
type Dispatch interface {
	Pause(ctx context.Context, campaignID int64) error
	Resume(ctx context.Context, campaignID int64) error
	Remove(ctx context.Context, campaignID int64) (int64, error)
}

// Controller applies staff actions (start, pause, resume, cancel, ...):
// the database first, then the queue. Pausing stops claiming; calls in
// progress finish. The dispatcher re-checks the state of every claimed task,
// so a failed queue update only delays the effect.
type Controller struct {
	Store CampaignStore
	Queue Dispatch
}

// Do applies a to campaign id and returns the campaign in its new state.
func (c Controller) Do(ctx context.Context, id int64, a Action) (Campaign, error) {
	camp, err := c.Store.Campaign(ctx, id)
	if err != nil {
		return camp, fmt.Errorf("campaign %d %s: %w", id, a, err)
	}
	from := camp.State
	if err := camp.Apply(a); err != nil {
		return camp, err
	}
	if err := c.Store.SetState(ctx, id, from, camp.State); err != nil {
		return camp, fmt.Errorf("campaign %d %s: %w", id, a, err)
	}
	switch camp.State {
	case StatePaused:
		err = c.Queue.Pause(ctx, id)
	case StateRunning:
		err = c.Queue.Resume(ctx, id)
	case StateCancelled, StateCompleted:
		_, err = c.Queue.Remove(ctx, id)
	}
	if err != nil {
		return camp, fmt.Errorf("campaign %d %s: queue: %w", id, a, err)
	}
	return camp, nil
}
