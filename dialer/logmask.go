package dialer

import (
	"log/slog"

	"outreach/mask"
)

// NewMaskHandler wraps next so that no phone number reaches a log line: it
// is mask.Handler, kept here so a process can install it for sipgo's global
// logger: sip.SetDefaultLogger(slog.New(dialer.NewMaskHandler(h))).
func NewMaskHandler(next slog.Handler) slog.Handler { return mask.Handler(next) }

// maskedLogger wraps l in the masking handler; nil gives a logger that drops everything.
func maskedLogger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(mask.Handler(l.Handler()))
}
