package asr

import (
	"context"
	"fmt"
	"time"

	"outreach/media"
)

// ListenConfig describes one question's listening.
type ListenConfig struct {
	Endpoint EndpointConfig
	Options  Options
	// Lead is audio already heard that starts the utterance (BargeIn.Audio
	// after speech interrupted the prompt): recognition starts at once.
	Lead []int16
	// Partial receives partial results when not nil (never blocks).
	Partial chan<- Result
}

// Utterance is what Listen heard.
type Utterance struct {
	Result
	End    Event         // EventSpeechEnd, EventMaxSpeech or EventNoInput
	Start  time.Duration // speech start from the beginning of listening
	Length time.Duration // speech length including the final pause
}

// Listen endpoints frames and recognises the utterance between the speech
// start (with its pre-roll) and the pause that ends it. It returns End =
// EventNoInput with no error when nobody spoke within the mute time, an
// error wrapping ErrAudioClosed when frames closes (hangup), ctx.Err() when
// ctx is done, and the recogniser's error when it fails. Frames are copied:
// the caller may reuse them.
func Listen(ctx context.Context, rec Recognizer, in <-chan []int16, cfg ListenConfig) (Utterance, error) {
	ep := NewEndpointer(cfg.Endpoint)
	c := ep.Config()
	pre := newPreRoll(c.PreRoll + c.MinSpeech)
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Room for the whole utterance: the call's frame reader never blocks.
	s := &recognition{rec: rec, cfg: cfg, cancel: cancel,
		room: 2*len(cfg.Lead)/media.FrameSamples + frames(c.MaxSpeech) + frames(c.PreRoll+c.MinSpeech) + 2}
	var u Utterance
	if len(cfg.Lead) > 0 {
		s.start(rctx, nil)
		for f := range chunk(cfg.Lead) {
			s.audio <- f
		}
		ep.StartSpeech()
	}
	for {
		var f []int16
		var open bool
		select {
		case <-ctx.Done():
			return s.finish(u, ctx.Err())
		case r := <-s.done: // the recogniser ended early
			s.done <- r
			u.End, u.Length = EventSpeechEnd, ep.Elapsed()-u.Start
			return s.finish(u, nil)
		case f, open = <-in:
		}
		if !open {
			return s.finish(u, fmt.Errorf("listen: %w", ErrAudioClosed))
		}
		f = append([]int16(nil), f...)
		switch ev := ep.Push(f); {
		case ev == EventSpeechStart:
			s.start(rctx, pre.frames())
			u.Start = ep.SpeechStart()
			s.audio <- f
		case s.audio != nil:
			s.audio <- f
			if ev == EventSpeechEnd || ev == EventMaxSpeech {
				u.End, u.Length = ev, ep.Elapsed()-u.Start
				return s.finish(u, nil)
			}
		case ev == EventNoInput:
			u.End = EventNoInput
			return u, nil
		default:
			pre.push(f)
		}
	}
}

// recognition is the recogniser's run over one utterance.
type recognition struct {
	rec    Recognizer
	cfg    ListenConfig
	cancel context.CancelFunc
	room   int
	audio  chan []int16
	done   chan recognized
}

type recognized struct {
	r   Result
	err error
}

// start runs the recogniser in a goroutine that finish waits for.
func (s *recognition) start(ctx context.Context, pre [][]int16) {
	s.audio = make(chan []int16, s.room)
	s.done = make(chan recognized, 1)
	go func() {
		r, err := s.rec.Recognize(ctx, s.cfg.Options, s.audio, s.cfg.Partial)
		s.done <- recognized{r, err}
	}()
	for _, p := range pre {
		s.audio <- p
	}
}

// finish ends the audio and waits for the recogniser. With cause set it
// cancels recognition first and returns cause.
func (s *recognition) finish(u Utterance, cause error) (Utterance, error) {
	if s.audio == nil {
		return u, cause
	}
	if cause != nil {
		s.cancel()
	}
	close(s.audio)
	r := <-s.done
	if cause != nil {
		return u, cause
	}
	if r.err != nil {
		return u, fmt.Errorf("recognize: %w", r.err)
	}
	u.Result = r.r
	u.Final = true
	return u, nil
}

// chunk splits pcm into 20 ms frames (the last one padded with silence).
func chunk(pcm []int16) func(yield func([]int16) bool) {
	return func(yield func([]int16) bool) {
		for i := 0; i < len(pcm); i += media.FrameSamples {
			f := make([]int16, media.FrameSamples)
			copy(f, pcm[i:])
			if !yield(f) {
				return
			}
		}
	}
}

// preRoll keeps the last frames before speech starts.
type preRoll struct {
	ring [][]int16
	pos  int
	full bool
}

func newPreRoll(d time.Duration) *preRoll { return &preRoll{ring: make([][]int16, frames(d))} }

func (p *preRoll) push(f []int16) {
	p.ring[p.pos] = f
	p.pos = (p.pos + 1) % len(p.ring)
	p.full = p.full || p.pos == 0
}

func (p *preRoll) frames() [][]int16 {
	if !p.full {
		return p.ring[:p.pos]
	}
	return append(append([][]int16(nil), p.ring[p.pos:]...), p.ring[:p.pos]...)
}
