// Package campaigns holds the pure logic of outreach campaigns: campaign
// states, targets, cron schedules, calling windows and rules, the dial plan,
// the retry policy and the dispatcher that turns claimed tasks into calls.
//
// It knows nothing of SQL, SIP or Redis: it owns small interfaces (TaskStore,
// RuleStore, Queue, Placer, ...) that the storage, queue and robot adapters
// implement. Time is always injected.
package campaigns

import "fmt"

// Outcome is the result of one call attempt. The values and their strings
// match the dialer's outcomes (the dialer is not imported on purpose).
type Outcome uint8

// Call outcomes.
const (
	OutcomeUnknown Outcome = iota
	OutcomeCompleted
	OutcomeBusy
	OutcomeNoAnswer
	OutcomeRejected
	OutcomeInvalidNumber
	OutcomeUnreachable
	OutcomeTrunkError
	OutcomeMediaFailure
	OutcomeCancelled
	OutcomeInterrupted
	OutcomePartial
)

var outcomeNames = [...]string{
	OutcomeUnknown:       "unknown",
	OutcomeCompleted:     "completed",
	OutcomeBusy:          "busy",
	OutcomeNoAnswer:      "no_answer",
	OutcomeRejected:      "rejected",
	OutcomeInvalidNumber: "invalid_number",
	OutcomeUnreachable:   "unreachable",
	OutcomeTrunkError:    "trunk_error",
	OutcomeMediaFailure:  "media_failure",
	OutcomeCancelled:     "cancelled",
	OutcomeInterrupted:   "interrupted",
	OutcomePartial:       "partial",
}

// String returns the snake_case name used in the database and the API.
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("outcome(%d)", uint8(o))
}

// ParseOutcome is the inverse of String.
func ParseOutcome(s string) (Outcome, error) {
	for i, n := range outcomeNames {
		if n == s {
			return Outcome(i), nil
		}
	}
	return OutcomeUnknown, fmt.Errorf("parse outcome %q: unknown", s)
}

// MarshalText implements encoding.TextMarshaler.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Outcome) UnmarshalText(b []byte) error {
	v, err := ParseOutcome(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}
