package campaigns

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

type ctlFake struct {
	camps map[int64]Campaign
	log   []string
}

func (f *ctlFake) Campaign(_ context.Context, id int64) (Campaign, error) { return f.camps[id], nil }
func (f *ctlFake) SetState(_ context.Context, id int64, from, to State) error {
	c := f.camps[id]
	if c.State != from {
		return fmt.Errorf("state moved: %w", ErrTransition)
	}
	c.State = to
	f.camps[id] = c
	return nil
}
func (f *ctlFake) Pause(context.Context, int64) error  { f.log = append(f.log, "pause"); return nil }
func (f *ctlFake) Resume(context.Context, int64) error { f.log = append(f.log, "resume"); return nil }
func (f *ctlFake) Remove(context.Context, int64) (int64, error) {
	f.log = append(f.log, "remove")
	return 0, nil
}

func TestController(t *testing.T) {
	f := &ctlFake{camps: map[int64]Campaign{1: {ID: 1, State: StateScheduled}}}
	ctl := Controller{Store: f, Queue: f}
	ctx := context.Background()
	steps := []struct {
		a    Action
		want State
		ok   bool
	}{
		{ActionStart, StateRunning, true},
		{ActionPause, StatePaused, true},
		{ActionStart, StatePaused, false},
		{ActionResume, StateRunning, true},
		{ActionCancel, StateCancelled, true},
		{ActionResume, StateCancelled, false},
	}
	for _, s := range steps {
		c, err := ctl.Do(ctx, 1, s.a)
		if (err == nil) != s.ok || f.camps[1].State != s.want {
			t.Fatalf("%s: %s, %v; want %s", s.a, c.State, err, s.want)
		}
		if !s.ok && !errors.Is(err, ErrTransition) {
			t.Fatalf("%s: error %v does not wrap ErrTransition", s.a, err)
		}
	}
	want := []string{"resume", "pause", "resume", "remove"}
	if fmt.Sprint(f.log) != fmt.Sprint(want) {
		t.Fatalf("queue calls %v, want %v", f.log, want)
	}
}
