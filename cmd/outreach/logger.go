package main

import (
	"io"
	"log/slog"

	"outreach/mask"
)

// newLogger builds the process logger; mask.Handler keeps phone and ID
// numbers out of it.
func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(mask.Handler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})))
}
