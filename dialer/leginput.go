package dialer

import (
	"slices"
	"sync"
	"sync/atomic"

	"outreach/media"
)

const (
	// maxEarlySamples bounds the early-media buffer (60 s at 8 kHz).
	maxEarlySamples = 60 * media.SampleRate
	// maxPendingDigits bounds the keys kept for a call not live yet (as the
	// RTP session's Digits channel did before it had hooks).
	maxPendingDigits = 16
)

// legInput takes what an rtpLeg's session receives, through the session's
// hooks on its pacer's goroutine, so a call needs no goroutine to pump
// frames, keys and the media timeout. The hooks never block: a frame for a
// slow reader is dropped and a key the call cannot take is dropped (both
// counted in the session's Stats, the key logged by the call).
//
// Frames are copied: before the answer into the early-media buffer, after
// it into a fresh slice per frame sent on out, which the reader owns (the
// robot's listener keeps frames for its pre-roll and queues them for a
// recogniser that may lag by seconds, so a reused buffer would be
// overwritten under it).
type legInput struct {
	answered atomic.Bool
	out      chan []int16

	mu       sync.Mutex
	early    []int16
	call     *Call // nil until the call is live
	pending  [maxPendingDigits]rune
	npending int
	timedOut bool // the media timeout fired before the call was live
}

// answer switches frames from the early-media buffer to out.
func (in *legInput) answer() { in.answered.Store(true) }

// frame is the session's OnFrame hook.
func (in *legInput) frame(f []int16) bool {
	if !in.answered.Load() {
		in.mu.Lock()
		if len(in.early) < maxEarlySamples {
			in.early = append(in.early, f...)
		}
		in.mu.Unlock()
		return true
	}
	select {
	case in.out <- slices.Clone(f):
		return true
	default: // slow reader: drop, like rtp does
		return false
	}
}

// digit is the session's OnDigit hook: the key goes to the live call, or
// waits for it.
func (in *legInput) digit(r rune) bool {
	in.mu.Lock()
	c := in.call
	if c == nil {
		ok := in.npending < len(in.pending)
		if ok {
			in.pending[in.npending] = r
			in.npending++
		}
		in.mu.Unlock()
		return ok
	}
	in.mu.Unlock()
	return c.pushDigit(r)
}

// timeout is the session's OnTimeout hook: it ends the live call, or
// will end it once live.
func (in *legInput) timeout() {
	in.mu.Lock()
	c := in.call
	if c == nil {
		in.timedOut = true
	}
	in.mu.Unlock()
	if c != nil {
		c.mediaTimeout()
	}
}

// attach routes keys and the media timeout to c, first delivering those
// that came before (in order: a hook waits for the lock meanwhile).
func (in *legInput) attach(c *Call) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.call = c
	for _, r := range in.pending[:in.npending] {
		c.pushDigit(r)
	}
	in.npending = 0
	if in.timedOut {
		c.mediaTimeout()
	}
}

// reopened forgets a media timeout of the session just closed: the new
// session times out on its own.
func (in *legInput) reopened() {
	in.mu.Lock()
	in.timedOut = false
	in.mu.Unlock()
}

func (in *legInput) earlyAudio() []int16 {
	in.mu.Lock()
	defer in.mu.Unlock()
	if len(in.early) == 0 {
		return nil
	}
	return append([]int16(nil), in.early...)
}
