package ivr

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// fakeClock is the injected clock of the golden tests.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

// step is one thing the resident does.
type step struct {
	barge  bool // during the prompt before the collect
	digits string
	speech string
	conf   float64
	none   bool // stays silent until the timeout
	hangup bool
	listen bool // lets one prompt play to its end
}

func (s step) String() string {
	var out string
	switch {
	case s.none:
		out = "silence"
	case s.hangup:
		out = "hangs up"
	case s.listen:
		out = "listens"
	case s.speech != "":
		out = fmt.Sprintf("says %q (%.1f)", s.speech, s.conf)
	default:
		out = "keys " + s.digits
	}
	if s.barge {
		out += " during prompt"
	}
	return out
}

func K(d string) step  { return step{digits: d} }
func B(d string) step  { return step{digits: d, barge: true} }
func S(t string) step  { return step{speech: t, conf: 0.9} }
func BS(t string) step { return step{speech: t, conf: 0.9, barge: true} }
func Low(t string) step {
	return step{speech: t, conf: 0.3}
}
func N() step { return step{none: true} }
func L() step { return step{listen: true} }
func H() step { return step{hangup: true} }

func rep(s step, n int) []step {
	out := make([]step, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// fakeSession plays a scripted resident and advances the fake clock as a
// real call would take time: prompts at the estimated reading speed,
// silence for the whole timeout, a second per key, two seconds per phrase.
type fakeSession struct {
	clock       *fakeClock
	steps       []step
	pending     *step // what the resident began during a prompt
	transferErr error
	log         []string
}

func (f *fakeSession) pop() (step, bool) {
	if len(f.steps) == 0 {
		return step{}, false
	}
	s := f.steps[0]
	f.steps = f.steps[1:]
	return s, true
}

func (f *fakeSession) Play(ctx context.Context, p Prompt) (PlayResult, error) {
	d := EstimateDuration(p.Text)
	if len(f.steps) == 0 || !f.steps[0].barge || f.steps[0].listen {
		if len(f.steps) > 0 && f.steps[0].listen {
			f.pop()
		}
		f.clock.Advance(d)
		return PlayResult{}, nil
	}
	s, _ := f.pop()
	if !p.BargeIn {
		f.log = append(f.log, fmt.Sprintf("%s: %s ignored (barge-in off)", p.Node, s))
		f.clock.Advance(d)
		return PlayResult{}, nil
	}
	f.clock.Advance(d / 2)
	if s.speech != "" {
		f.pending = &s
		return PlayResult{Interrupted: true, Speech: true}, nil
	}
	if len(s.digits) > 1 {
		rest := s
		rest.digits = s.digits[1:]
		f.pending = &rest
	}
	return PlayResult{Interrupted: true, Digit: rune(s.digits[0])}, nil
}

func (f *fakeSession) Collect(ctx context.Context, c Collect) (Input, error) {
	if c.Timeout <= 0 || c.MaxDigits <= 0 {
		return Input{}, fmt.Errorf("bad collect spec %+v", c)
	}
	s, ok := step{}, false
	if f.pending != nil {
		s, ok = *f.pending, true
		f.pending = nil
	} else if c.Prefix != "" {
		f.clock.Advance(c.InterDigitTimeout)
		return Input{Kind: InputDigits, Digits: c.Prefix, Confidence: 1}, nil
	} else {
		s, ok = f.pop()
	}
	switch {
	case !ok:
		f.log = append(f.log, "resident ran out of inputs")
		return Input{}, fmt.Errorf("collect: %w", ErrHangup)
	case s.hangup:
		return Input{}, fmt.Errorf("collect: %w", ErrHangup)
	case s.listen:
		return Input{}, fmt.Errorf("scenario out of step: listen at a collect in %s", c.Node)
	case s.none:
		f.clock.Advance(c.Timeout)
		return Input{Kind: InputNone}, nil
	case s.speech != "":
		if !c.Speech {
			f.clock.Advance(c.Timeout)
			return Input{Kind: InputNone}, nil
		}
		f.clock.Advance(2 * time.Second)
		return Input{Kind: InputSpeech, Text: s.speech, Confidence: s.conf}, nil
	}
	d := c.Prefix + s.digits
	f.clock.Advance(time.Duration(len(s.digits)) * time.Second)
	if c.Terminator == "" || !strings.HasSuffix(d, c.Terminator) {
		if len(d) < c.MaxDigits {
			f.clock.Advance(c.InterDigitTimeout)
		}
	}
	return Input{Kind: InputDigits, Digits: d, Confidence: 1}, nil
}

func (f *fakeSession) Transfer(ctx context.Context, target string) error {
	f.clock.Advance(time.Second)
	if f.transferErr != nil {
		f.log = append(f.log, "transfer to "+target+" failed")
		return f.transferErr
	}
	f.log = append(f.log, "transfer to "+target)
	return nil
}

func (f *fakeSession) Hangup(ctx context.Context, reason string) error {
	f.log = append(f.log, "hangup "+reason)
	return nil
}

var errTransferBusy = errors.New("refer rejected: 486 busy")
