package prompts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"outreach/media"
)

// DefaultLeadIn is the pause after the callee answers before the first word:
// long enough for the phone to reach the ear.
const DefaultLeadIn = 500 * time.Millisecond

// DefaultParallel is Prerender's concurrency when none is configured.
const DefaultParallel = 2

// Renderer turns prompt requests into audio through an Engine and a Cache.
// Fields are set before first use and not changed afterwards.
type Renderer struct {
	Engine Engine
	Cache  *Cache // nil: every Render synthesises
	// LeadIn is the pause after answer before the first word (LeadInAudio):
	// 0 means DefaultLeadIn, negative means none.
	LeadIn   time.Duration
	Rate     int     // words per minute for requests that have none (0: engine default)
	Volume   float64 // gain for requests that have none (0: 1)
	Parallel int     // Prerender concurrency; 0 means DefaultParallel
	Logger   *slog.Logger
}

// Prepare returns req as Render sees it: defaults applied and text
// normalised for its language. Its CacheKey is the file Render uses.
func (r *Renderer) Prepare(req Request) Request {
	req.Language = req.lang()
	if req.Rate == 0 {
		req.Rate = r.Rate
	}
	if req.Volume == 0 {
		req.Volume = r.Volume
	}
	req.Volume = req.volume()
	req.Text = Normalize(req.Language, req.Text)
	return req
}

// Render returns the audio of req, from the cache when present. The result
// may be shared with other callers: do not modify it.
func (r *Renderer) Render(ctx context.Context, req Request) ([]int16, error) {
	if r.Engine == nil {
		return nil, errors.New("render prompt: no engine configured")
	}
	req = r.Prepare(req)
	if req.Text == "" {
		return nil, errors.New("render prompt: empty text")
	}
	synth := func(ctx context.Context) ([]int16, error) {
		start := time.Now()
		pcm, err := r.Engine.Synthesize(ctx, req)
		if err != nil {
			return nil, err
		}
		r.logger().Debug("prompt rendered", "engine", r.Engine.Name(), "lang", req.Language,
			"elapsed", time.Since(start), "audio", time.Duration(len(pcm))*time.Second/media.SampleRate)
		return pcm, nil
	}
	key := CacheKey(r.Engine.Name(), req)
	var pcm []int16
	var err error
	if r.Cache == nil {
		pcm, err = synth(ctx)
	} else {
		pcm, err = r.Cache.Do(ctx, key, synth)
	}
	if err != nil {
		// The text may hold a resident's details: name the prompt by its key.
		return nil, fmt.Errorf("render prompt %s (%d chars): %w", key[:12], len([]rune(req.Text)), err)
	}
	return pcm, nil
}

// Prerender renders every request (duplicates once) with at most Parallel
// at a time, so a campaign's prompts are in the cache before its first call.
// It renders all it can and returns every failure joined.
func (r *Renderer) Prerender(ctx context.Context, reqs []Request) error {
	seen := make(map[string]bool, len(reqs))
	todo := make(chan Request)
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	workers := r.Parallel
	if workers <= 0 {
		workers = DefaultParallel
	}
	for range min(workers, max(len(reqs), 1)) {
		wg.Go(func() {
			for req := range todo {
				if _, err := r.Render(ctx, req); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	name := ""
	if r.Engine != nil {
		name = r.Engine.Name()
	}
feed:
	for _, req := range reqs {
		key := CacheKey(name, r.Prepare(req))
		if seen[key] {
			continue
		}
		seen[key] = true
		select {
		case todo <- req:
		case <-ctx.Done():
			break feed
		}
	}
	close(todo)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		errs = append(errs, fmt.Errorf("prerender: %w", err))
	}
	return errors.Join(errs...)
}

// LeadInAudio returns the silence to play after answer before the first word.
func (r *Renderer) LeadInAudio() []int16 {
	d := r.LeadIn
	if d == 0 {
		d = DefaultLeadIn
	}
	return media.Silence(d)
}

func (r *Renderer) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}
