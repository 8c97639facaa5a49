package followup

import (
	"context"
	"fmt"
	"time"

	"outreach/campaigns"
)

// Due is a resident who was due to be called on a day.
type Due struct {
	ResidentID  int64
	CommunityID int64
}

// Exhausted implements campaigns.Handoff: a task out of attempts raises the
// day's unreachable alert (unless the resident was reached that day by
// another call).
func (s *Service) Exhausted(ctx context.Context, t campaigns.Task, last campaigns.Outcome) error {
	_, _, err := s.Unreachable(ctx, Due{ResidentID: t.ResidentID}, s.Today(),
		fmt.Sprintf("attempts exhausted, last outcome %s", last))
	return err
}

// OfferDoNotCall implements campaigns.Handoff. The do-not-call list is not
// followup's: it only logs the offer (by task, never the number).
func (s *Service) OfferDoNotCall(ctx context.Context, t campaigns.Task) error {
	s.log.Info("do-not-call offered", "task", t.ID, "resident", t.ResidentID)
	return nil
}

// CloseDay raises the unreachable alert of every due resident not reached on
// day d. Call it once the day's attempts are over (after the last calling
// window); calling it again raises nothing new.
func (s *Service) CloseDay(ctx context.Context, d campaigns.Date, due []Due) ([]Alert, error) {
	var out []Alert
	for _, r := range due {
		a, created, err := s.Unreachable(ctx, r, d, "not reached after the day's attempts")
		if err != nil {
			return out, fmt.Errorf("close day %s: %w", d, err)
		}
		if created {
			out = append(out, a)
		}
	}
	return out, nil
}

// Unreachable raises the unreachable alert of (resident, day) unless the
// resident was reached that day. Its streak counts consecutive unreachable
// days (yesterday's alert, unless a later call cleared it, continues the
// streak); from Config.EscalateAfter days on it is high priority.
func (s *Service) Unreachable(ctx context.Context, r Due, d campaigns.Date, reason string) (Alert, bool, error) {
	rec, ok, err := s.cfg.Records.Record(ctx, r.ResidentID, d)
	if err != nil {
		return Alert{}, false, fmt.Errorf("unreachable: load record: %w", err)
	}
	if ok && rec.Reached() {
		return Alert{}, false, nil
	}
	prev, ok, err := s.cfg.Alerts.AlertByKey(ctx, AlertKey(r.ResidentID, KindUnreachable, AddDays(d, -1)))
	if err != nil {
		return Alert{}, false, fmt.Errorf("unreachable: previous day: %w", err)
	}
	streak := 1
	if ok && !prev.clearedByCall() {
		streak = max(prev.Streak, 1) + 1
	}
	a := Alert{ResidentID: r.ResidentID, CommunityID: r.CommunityID, Kind: KindUnreachable, Day: d,
		Note: reason, Streak: streak}
	if a.CommunityID == 0 {
		a.CommunityID = rec.CommunityID
	}
	if streak >= s.cfg.EscalateAfter {
		a.Priority = PriorityHigh
	}
	return s.raise(ctx, a)
}

// clearUnreachable resolves the day's unreachable alert (raised after an
// earlier exhausted task) once the resident answered after all.
func (s *Service) clearUnreachable(ctx context.Context, residentID int64, d campaigns.Date) error {
	a, ok, err := s.cfg.Alerts.AlertByKey(ctx, AlertKey(residentID, KindUnreachable, d))
	if err != nil || !ok || !a.Open() {
		return err
	}
	_, err = s.apply(ctx, a, func(a Alert, now time.Time) (Alert, Event, error) {
		return a.Resolve(SystemActor, "reached by a later call", now)
	})
	return err
}
