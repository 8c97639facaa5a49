package sim

import (
	"log/slog"

	"outreach/mask"
)

// newRedactLogger masks every run of 7+ digits in messages and attributes
// (mask.Handler): sipgo logs raw SIP messages, with phone numbers, on parse
// errors.
func newRedactLogger(l *slog.Logger) *slog.Logger {
	return slog.New(mask.Handler(l.Handler()))
}
