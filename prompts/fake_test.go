package prompts

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// fakeEngine counts syntheses; with a gate it blocks until the gate is
// closed or the context ends. Its audio encodes the text length.
type fakeEngine struct {
	name              string
	gate              chan struct{}
	calls             atomic.Int32
	active, maxActive atomic.Int32
	mu                sync.Mutex
	texts             []string
	fail              error // returned for text "fail"
}

func (f *fakeEngine) Name() string {
	if f.name == "" {
		return "fake"
	}
	return f.name
}

func (f *fakeEngine) Synthesize(ctx context.Context, req Request) ([]int16, error) {
	f.calls.Add(1)
	f.mu.Lock()
	f.texts = append(f.texts, req.Text)
	f.mu.Unlock()
	n := f.active.Add(1)
	defer f.active.Add(-1)
	for {
		m := f.maxActive.Load()
		if n <= m || f.maxActive.CompareAndSwap(m, n) {
			break
		}
	}
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if req.Text == "fail" {
		if f.fail != nil {
			return nil, f.fail
		}
		return nil, errors.New("fake failure")
	}
	pcm := make([]int16, 80*len([]rune(req.Text)))
	for i := range pcm {
		pcm[i] = int16(1000 + i%100)
	}
	return pcm, nil
}
