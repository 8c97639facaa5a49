package followup

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// EventType is what happened to an alert.
type EventType uint8

// Event types.
const (
	EventRaised EventType = iota + 1
	EventAcknowledged
	EventResolved
)

var eventTypeNames = [...]string{"", "alert.raised", "alert.acknowledged", "alert.resolved"}

// String returns "alert.raised", "alert.acknowledged" or "alert.resolved".
func (t EventType) String() string {
	if t > 0 && int(t) < len(eventTypeNames) {
		return eventTypeNames[t]
	}
	return fmt.Sprintf("event_type(%d)", uint8(t))
}

// MarshalText implements encoding.TextMarshaler.
func (t EventType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *EventType) UnmarshalText(b []byte) error {
	for i, n := range eventTypeNames {
		if i > 0 && n == string(b) {
			*t = EventType(i)
			return nil
		}
	}
	return fmt.Errorf("parse event type %q: unknown", b)
}

// Event is one life-cycle step of an alert, with who did it and when, and
// the alert as it stood after the step. It is what the webhook delivers.
type Event struct {
	ID    string // stable: derived from the alert key and the type
	Type  EventType
	At    time.Time
	Actor string
	Note  string
	Alert Alert
}

// NewEvent builds the event of type t for alert a. Its ID depends only on
// a.Key and t: each step happens at most once per alert, so the same step
// always carries the same id, however often it is rebuilt or retried.
func NewEvent(t EventType, a Alert, actor, note string, at time.Time) Event {
	return Event{ID: EventID(a.Key, t), Type: t, At: at, Actor: actor, Note: note, Alert: a}
}

// EventID is "evt_" and 32 hex digits of SHA-256(key "|" type).
func EventID(alertKey string, t EventType) string {
	sum := sha256.Sum256([]byte(alertKey + "|" + t.String()))
	return "evt_" + hex.EncodeToString(sum[:16])
}
