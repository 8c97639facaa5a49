package followup

import (
	"context"
	"errors"
	"time"

	"outreach/campaigns"
)

// Errors the stores return (wrapped).
var (
	ErrNotFound = errors.New("not found")
	// ErrConflict: a conditional update found the alert no longer in the
	// expected status (someone else changed it first).
	ErrConflict = errors.New("alert changed concurrently")
)

// RecordStore keeps health records, one per (resident, day).
type RecordStore interface {
	// Record returns the record of (resident, day); ok is false if none.
	Record(ctx context.Context, residentID int64, d campaigns.Date) (r Record, ok bool, err error)
	// PutRecord inserts or replaces the record of (r.ResidentID, r.Day).
	PutRecord(ctx context.Context, r Record) error
}

// AlertStore keeps alerts and their outbox of events. Each write that
// carries an event must store the alert change and enqueue the event in the
// outbox in one transaction (the transactional outbox): an event is never
// lost between the two, and never enqueued for a change that did not happen.
type AlertStore interface {
	// CreateAlert inserts a (Status open) and enqueues ev, unless an alert
	// with a.Key exists: then it returns that alert with created false and
	// enqueues nothing.
	CreateAlert(ctx context.Context, a Alert, ev Event) (stored Alert, created bool, err error)
	// Alert returns the alert with the id, or an error wrapping ErrNotFound.
	Alert(ctx context.Context, id int64) (Alert, error)
	// AlertByKey returns the alert with the dedupe key; ok is false if none.
	AlertByKey(ctx context.Context, key string) (a Alert, ok bool, err error)
	// UpdateAlert replaces alert a.ID only if its stored status is still
	// from, and enqueues ev; otherwise it returns an error wrapping ErrConflict.
	UpdateAlert(ctx context.Context, a Alert, from AlertStatus, ev Event) error
}

// Pending is an undelivered event with the delivery rounds tried so far.
type Pending struct {
	Event    Event
	Attempts int
}

// Outbox hands undelivered events to the Notifier; it survives restarts.
type Outbox interface {
	// Due returns up to limit undelivered, not given-up events whose next
	// try is at or before now, oldest first. It should hold back an event
	// while an older undelivered, not given-up event of the same alert
	// (Event.Alert.Key) waits for its retry, so each alert's events arrive
	// in order.
	Due(ctx context.Context, now time.Time, limit int) ([]Pending, error)
	// Delivered marks the event delivered; it is never returned again.
	Delivered(ctx context.Context, id string, at time.Time) error
	// Failed records a failed round: attempts so far, the next try, and why.
	// A zero next means give up (kept for inspection, never retried).
	Failed(ctx context.Context, id string, attempts int, next time.Time, reason string) error
}

// Contact is a resident's personal data the webhook may send (masked by
// default).
type Contact struct {
	Name  string
	Phone string
}

// Directory looks residents up for the webhook payload.
type Directory interface {
	Contact(ctx context.Context, residentID int64) (Contact, error)
}

// DayReader lists one day's records and alerts for the day's summary.
type DayReader interface {
	RecordsOn(ctx context.Context, d campaigns.Date) ([]Record, error)
	AlertsOn(ctx context.Context, d campaigns.Date) ([]Alert, error)
}
