package asr

import (
	"time"

	"outreach/media"
)

// Event is what the endpointer saw in a frame.
type Event uint8

// Endpointing events.
const (
	EventNone        Event = iota
	EventSpeechStart       // speech began (MinSpeech of it)
	EventSpeechEnd         // speech then Pause of silence: end of utterance
	EventNoInput           // NoInput passed without speech (mute time)
	EventMaxSpeech         // the utterance reached MaxSpeech
)

func (e Event) String() string {
	switch e {
	case EventNone:
		return "none"
	case EventSpeechStart:
		return "speech_start"
	case EventSpeechEnd:
		return "speech_end"
	case EventNoInput:
		return "no_input"
	case EventMaxSpeech:
		return "max_speech"
	}
	return "unknown"
}

// EndpointConfig are the endpointing knobs. Zero values select defaults.
type EndpointConfig struct {
	NoInput   time.Duration // "mute time": no speech within this → no input (default 5 s)
	Pause     time.Duration // "pause time": silence that ends an utterance (default 800 ms)
	MaxSpeech time.Duration // longest utterance (default 15 s)
	MinSpeech time.Duration // shorter bursts are noise: a click, a cough (default 100 ms)
	PreRoll   time.Duration // audio before the detected start given to the recogniser (default 300 ms)
	Threshold float64       // frame level of speech in dBFS (default media.DefaultVADThresholdDBFS)
}

// Endpointing defaults.
const (
	DefaultNoInput   = 5 * time.Second
	DefaultPause     = 800 * time.Millisecond
	DefaultMaxSpeech = 15 * time.Second
	DefaultMinSpeech = 100 * time.Millisecond
	DefaultPreRoll   = 300 * time.Millisecond
)

func (c EndpointConfig) withDefaults() EndpointConfig {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.NoInput, DefaultNoInput)
	def(&c.Pause, DefaultPause)
	def(&c.MaxSpeech, DefaultMaxSpeech)
	def(&c.MinSpeech, DefaultMinSpeech)
	def(&c.PreRoll, DefaultPreRoll)
	if c.Threshold == 0 {
		c.Threshold = media.DefaultVADThresholdDBFS
	}
	return c
}

// frames converts a duration to a whole number of 20 ms frames (at least 1).
func frames(d time.Duration) int {
	return max(1, int((d+media.FrameDuration-1)/media.FrameDuration))
}

// Endpointer finds the start and end of one utterance in 20 ms frames.
// Time is counted in frames, so it is deterministic. Not safe for
// concurrent use; it never allocates after NewEndpointer.
type Endpointer struct {
	cfg                             EndpointConfig
	noInput, pause, maxSp, minSp    int
	vad                             *media.VAD
	n, loud, quiet, speech, started int // frames seen, consecutive loud, consecutive quiet, speech frames, start frame
	inSpeech, done                  bool
}

// NewEndpointer returns an endpointer waiting for speech.
func NewEndpointer(cfg EndpointConfig) *Endpointer {
	cfg = cfg.withDefaults()
	e := &Endpointer{cfg: cfg, noInput: frames(cfg.NoInput), pause: frames(cfg.Pause),
		maxSp: frames(cfg.MaxSpeech), minSp: frames(cfg.MinSpeech)}
	// The VAD only classifies frames: onset and hangover are ours.
	e.vad = media.NewVAD(media.VADConfig{ThresholdDBFS: cfg.Threshold, HangFrames: -1, StartFrames: 1})
	return e
}

// Config returns the configuration with defaults applied.
func (e *Endpointer) Config() EndpointConfig { return e.cfg }

// Push classifies one frame. After an end event (speech end, no input, max
// speech) it returns EventNone until Reset.
func (e *Endpointer) Push(frame []int16) Event {
	if e.done {
		return EventNone
	}
	e.n++
	loud := e.vad.Process(frame)
	if loud {
		e.loud++
		e.quiet = 0
	} else {
		e.loud = 0
		e.quiet++
	}
	if !e.inSpeech {
		if e.loud >= e.minSp {
			e.inSpeech, e.started, e.speech = true, e.n-e.loud, e.loud
			return EventSpeechStart
		}
		if e.n >= e.noInput {
			e.done = true
			return EventNoInput
		}
		return EventNone
	}
	e.speech++
	switch {
	case e.quiet >= e.pause:
		e.done = true
		return EventSpeechEnd
	case e.speech >= e.maxSp:
		e.done = true
		return EventMaxSpeech
	}
	return EventNone
}

// StartSpeech puts the endpointer in speech already begun (speech that
// interrupted a prompt), so the next frames can only end it.
func (e *Endpointer) StartSpeech() {
	e.inSpeech, e.started = true, e.n
}

// Elapsed is the audio time pushed since NewEndpointer or Reset.
func (e *Endpointer) Elapsed() time.Duration { return time.Duration(e.n) * media.FrameDuration }

// SpeechStart is the offset of the speech start, valid once it started.
func (e *Endpointer) SpeechStart() time.Duration {
	return time.Duration(e.started) * media.FrameDuration
}

// InSpeech reports whether speech has started.
func (e *Endpointer) InSpeech() bool { return e.inSpeech }

// Reset waits for a new utterance.
func (e *Endpointer) Reset() {
	e.vad.Reset()
	e.n, e.loud, e.quiet, e.speech, e.started = 0, 0, 0, 0, 0
	e.inSpeech, e.done = false, false
}
