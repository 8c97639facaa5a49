package ivr

import (
	"context"
	"errors"
	"time"
)

// ErrHangup is returned (wrapped) by a Session when the resident has hung up.
var ErrHangup = errors.New("callee hung up")

// Session is the call as the engine sees it; the robot implements it over
// SIP and RTP, tests over a script of inputs.
type Session interface {
	// Play says a prompt. With BargeIn a key press or speech interrupts it.
	Play(ctx context.Context, p Prompt) (PlayResult, error)
	// Collect waits for an answer by keypad or speech.
	Collect(ctx context.Context, c Collect) (Input, error)
	// Transfer hands the call to staff (SIP REFER, RFC 3515).
	Transfer(ctx context.Context, target string) error
	// Hangup ends the call (SIP BYE).
	Hangup(ctx context.Context, reason string) error
}

// Prompt is one thing to say.
type Prompt struct {
	Node     string
	Text     string // rendered text (for TTS, and the transcript)
	Audio    string // recorded prompt file to play instead of Text, if set
	Language string
	Voice    Voice
	BargeIn  bool
}

// PlayResult says how a prompt ended.
type PlayResult struct {
	Interrupted bool
	Digit       rune // the key that interrupted, 0 for speech
	Speech      bool // speech interrupted; the utterance is returned by the next Collect
}

// Collect says what answer to wait for.
type Collect struct {
	Node              string
	Type              AnswerType
	Timeout           time.Duration // for the first key or word
	InterDigitTimeout time.Duration
	Terminator        string // key that ends digit entry
	MaxDigits         int    // digit entry ends after this many
	Prefix            string // digits already pressed during the prompt (barge-in)
	Speech            bool   // speech accepted
	Hints             []string
	Language          string
}

// InputKind is how the resident answered.
type InputKind uint8

// Input kinds.
const (
	InputNone InputKind = iota
	InputDigits
	InputSpeech
)

func (k InputKind) String() string {
	switch k {
	case InputNone:
		return "none"
	case InputDigits:
		return "digits"
	case InputSpeech:
		return "speech"
	}
	return "unknown"
}

// Input is what Collect received. Digits include Prefix and the terminator
// if pressed.
type Input struct {
	Kind       InputKind
	Digits     string
	Text       string
	Confidence float64 // speech recogniser confidence, 0..1
}
