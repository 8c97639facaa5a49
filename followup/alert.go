package followup

import (
	"errors"
	"fmt"
	"time"

	"outreach/campaigns"
)

// AlertStatus is where an alert is in its life cycle:
// open → acknowledged → resolved, or open → resolved.
type AlertStatus uint8

// Alert statuses (numbered like storage's).
const (
	AlertOpen AlertStatus = iota + 1
	AlertAcknowledged
	AlertResolved
)

var alertStatusNames = [...]string{"", "open", "acknowledged", "resolved"}

// String returns "open", "acknowledged" or "resolved".
func (s AlertStatus) String() string {
	if s > 0 && int(s) < len(alertStatusNames) {
		return alertStatusNames[s]
	}
	return fmt.Sprintf("alert_status(%d)", uint8(s))
}

// MarshalText implements encoding.TextMarshaler.
func (s AlertStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *AlertStatus) UnmarshalText(b []byte) error {
	for i, n := range alertStatusNames {
		if i > 0 && n == string(b) {
			*s = AlertStatus(i)
			return nil
		}
	}
	return fmt.Errorf("parse alert status %q: unknown", b)
}

// Priority orders alerts for grid workers.
type Priority uint8

// Priorities.
const (
	PriorityNormal Priority = iota
	PriorityHigh
)

// String returns "normal" or "high".
func (p Priority) String() string {
	switch p {
	case PriorityNormal:
		return "normal"
	case PriorityHigh:
		return "high"
	}
	return fmt.Sprintf("priority(%d)", uint8(p))
}

// MarshalText implements encoding.TextMarshaler.
func (p Priority) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Priority) UnmarshalText(b []byte) error {
	switch string(b) {
	case "normal":
		*p = PriorityNormal
	case "high":
		*p = PriorityHigh
	default:
		return fmt.Errorf("parse priority %q: unknown", b)
	}
	return nil
}

// KindUnreachable is the alert kind for a resident nobody reached that day:
// a grid worker visits the home.
const KindUnreachable = "unreachable"

// SystemActor is the actor of transitions made by followup itself (raising
// alerts, clearing an unreachable alert once the resident answers).
const SystemActor = "system"

// Note is a remark added to an alert by a transition.
type Note struct {
	At    time.Time
	Actor string
	Text  string
}

// Alert asks a grid worker to follow a resident up. There is at most one
// alert per (resident, kind, day): Key is the dedupe key.
type Alert struct {
	ID          int64 // assigned by the store
	Key         string
	ResidentID  int64
	CommunityID int64 // 0 = unknown
	Kind        string
	Day         campaigns.Date
	Priority    Priority
	Status      AlertStatus
	Rule        string // the script condition that fired, if any
	Note        string // the rule's note or the reason
	AttemptID   int64  // 0 = none
	Streak      int    // unreachable: consecutive unreachable days, this one included

	AssigneeID     int64
	Notes          []Note
	Created        time.Time
	Acknowledged   time.Time
	AcknowledgedBy string
	Resolved       time.Time
	ResolvedBy     string
}

// AlertKey is the dedupe key of (resident, kind, day).
func AlertKey(residentID int64, kind string, d campaigns.Date) string {
	return fmt.Sprintf("%d/%s/%s", residentID, kind, d)
}

// ErrTransition is wrapped by every refused life-cycle change.
var ErrTransition = errors.New("alert transition not allowed")

// TransitionError says which change an alert's status refused.
type TransitionError struct {
	From AlertStatus
	To   AlertStatus
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("alert %s → %s: %v", e.From, e.To, ErrTransition)
}

// Unwrap makes errors.Is(err, ErrTransition) true.
func (e *TransitionError) Unwrap() error { return ErrTransition }

// CanTransition reports whether from → to is allowed.
func CanTransition(from, to AlertStatus) bool {
	switch from {
	case AlertOpen:
		return to == AlertAcknowledged || to == AlertResolved
	case AlertAcknowledged:
		return to == AlertResolved
	}
	return false
}

// Acknowledge moves an open alert to acknowledged, assigning it (assignee 0
// keeps the current assignee) and recording the event.
func (a Alert) Acknowledge(actor string, assignee int64, note string, at time.Time) (Alert, Event, error) {
	if !CanTransition(a.Status, AlertAcknowledged) {
		return a, Event{}, &TransitionError{From: a.Status, To: AlertAcknowledged}
	}
	a.Notes = append([]Note(nil), a.Notes...)
	a.Status, a.Acknowledged, a.AcknowledgedBy = AlertAcknowledged, at, actor
	if assignee != 0 {
		a.AssigneeID = assignee
	}
	if note != "" {
		a.Notes = append(a.Notes, Note{At: at, Actor: actor, Text: note})
	}
	return a, NewEvent(EventAcknowledged, a, actor, note, at), nil
}

// Resolve closes an open or acknowledged alert and records the event.
func (a Alert) Resolve(actor, note string, at time.Time) (Alert, Event, error) {
	if !CanTransition(a.Status, AlertResolved) {
		return a, Event{}, &TransitionError{From: a.Status, To: AlertResolved}
	}
	a.Notes = append([]Note(nil), a.Notes...)
	a.Status, a.Resolved, a.ResolvedBy = AlertResolved, at, actor
	if note != "" {
		a.Notes = append(a.Notes, Note{At: at, Actor: actor, Text: note})
	}
	return a, NewEvent(EventResolved, a, actor, note, at), nil
}

// Open reports whether the alert still needs someone (open or acknowledged).
func (a Alert) Open() bool { return a.Status == AlertOpen || a.Status == AlertAcknowledged }

// clearedByCall reports whether followup resolved the alert because the
// resident answered later (an unreachable day that turned out reachable).
func (a Alert) clearedByCall() bool {
	return a.Status == AlertResolved && a.ResolvedBy == SystemActor
}
