package asr

import (
	"time"

	"outreach/media"
)

// BargeInConfig tunes barge-in. Zero values select defaults.
type BargeInConfig struct {
	MinSpeech time.Duration // speech this long during a prompt stops it (default 300 ms)
	Gap       time.Duration // quiet this long resets the count (default 100 ms): syllables have gaps
	Threshold float64       // frame level of speech in dBFS (default media.DefaultVADThresholdDBFS)
	Keep      time.Duration // audio kept for the recogniser, counted back from detection (default 2 s)
}

// Barge-in defaults.
const (
	DefaultBargeInMinSpeech = 300 * time.Millisecond
	DefaultBargeInGap       = 100 * time.Millisecond
	DefaultBargeInKeep      = 2 * time.Second
)

// BargeIn detects speech during a prompt that lasts at least MinSpeech,
// and keeps the recent audio so the interrupting words reach the
// recogniser (Audio). Frame-counted, not safe for concurrent use.
type BargeIn struct {
	minSp, gap int
	vad        *media.VAD
	speech     int // speech frames in the current burst
	quiet      int // consecutive quiet frames
	fired      bool
	ring       []int16 // last Keep of audio
	pos        int
	full       bool
}

// NewBargeIn returns a detector waiting for speech.
func NewBargeIn(cfg BargeInConfig) *BargeIn {
	if cfg.MinSpeech <= 0 {
		cfg.MinSpeech = DefaultBargeInMinSpeech
	}
	if cfg.Gap <= 0 {
		cfg.Gap = DefaultBargeInGap
	}
	if cfg.Keep <= 0 {
		cfg.Keep = DefaultBargeInKeep
	}
	if cfg.Threshold == 0 {
		cfg.Threshold = media.DefaultVADThresholdDBFS
	}
	return &BargeIn{
		minSp: frames(cfg.MinSpeech), gap: frames(cfg.Gap),
		vad:  media.NewVAD(media.VADConfig{ThresholdDBFS: cfg.Threshold, HangFrames: -1, StartFrames: 1}),
		ring: make([]int16, frames(cfg.Keep)*media.FrameSamples),
	}
}

// Push feeds one frame heard while the prompt plays; it returns true once,
// at the frame where speech has lasted MinSpeech.
func (b *BargeIn) Push(frame []int16) bool {
	b.keep(frame)
	if b.fired {
		return false
	}
	if b.vad.Process(frame) {
		b.speech++
		b.quiet = 0
	} else if b.quiet++; b.quiet >= b.gap {
		b.speech = 0
	}
	if b.speech >= b.minSp {
		b.fired = true
		return true
	}
	return false
}

func (b *BargeIn) keep(frame []int16) {
	for len(frame) > 0 {
		n := copy(b.ring[b.pos:], frame)
		frame = frame[n:]
		b.pos += n
		if b.pos == len(b.ring) {
			b.pos, b.full = 0, true
		}
	}
}

// Audio returns the kept audio, oldest first: the interrupting speech and
// what came just before it. Pass it as ListenConfig.Lead.
func (b *BargeIn) Audio() []int16 {
	if !b.full {
		return append([]int16(nil), b.ring[:b.pos]...)
	}
	out := make([]int16, 0, len(b.ring))
	out = append(out, b.ring[b.pos:]...)
	return append(out, b.ring[:b.pos]...)
}

// Fired reports whether barge-in was detected.
func (b *BargeIn) Fired() bool { return b.fired }

// Reset waits for new speech and forgets the kept audio.
func (b *BargeIn) Reset() {
	b.vad.Reset()
	b.speech, b.quiet, b.fired, b.pos, b.full = 0, 0, false, 0, false
}
