package followup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"outreach/campaigns"
	"outreach/ivr"
)

// Config wires a Service.
type Config struct {
	Records RecordStore
	Alerts  AlertStore
	Mapping *Mapping // nil = DefaultMapping()
	// FlagAlerts are flags (not alerts in the script) that raise alerts too;
	// nil = ["needs_help"], empty non-nil = none.
	FlagAlerts []string
	// Priorities overrides the priority of rule alerts by kind (default normal).
	Priorities map[string]Priority
	// EscalateAfter consecutive unreachable days make the unreachable alert
	// high priority; default 3.
	EscalateAfter int
	Location      *time.Location   // "the day"; nil = Asia/Shanghai
	Now           func() time.Time // nil = time.Now
	Wake          func()           // called after events were enqueued (e.g. Notifier.Kick); nil = none
	Logger        *slog.Logger
}

// Service turns calls into records and alerts, and runs the alert life
// cycle. It implements campaigns.Handoff. Safe for concurrent use.
type Service struct {
	cfg     Config
	mapping Mapping
	flags   []string
	log     *slog.Logger
}

var _ campaigns.Handoff = (*Service)(nil)

// NewService checks cfg and fills in defaults.
func NewService(cfg Config) (*Service, error) {
	if cfg.Records == nil || cfg.Alerts == nil {
		return nil, errors.New("followup: Records and Alerts stores are required")
	}
	s := &Service{cfg: cfg, mapping: DefaultMapping(), flags: []string{"needs_help"}, log: cfg.Logger}
	if cfg.Mapping != nil {
		s.mapping = *cfg.Mapping
	}
	if cfg.FlagAlerts != nil {
		s.flags = cfg.FlagAlerts
	}
	if s.cfg.EscalateAfter <= 0 {
		s.cfg.EscalateAfter = 3
	}
	if s.cfg.Location == nil {
		s.cfg.Location = Location("")
	}
	if s.cfg.Now == nil {
		s.cfg.Now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// Today is the current day in the service's zone.
func (s *Service) Today() campaigns.Date { return DayOf(s.cfg.Now(), s.cfg.Location) }

// RecordCall merges one call into the resident's record of the call's day,
// raises the alerts its answers call for, and clears the day's unreachable
// alert if the resident was reached after all. It returns the record and
// the alerts it newly raised. Replaying a call (same AttemptID) changes
// nothing that is already stored, and completes what an earlier failure
// left undone.
func (s *Service) RecordCall(ctx context.Context, c Call) (Record, []Alert, error) {
	if c.End.IsZero() {
		c.End = s.cfg.Now()
	}
	d := DayOf(c.End, s.cfg.Location)
	prev, _, err := s.cfg.Records.Record(ctx, c.ResidentID, d)
	if err != nil {
		return Record{}, nil, fmt.Errorf("record call: load record: %w", err)
	}
	rec, changed := Apply(prev, c, d, s.mapping)
	if changed {
		if err := s.cfg.Records.PutRecord(ctx, rec); err != nil {
			return Record{}, nil, fmt.Errorf("record call: put record: %w", err)
		}
	}
	// Alerts are raised even for a replayed call: raising is idempotent by
	// key, and a replay after a failure half way must not lose them.
	raised, err := s.raiseRuleAlerts(ctx, c, rec)
	if err != nil {
		return rec, raised, err
	}
	if rec.Reached() {
		err = s.clearUnreachable(ctx, c.ResidentID, d)
	}
	return rec, raised, err
}

func (s *Service) raiseRuleAlerts(ctx context.Context, c Call, rec Record) ([]Alert, error) {
	if c.Result == nil {
		return nil, nil
	}
	var out []Alert
	raise := func(kind, rule, note string) error {
		a := Alert{ResidentID: c.ResidentID, CommunityID: rec.CommunityID, Kind: kind, Day: rec.Day,
			Priority: s.cfg.Priorities[kind], Rule: rule, Note: note, AttemptID: c.AttemptID}
		got, created, err := s.raise(ctx, a)
		if created {
			out = append(out, got)
		}
		return err
	}
	for _, a := range c.Result.Alerts {
		if err := raise(a.Flag, a.Rule, a.Note); err != nil {
			return out, err
		}
	}
	for _, f := range c.Result.Flags {
		if slices.Contains(s.flags, f) && !slices.ContainsFunc(c.Result.Alerts, func(a ivr.Alert) bool { return a.Flag == f }) {
			if err := raise(f, "", ""); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// raise stores a new open alert (idempotent by key) with its raised event.
func (s *Service) raise(ctx context.Context, a Alert) (Alert, bool, error) {
	now := s.cfg.Now()
	a.Key, a.Status, a.Created = AlertKey(a.ResidentID, a.Kind, a.Day), AlertOpen, now
	got, created, err := s.cfg.Alerts.CreateAlert(ctx, a, NewEvent(EventRaised, a, SystemActor, a.Note, now))
	if err != nil {
		return Alert{}, false, fmt.Errorf("raise %s alert: %w", a.Kind, err)
	}
	if created {
		s.log.Info("alert raised", "alert", got.ID, "resident", got.ResidentID, "kind", got.Kind,
			"day", got.Day.String(), "priority", got.Priority.String())
		s.wake()
	}
	return got, created, nil
}

func (s *Service) wake() {
	if s.cfg.Wake != nil {
		s.cfg.Wake()
	}
}

// Acknowledge moves alert id to acknowledged, assigning it to assignee
// (0 keeps the assignee). A refused change wraps ErrTransition; a
// concurrent change wraps ErrConflict.
func (s *Service) Acknowledge(ctx context.Context, id int64, actor string, assignee int64, note string) (Alert, error) {
	return s.transition(ctx, id, func(a Alert, now time.Time) (Alert, Event, error) {
		return a.Acknowledge(actor, assignee, note, now)
	})
}

// Resolve closes alert id (open or acknowledged) with a note.
func (s *Service) Resolve(ctx context.Context, id int64, actor, note string) (Alert, error) {
	return s.transition(ctx, id, func(a Alert, now time.Time) (Alert, Event, error) {
		return a.Resolve(actor, note, now)
	})
}

func (s *Service) transition(ctx context.Context, id int64, step func(Alert, time.Time) (Alert, Event, error)) (Alert, error) {
	a, err := s.cfg.Alerts.Alert(ctx, id)
	if err != nil {
		return Alert{}, fmt.Errorf("alert %d: %w", id, err)
	}
	return s.apply(ctx, a, step)
}

func (s *Service) apply(ctx context.Context, a Alert, step func(Alert, time.Time) (Alert, Event, error)) (Alert, error) {
	next, ev, err := step(a, s.cfg.Now())
	if err != nil {
		return a, fmt.Errorf("alert %d: %w", a.ID, err)
	}
	if err := s.cfg.Alerts.UpdateAlert(ctx, next, a.Status, ev); err != nil {
		return a, fmt.Errorf("alert %d: %w", a.ID, err)
	}
	s.log.Info("alert "+next.Status.String(), "alert", next.ID, "actor", ev.Actor)
	s.wake()
	return next, nil
}
