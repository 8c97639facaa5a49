package robot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"outreach/ivr"
)

// Call is what a Session needs of a live call; *dialer.Call implements it.
type Call interface {
	Play(ctx context.Context, pcm []int16, bargeIn bool) (interrupted bool, err error)
	Digits() <-chan rune
	Transfer(ctx context.Context, target string) error
	Hangup(ctx context.Context) error
	Done() <-chan struct{}
}

// Voice turns a prompt into 8 kHz audio.
type Voice interface {
	Render(ctx context.Context, p ivr.Prompt) ([]int16, error)
}

// Session adapts a live call to ivr.Session: prompts are rendered by Voice
// and played with barge-in; answers are collected from the call's digits.
type Session struct {
	call  Call
	voice Voice
	log   *slog.Logger
	ears  *Ears   // nil: keys only
	lead  []int16 // speech that interrupted the last prompt, for the next Collect
	// after makes timers; tests may replace it. nil means time.NewTimer.
	after func(d time.Duration) (<-chan time.Time, func() bool)
}

// NewSession wraps a live call.
func NewSession(call Call, voice Voice, log *slog.Logger) *Session {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Session{call: call, voice: voice, log: log, after: realTimer}
}

func realTimer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

var _ ivr.Session = (*Session)(nil)

// Play renders and plays a prompt. A key pressed during a barge-in prompt
// stops it and is returned as PlayResult.Digit (and so consumed here).
func (s *Session) Play(ctx context.Context, p ivr.Prompt) (ivr.PlayResult, error) {
	pcm, err := s.voice.Render(ctx, p)
	if err != nil {
		return ivr.PlayResult{}, fmt.Errorf("render prompt %s: %w", p.Node, err)
	}
	interrupted, err := s.playListening(ctx, pcm, p.BargeIn)
	if err != nil {
		return ivr.PlayResult{}, s.ended(fmt.Errorf("play prompt %s: %w", p.Node, err))
	}
	if s.hungUp() {
		return ivr.PlayResult{}, ivr.ErrHangup
	}
	if !interrupted {
		return ivr.PlayResult{}, nil
	}
	// The call stops the prompt just before it queues the key that
	// interrupted it: give the key a moment to arrive, or the engine takes
	// the barge-in for speech and a say node loses the key.
	timer, stop := s.after(bargeInDigitWait)
	defer stop()
	select {
	case d := <-s.call.Digits():
		return ivr.PlayResult{Interrupted: true, Digit: d}, nil
	case <-timer:
		return ivr.PlayResult{Interrupted: true, Speech: s.lead != nil}, nil
	case <-ctx.Done():
		return ivr.PlayResult{Interrupted: true}, nil
	}
}

// bargeInDigitWait is how long Play waits for the key that interrupted a
// prompt (Call.Interrupt without a key returns after it).
const bargeInDigitWait = 100 * time.Millisecond

// Collect waits for keys: up to Timeout for the first, InterDigitTimeout
// between the next, until MaxDigits or the terminator (see done). Digits
// pressed before the prompt ended arrive as Prefix.
func (s *Session) Collect(ctx context.Context, c ivr.Collect) (ivr.Input, error) {
	if ac, ok := s.listening(c); ok {
		return s.collectSpeech(ctx, c, ac)
	}
	return s.collectDigits(ctx, c)
}

func (s *Session) collectDigits(ctx context.Context, c ivr.Collect) (ivr.Input, error) {
	got := c.Prefix
	if done(got, c) {
		return digitsInput(got), nil
	}
	wait := c.Timeout
	if got != "" && c.InterDigitTimeout > 0 {
		wait = c.InterDigitTimeout
	}
	if full(got, c) {
		wait = terminatorGrace(c)
	}
	for {
		timer, stop := s.after(wait)
		select {
		case d := <-s.call.Digits():
			stop()
			got += string(d)
			if done(got, c) {
				return digitsInput(got), nil
			}
			if c.InterDigitTimeout > 0 {
				wait = c.InterDigitTimeout
			}
			if full(got, c) {
				wait = terminatorGrace(c)
			}
		case <-timer:
			if got == "" {
				return ivr.Input{Kind: ivr.InputNone}, nil
			}
			return digitsInput(got), nil
		case <-s.call.Done():
			stop()
			return ivr.Input{}, ivr.ErrHangup
		case <-ctx.Done():
			stop()
			return ivr.Input{}, ctx.Err()
		}
	}
}

// done reports whether digit entry is complete: the terminator was pressed,
// or MaxDigits keys when the question has no terminator. With a terminator,
// entry goes on past MaxDigits until the terminator, a pause
// (terminatorGrace) or maxExtraDigits more keys: a resident told "press 3,
// 6, 5, then the pound key" presses the pound key too, and it must not land
// in the next question; a fourth digit makes the entry invalid (asked
// again) rather than a key for the next question.
func done(got string, c ivr.Collect) bool {
	if got == "" {
		return false
	}
	if c.Terminator != "" && strings.HasSuffix(got, c.Terminator) {
		return true
	}
	n := len(got)
	if c.Terminator != "" {
		return c.MaxDigits > 0 && n >= c.MaxDigits+maxExtraDigits
	}
	return c.MaxDigits > 0 && n >= c.MaxDigits
}

// full reports whether MaxDigits keys were pressed (entry with a
// terminator then only waits terminatorGrace for it).
func full(got string, c ivr.Collect) bool {
	return c.MaxDigits > 0 && len(got) >= c.MaxDigits
}

// maxExtraDigits bounds keys past MaxDigits while waiting for the terminator.
const maxExtraDigits = 4

// terminatorGrace is how long a full entry waits for its terminator.
func terminatorGrace(c ivr.Collect) time.Duration {
	const grace = 1500 * time.Millisecond
	if c.InterDigitTimeout > 0 && c.InterDigitTimeout < grace {
		return c.InterDigitTimeout
	}
	return grace
}

func digitsInput(d string) ivr.Input {
	return ivr.Input{Kind: ivr.InputDigits, Digits: d, Confidence: 1}
}

// Transfer hands the call to staff with REFER.
func (s *Session) Transfer(ctx context.Context, target string) error {
	if err := s.call.Transfer(ctx, target); err != nil {
		return s.ended(fmt.Errorf("transfer: %w", err))
	}
	return nil
}

// Hangup sends BYE unless the resident already hung up.
func (s *Session) Hangup(ctx context.Context, reason string) error {
	if s.hungUp() {
		return nil
	}
	if err := s.call.Hangup(ctx); err != nil {
		return fmt.Errorf("hang up (%s): %w", reason, err)
	}
	return nil
}

func (s *Session) hungUp() bool {
	select {
	case <-s.call.Done():
		return true
	default:
		return false
	}
}

// ended maps any failure on a call that has ended to ivr.ErrHangup, so the
// engine records a partial result instead of an error.
// The call closes its media before it reports the end (Done), so a failure
// waits up to hangupSettle for Done before it counts as a real error.
func (s *Session) ended(err error) error {
	timer, stop := s.after(hangupSettle)
	defer stop()
	select {
	case <-s.call.Done():
		return fmt.Errorf("%w: %v", ivr.ErrHangup, err)
	case <-timer:
		return err
	}
}

// hangupSettle is how long a failed play or transfer waits for the call's
// end to be reported.
const hangupSettle = time.Second
