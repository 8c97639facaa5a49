package asr

import (
	"context"
	"errors"

	"outreach/ivr"
)

// Result is a recognition hypothesis.
type Result struct {
	Text       string
	Final      bool    // false for partial results
	Confidence float64 // 0..1; 0 when the engine gives none
}

// Options describe the utterance expected, so engines can bias towards it:
// a grammar (pocketsphinx), hotwords (FunASR), a prompt (OpenAI).
type Options struct {
	Type     ivr.AnswerType // 0 = free speech
	Language string         // "zh-CN" (default), "en-US"
	Hints    []string       // words or phrases expected: the question's options, yes/no words
	Length   int            // digits expected for TypeDigits (0 = any)
}

// Recognizer is a streaming speech recogniser.
type Recognizer interface {
	// Name is the engine name ("pocketsphinx", "vosk", "funasr", "openai",
	// "template").
	Name() string
	// Recognize reads 20 ms frames of 8 kHz mono PCM from audio until audio
	// is closed (the end of the utterance) and returns the final result.
	// Partial results go to partial when it is not nil, without blocking
	// (dropped when the channel is full). ctx cancels recognition. Frames
	// are owned by the recogniser once sent. An error means no result: the
	// caller should fall back to keys.
	Recognize(ctx context.Context, opts Options, audio <-chan []int16, partial chan<- Result) (Result, error)
}

// Errors.
var (
	ErrUnknownEngine = errors.New("unknown speech engine")
	ErrNotBuilt      = errors.New("speech engine not built into this binary")
	ErrAudioClosed   = errors.New("call audio ended")
)

// sendPartial delivers a partial result without blocking.
func sendPartial(ch chan<- Result, r Result) {
	if ch == nil {
		return
	}
	select {
	case ch <- r:
	default:
	}
}

// CollectOptions are the recognition options of an ivr question: its
// answer type, language, hints (options' and yes/no words) and, for
// digits, the expected length.
func CollectOptions(c ivr.Collect) Options {
	o := Options{Type: c.Type, Language: c.Language, Hints: c.Hints}
	if c.Type == ivr.TypeDigits {
		o.Length = c.MaxDigits
	}
	return o
}
