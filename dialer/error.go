package dialer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"outreach/mask"
)

// Error is the failure of one dial. It classifies itself: Outcome tells the
// retry policy what happened; Status and Reason are the SIP final response (0
// when none arrived); RetryAfter is set when the trunk asked us to back off
// (503 with Retry-After, RFC 3261 §20.33) or is paused.
type Error struct {
	Trunk      string
	Outcome    Outcome
	Status     int
	Reason     string
	RetryAfter time.Duration
	Err        error

	// CallID of the failed INVITE ("" when none was sent).
	CallID string
	// EarlyMedia is the audio heard before the failure (a 183 announcement
	// such as 您拨打的号码是空号), decoded at 8 kHz. Nil without early media.
	EarlyMedia []int16
}

// Error reads like "dial trunk gw1: 486 Busy Here". Digit runs that could be
// phone numbers (a reason phrase, a transport error quoting the INVITE's
// request line) are masked, so the message is safe to log.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("dial trunk ")
	b.WriteString(e.Trunk)
	b.WriteString(": ")
	switch {
	case e.Status != 0:
		fmt.Fprintf(&b, "%d %s", e.Status, e.Reason)
	case e.Reason != "":
		b.WriteString(e.Reason)
	default:
		b.WriteString(e.Outcome.String())
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return mask.Text(b.String())
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// OutcomeOf classifies any error returned by Dial: a *Error gives its
// Outcome, context cancellation gives Cancelled, anything else TrunkError.
func OutcomeOf(err error) Outcome {
	if err == nil {
		return Completed
	}
	var de *Error
	if errors.As(err, &de) {
		return de.Outcome
	}
	if isContextErr(err) {
		return Cancelled
	}
	return TrunkError
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
