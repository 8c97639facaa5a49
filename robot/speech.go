package robot

import (
	"context"
	"errors"

	"outreach/asr"
	"outreach/ivr"
)

// Ears give a Session speech: a resident who talks during a prompt stops it
// (barge-in), and questions that accept speech are answered by voice
// through a Recognizer, with keys always accepted too. When recognition
// fails the question falls back to keys.
type Ears struct {
	Recognizer asr.Recognizer
	Endpoint   asr.EndpointConfig // NoInput is taken from each question's timeout
	BargeIn    asr.BargeInConfig
}

// audioCall is the part of a call speech needs; *dialer.Call has it.
type audioCall interface {
	Frames() <-chan []int16
	Interrupt()
}

// WithEars enables speech on the session (nil keeps it keys-only).
func (s *Session) WithEars(e *Ears) *Session {
	s.ears = e
	return s
}

func (s *Session) listening(c ivr.Collect) (audioCall, bool) {
	if s.ears == nil || s.ears.Recognizer == nil || !c.Speech || c.Prefix != "" {
		return nil, false
	}
	ac, ok := s.call.(audioCall)
	return ac, ok
}

// playListening plays a prompt; with ears and barge-in, speech of at least
// BargeIn.MinSpeech stops it and is kept as the lead of the next answer.
func (s *Session) playListening(ctx context.Context, pcm []int16, bargeIn bool) (bool, error) {
	s.lead = nil
	ac, ok := s.call.(audioCall)
	if !bargeIn || s.ears == nil || s.ears.Recognizer == nil || !ok {
		return s.call.Play(ctx, pcm, bargeIn)
	}
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan []int16, 1)
	go func() {
		bi := asr.NewBargeIn(s.ears.BargeIn)
		frames := ac.Frames()
		for {
			select {
			case f, ok := <-frames:
				if !ok {
					done <- nil
					return
				}
				if bi.Push(f) {
					ac.Interrupt()
					done <- bi.Audio()
					return
				}
			case <-lctx.Done():
				done <- nil
				return
			}
		}
	}()
	interrupted, err := s.call.Play(ctx, pcm, true)
	cancel()
	s.lead = <-done
	return interrupted, err
}

type heard struct {
	u   asr.Utterance
	err error
}

// collectSpeech waits for the first key or utterance. A key stops listening
// and continues as digit entry; an utterance is the answer; a recogniser
// failure falls back to keys for the rest of the question.
func (s *Session) collectSpeech(ctx context.Context, c ivr.Collect, ac audioCall) (ivr.Input, error) {
	cfg := asr.ListenConfig{Endpoint: s.ears.Endpoint, Options: asr.CollectOptions(c), Lead: s.lead}
	s.lead = nil
	if c.Timeout > 0 {
		cfg.Endpoint.NoInput = c.Timeout
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	res := make(chan heard, 1)
	go func() {
		u, err := asr.Listen(lctx, s.ears.Recognizer, ac.Frames(), cfg)
		res <- heard{u, err}
	}()
	select {
	case d := <-s.call.Digits():
		cancel()
		<-res
		c.Prefix = string(d)
		return s.collectDigits(ctx, c)
	case h := <-res:
		return s.heardInput(ctx, c, h)
	case <-s.call.Done():
		cancel()
		<-res
		return ivr.Input{}, ivr.ErrHangup
	case <-ctx.Done():
		cancel()
		<-res
		return ivr.Input{}, ctx.Err()
	}
}

func (s *Session) heardInput(ctx context.Context, c ivr.Collect, h heard) (ivr.Input, error) {
	switch {
	case h.err == nil && (h.u.End == asr.EventNoInput || h.u.Text == ""):
		return ivr.Input{Kind: ivr.InputNone}, nil
	case h.err == nil:
		return ivr.Input{Kind: ivr.InputSpeech, Text: h.u.Text, Confidence: h.u.Confidence}, nil
	case errors.Is(h.err, asr.ErrAudioClosed) || s.hungUp():
		return ivr.Input{}, ivr.ErrHangup
	case ctx.Err() != nil:
		return ivr.Input{}, ctx.Err()
	}
	s.log.Warn("speech recognition failed; taking keys", "node", c.Node, "engine", s.ears.Recognizer.Name(), "err", h.err)
	return s.collectDigits(ctx, c)
}
