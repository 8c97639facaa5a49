package campaigns

import (
	"errors"
	"testing"
)

func TestStateTransitions(t *testing.T) {
	all := []State{StateDraft, StateScheduled, StateRunning, StatePaused, StateCompleted, StateCancelled}
	allowed := map[State]map[Action]State{
		StateDraft:     {ActionSchedule: StateScheduled, ActionStart: StateRunning, ActionCancel: StateCancelled},
		StateScheduled: {ActionStart: StateRunning, ActionComplete: StateCompleted, ActionCancel: StateCancelled},
		StateRunning:   {ActionPause: StatePaused, ActionComplete: StateCompleted, ActionCancel: StateCancelled},
		StatePaused:    {ActionResume: StateRunning, ActionComplete: StateCompleted, ActionCancel: StateCancelled},
	}
	for _, s := range all {
		for a := ActionSchedule; a <= ActionCancel; a++ {
			got, err := s.Next(a)
			want, ok := allowed[s][a]
			switch {
			case ok && (err != nil || got != want):
				t.Errorf("%s --%s--> %s, %v; want %s", s, a, got, err, want)
			case !ok && !errors.Is(err, ErrTransition):
				t.Errorf("%s --%s--> %s accepted, want ErrTransition", s, a, got)
			case !ok && got != s:
				t.Errorf("refused transition changed state to %s", got)
			}
		}
	}
}

func TestPauseResumeCancel(t *testing.T) {
	c := Campaign{ID: 1}
	steps := []struct {
		a       Action
		want    State
		claim   bool
		wantErr bool
	}{
		{ActionPause, StateDraft, false, true},
		{ActionStart, StateRunning, true, false},
		{ActionPause, StatePaused, false, false},
		{ActionPause, StatePaused, false, true},
		{ActionResume, StateRunning, true, false},
		{ActionCancel, StateCancelled, false, false},
		{ActionResume, StateCancelled, false, true},
		{ActionCancel, StateCancelled, false, true},
	}
	for i, s := range steps {
		err := c.Apply(s.a)
		if (err != nil) != s.wantErr || c.State != s.want || c.State.Claimable() != s.claim {
			t.Fatalf("step %d %s: state %s err %v; want %s err=%v", i, s.a, c.State, err, s.want, s.wantErr)
		}
	}
	if !c.State.Final() {
		t.Fatal("cancelled is final")
	}
}

func TestEnumStrings(t *testing.T) {
	for s := StateDraft; s <= StateCancelled; s++ {
		if got, err := ParseState(s.String()); err != nil || got != s {
			t.Errorf("state %d round trip: %v %v", s, got, err)
		}
	}
	for k := TargetList; k <= TargetObservation; k++ {
		if got, err := ParseTargetKind(k.String()); err != nil || got != k {
			t.Errorf("target %d round trip: %v %v", k, got, err)
		}
	}
	if PriorityUrgent.String() != "urgent" || VerdictExhausted.String() != "exhausted" || ReasonDailyCap.String() != "daily_cap" {
		t.Fatal("enum names")
	}
}

func TestTargetValidate(t *testing.T) {
	cases := []struct {
		t  Target
		ok bool
	}{
		{Target{Kind: TargetList, Ref: "42"}, true},
		{Target{Kind: TargetCommunity}, false},
		{Target{Kind: TargetTag, Ref: "returned"}, true},
		{Target{Kind: TargetObservation}, true},
		{Target{Kind: TargetObservation, Ref: "x"}, false},
		{Target{Kind: 99}, false},
	}
	for _, tc := range cases {
		if err := tc.t.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: %v", tc.t, err)
		}
	}
}
