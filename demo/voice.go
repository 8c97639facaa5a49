package demo

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"outreach/media"
	"outreach/prompts"
)

// placeholder stands in for espeak-ng on a machine that has only Go: the
// prompts that carry a resident's name cannot be pre-rendered, so they are
// played as a soft two-tone chime of the prompt's estimated length, and the
// demo says so once. Every other prompt comes from the shipped recordings.
type placeholder struct {
	next prompts.Engine
	log  *slog.Logger
	once sync.Once
}

func (p *placeholder) Name() string { return p.next.Name() }

func (p *placeholder) Synthesize(ctx context.Context, req prompts.Request) ([]int16, error) {
	pcm, err := p.next.Synthesize(ctx, req)
	if err == nil || !errors.Is(err, prompts.ErrNotInstalled) {
		return pcm, err
	}
	p.once.Do(func() {
		p.log.Warn("espeak-ng is not installed: prompts with a resident's name play as a chime (apt-get install espeak-ng)")
	})
	d := time.Duration(len([]rune(req.Text))) * 250 * time.Millisecond
	return media.Tone([]float64{523, 659}, min(d, 8*time.Second), 0.2), nil
}
