package campaigns

import (
	"context"
	"fmt"
	"time"
)

// RuleReason names the calling rule behind a defer or refusal.
type RuleReason uint8

// Rule reasons.
const (
	ReasonNone RuleReason = iota
	ReasonWindow
	ReasonDailyCap
	ReasonSpacing
	ReasonDoNotCall
	ReasonDialPlan
	ReasonCompletedToday
)

var reasonNames = [...]string{"none", "window", "daily_cap", "spacing", "do_not_call", "dial_plan", "completed_today"}

// String returns the reason's snake_case name.
func (r RuleReason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return fmt.Sprintf("reason(%d)", uint8(r))
}

// Rules are the calling rules checked when a task is claimed.
type Rules struct {
	Windows    Windows
	DailyCap   int           // counted attempts per number per local day; 0 = no cap
	MinSpacing time.Duration // between attempts to the same number; 0 = none
	DialPlan   DialPlan
}

// DefaultRules: 08:00–20:00 daily in Asia/Shanghai, 3 counted attempts per
// number per day, 5 minutes between attempts, Chinese numbers only.
func DefaultRules() Rules {
	return Rules{Windows: DefaultWindows(), DailyCap: 3, MinSpacing: 5 * time.Minute}
}

// NumberHistory is a number's counted attempts on one day and its latest attempt.
type NumberHistory struct {
	Attempts int       // counted attempts since local midnight
	Last     time.Time // end of the latest attempt (any day); zero if none
}

// RuleStore answers the history questions of the calling rules.
type RuleStore interface {
	NumberHistory(ctx context.Context, phone string, dayStart time.Time) (NumberHistory, error)
	DoNotCall(ctx context.Context, phone string) (bool, error)
	// CompletedToday reports whether the resident already completed this campaign's script since dayStart.
	CompletedToday(ctx context.Context, residentID, campaignID int64, dayStart time.Time) (bool, error)
}

// RuleVerdict is the result of checking the rules.
type RuleVerdict uint8

// Rule verdicts.
const (
	RuleAllow  RuleVerdict = iota // dial now
	RuleDefer                     // keep the task, due at RuleDecision.At
	RuleRefuse                    // close the task without dialing
)

// RuleDecision is the outcome of Rules.Check.
type RuleDecision struct {
	Verdict RuleVerdict
	At      time.Time
	Reason  RuleReason
	Phone   string // normalized E.164 when allowed
}

// Check applies the rules to t at now. Refusals come first (dial plan,
// do-not-call, completed today), then deferrals (window and forbidden dates,
// daily cap, spacing); a deferral lands on the next window opening.
func (r Rules) Check(ctx context.Context, s RuleStore, t Task, now time.Time) (RuleDecision, error) {
	phone, err := r.DialPlan.Check(t.Phone)
	if err != nil {
		return RuleDecision{Verdict: RuleRefuse, Reason: ReasonDialPlan}, nil
	}
	dnc, err := s.DoNotCall(ctx, phone)
	if err != nil {
		return RuleDecision{}, fmt.Errorf("check rules: do-not-call: %w", err)
	}
	if dnc {
		return RuleDecision{Verdict: RuleRefuse, Reason: ReasonDoNotCall}, nil
	}
	dayStart := r.Windows.DayStart(now)
	done, err := s.CompletedToday(ctx, t.ResidentID, t.CampaignID, dayStart)
	if err != nil {
		return RuleDecision{}, fmt.Errorf("check rules: completed today: %w", err)
	}
	if done {
		return RuleDecision{Verdict: RuleRefuse, Reason: ReasonCompletedToday}, nil
	}
	if d, ok := r.deferral(now, ReasonWindow, now); ok {
		return d, nil
	}
	h, err := s.NumberHistory(ctx, phone, dayStart)
	if err != nil {
		return RuleDecision{}, fmt.Errorf("check rules: history: %w", err)
	}
	if r.DailyCap > 0 && h.Attempts >= r.DailyCap {
		next := time.Date(dayStart.Year(), dayStart.Month(), dayStart.Day()+1, 0, 0, 0, 0, dayStart.Location())
		d, _ := r.deferral(next, ReasonDailyCap, now)
		return d, nil
	}
	if r.MinSpacing > 0 && !h.Last.IsZero() && now.Before(h.Last.Add(r.MinSpacing)) {
		d, _ := r.deferral(h.Last.Add(r.MinSpacing), ReasonSpacing, now)
		return d, nil
	}
	return RuleDecision{Verdict: RuleAllow, Phone: phone}, nil
}

// deferral returns a Defer to the first opening at or after from, if that is
// not now. A calendar with no opening at all refuses with the same reason.
func (r Rules) deferral(from time.Time, reason RuleReason, now time.Time) (RuleDecision, bool) {
	next, ok := r.Windows.Next(from)
	if !ok {
		return RuleDecision{Verdict: RuleRefuse, Reason: reason}, true
	}
	if next.Equal(now) {
		return RuleDecision{}, false
	}
	return RuleDecision{Verdict: RuleDefer, At: next, Reason: reason}, true
}
