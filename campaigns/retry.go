package campaigns

import (
	"fmt"
	"time"
)

// RetryRule says what follows an attempt with a given outcome.
type RetryRule struct {
	Delay    time.Duration // wait after the end of the attempt
	Max      int           // retries allowed after this outcome; 0 with Stop=false means none
	Stop     bool          // never retry (the task is closed, not exhausted)
	NoCount  bool          // the attempt counts neither against MaxAttempts nor the daily cap
	OfferDNC bool          // suggest adding the number to the do-not-call list
}

// RetryPolicy maps each outcome to its rule. Outcomes without a rule stop.
type RetryPolicy struct {
	Rules map[Outcome]RetryRule
	// MaxAttempts caps the counted attempts of one task over all outcomes; 0 = no cap.
	MaxAttempts int
}

// DefaultRetryPolicy: busy 10 min ×3, no answer 30 min ×3, unreachable 2 h ×2,
// invalid number stop, rejected stop (offer do-not-call), trunk error retry
// in 5 min without counting (up to 20), media failure 10 min ×2,
// interrupted 10 min ×3, completed/partial/cancelled stop.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts: 8,
		Rules: map[Outcome]RetryRule{
			OutcomeCompleted:     {Stop: true},
			OutcomePartial:       {Stop: true},
			OutcomeCancelled:     {Stop: true},
			OutcomeBusy:          {Delay: 10 * time.Minute, Max: 3},
			OutcomeNoAnswer:      {Delay: 30 * time.Minute, Max: 3},
			OutcomeUnreachable:   {Delay: 2 * time.Hour, Max: 2},
			OutcomeInvalidNumber: {Stop: true},
			OutcomeRejected:      {Stop: true, OfferDNC: true},
			OutcomeTrunkError:    {Delay: 5 * time.Minute, Max: 20, NoCount: true},
			OutcomeMediaFailure:  {Delay: 10 * time.Minute, Max: 2},
			OutcomeInterrupted:   {Delay: 10 * time.Minute, Max: 3},
		},
	}
}

// Verdict is the task's next step after an attempt.
type Verdict uint8

// Verdicts.
const (
	VerdictDone      Verdict = iota // reached: nothing more to do
	VerdictRetry                    // try again at Decision.At
	VerdictStop                     // closed without success (invalid, rejected, ...)
	VerdictExhausted                // out of attempts: hand to followup for escalation
)

var verdictNames = [...]string{"done", "retry", "stop", "exhausted"}

// String returns the verdict's name.
func (v Verdict) String() string {
	if int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return fmt.Sprintf("verdict(%d)", uint8(v))
}

// Decision is the retry policy's answer for one attempt.
type Decision struct {
	Verdict  Verdict
	At       time.Time // when to retry (inside a window); zero unless Retry
	Counted  bool      // the attempt counts against caps
	OfferDNC bool
	Reason   string
}

// Rule returns the rule for o (a stop rule when none is configured).
func (p RetryPolicy) Rule(o Outcome) RetryRule {
	r, ok := p.Rules[o]
	if !ok {
		return RetryRule{Stop: true}
	}
	return r
}

// Decide applies the policy to an attempt with outcome o that ended at end.
// prior holds the outcomes of the task's earlier attempts, oldest first.
// Retries are placed in the next window opening at or after end+Delay.
func (p RetryPolicy) Decide(o Outcome, prior []Outcome, end time.Time, w Windows) Decision {
	r := p.Rule(o)
	d := Decision{Counted: !r.NoCount, OfferDNC: r.OfferDNC}
	switch {
	case o == OutcomeCompleted || o == OutcomePartial:
		d.Verdict, d.Reason = VerdictDone, o.String()
		return d
	case r.Stop:
		d.Verdict, d.Reason = VerdictStop, o.String()
		return d
	}
	same, counted := 0, 0
	for _, po := range prior {
		if po == o {
			same++
		}
		if !p.Rule(po).NoCount {
			counted++
		}
	}
	if d.Counted {
		counted++
	}
	if same >= r.Max {
		d.Verdict, d.Reason = VerdictExhausted, fmt.Sprintf("%s retried %d times", o, same)
		return d
	}
	if p.MaxAttempts > 0 && counted >= p.MaxAttempts {
		d.Verdict, d.Reason = VerdictExhausted, fmt.Sprintf("%d attempts", counted)
		return d
	}
	at, ok := w.Next(end.Add(r.Delay))
	if !ok {
		d.Verdict, d.Reason = VerdictExhausted, "no calling window ahead"
		return d
	}
	d.Verdict, d.At, d.Reason = VerdictRetry, at, o.String()
	return d
}
