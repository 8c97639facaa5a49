package campaigns

import (
	"errors"
	"fmt"
	"time"
)

// State is a campaign's life-cycle state.
type State uint8

// Campaign states.
const (
	StateDraft State = iota
	StateScheduled
	StateRunning
	StatePaused
	StateCompleted
	StateCancelled
)

var stateNames = [...]string{"draft", "scheduled", "running", "paused", "completed", "cancelled"}

// String returns the state's lower-case name.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// ParseState is the inverse of String.
func ParseState(s string) (State, error) {
	for i, n := range stateNames {
		if n == s {
			return State(i), nil
		}
	}
	return 0, fmt.Errorf("parse campaign state %q: unknown", s)
}

// Action is a request to change a campaign's state.
type Action uint8

// Actions on a campaign.
const (
	ActionSchedule Action = iota // draft → scheduled
	ActionStart                  // draft|scheduled → running
	ActionPause                  // running → paused: claiming stops, live calls finish
	ActionResume                 // paused → running
	ActionComplete               // running|paused|scheduled → completed
	ActionCancel                 // any non-final → cancelled
)

var actionNames = [...]string{"schedule", "start", "pause", "resume", "complete", "cancel"}

// String returns the action's lower-case name.
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// ErrTransition is returned (wrapped) for an action not allowed in a state.
var ErrTransition = errors.New("transition not allowed")

var transitions = map[Action]struct {
	from []State
	to   State
}{
	ActionSchedule: {[]State{StateDraft}, StateScheduled},
	ActionStart:    {[]State{StateDraft, StateScheduled}, StateRunning},
	ActionPause:    {[]State{StateRunning}, StatePaused},
	ActionResume:   {[]State{StatePaused}, StateRunning},
	ActionComplete: {[]State{StateScheduled, StateRunning, StatePaused}, StateCompleted},
	ActionCancel:   {[]State{StateDraft, StateScheduled, StateRunning, StatePaused}, StateCancelled},
}

// Next returns the state reached by applying a to s, or an error wrapping
// ErrTransition.
func (s State) Next(a Action) (State, error) {
	t, ok := transitions[a]
	if !ok {
		return s, fmt.Errorf("campaign %s: unknown action: %w", a, ErrTransition)
	}
	for _, f := range t.from {
		if f == s {
			return t.to, nil
		}
	}
	return s, fmt.Errorf("campaign %s while %s: %w", a, s, ErrTransition)
}

// Final reports whether no further transition is possible.
func (s State) Final() bool { return s == StateCompleted || s == StateCancelled }

// Claimable reports whether workers may claim the campaign's tasks.
func (s State) Claimable() bool { return s == StateRunning }

// Priority orders campaigns when claiming: urgent before routine.
type Priority uint8

// Priorities.
const (
	PriorityRoutine Priority = iota
	PriorityUrgent
)

// String returns "routine" or "urgent".
func (p Priority) String() string {
	if p == PriorityUrgent {
		return "urgent"
	}
	return "routine"
}

// Limits caps the concurrent lines and calls per second; zero means no limit.
type Limits struct {
	MaxLines int
	CPS      float64
}

// Campaign is the configuration of one campaign.
type Campaign struct {
	ID       int64
	Name     string
	State    State
	Priority Priority
	ScriptID string
	Trunk    string
	Target   Target
	// Unit is the organisation unit that owns the campaign: its staff (and
	// those above it) see and run it, and a run calls residents inside its
	// subtree only. 0 = organisation-wide (admins).
	Unit     int64
	Schedule Schedule
	Rules    Rules
	Retry    RetryPolicy
	Limits   Limits
	Created  time.Time
}

// Apply moves the campaign to the state reached by a.
func (c *Campaign) Apply(a Action) error {
	next, err := c.State.Next(a)
	if err != nil {
		return fmt.Errorf("campaign %d: %w", c.ID, err)
	}
	c.State = next
	return nil
}
