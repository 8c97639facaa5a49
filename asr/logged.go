package asr

import (
	"context"
	"log/slog"
	"time"
	"unicode/utf8"

	"outreach/mask"
)

// logged logs each recognition: failures at warn (the caller falls back
// to keys), results at debug with digit runs masked (a resident may say
// a phone number).
type logged struct {
	Recognizer
	log *slog.Logger
}

func (l logged) Recognize(ctx context.Context, opts Options, audio <-chan []int16, partial chan<- Result) (Result, error) {
	start := time.Now()
	r, err := l.Recognizer.Recognize(ctx, opts, audio, partial)
	if err != nil {
		if ctx.Err() == nil {
			l.log.Warn("speech recognition failed", "engine", l.Name(), "type", opts.Type.String(), "err", err)
		}
		return r, err
	}
	l.log.Debug("speech recognised", "engine", l.Name(), "type", opts.Type.String(), "chars", utf8.RuneCountInString(r.Text),
		"text", mask.Text(r.Text), "confidence", r.Confidence, "took", time.Since(start))
	return r, nil
}
