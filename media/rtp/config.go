package rtp

import (
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"outreach/media"
)

// SilenceMode says what a session sends while nothing is played.
type SilenceMode uint8

const (
	// SilenceComfort (the default) sends G.711 silence frames every 20 ms, so
	// NAT bindings and the far side's media-timeout detectors stay happy.
	SilenceComfort SilenceMode = iota
	// SilenceNone sends nothing between prompts (RFC 3551 §4.1 silence
	// suppression); the next talkspurt starts with the marker bit.
	SilenceNone
)

// String returns "comfort" or "none".
func (m SilenceMode) String() string {
	switch m {
	case SilenceComfort:
		return "comfort"
	case SilenceNone:
		return "none"
	}
	return fmt.Sprintf("SilenceMode(%d)", uint8(m))
}

// Defaults of the optional Config fields.
const (
	DefaultLatchTimeout = 2 * time.Second
	DefaultJitterDepth  = 3
	DefaultFrameBuffer  = 16
)

// Config describes one RTP session.
type Config struct {
	Addr             netip.Addr // bind address (127.0.0.1 in tests); invalid = 0.0.0.0
	PortMin, PortMax int        // even ports from this range; 0,0 = ephemeral
	Codec            media.Codec
	AudioPT          uint8 // from negotiation
	EventPT          uint8 // telephone-event payload type; 0 = none
	// MediaTimeout: no valid RTP for this long → Timeout() is closed; 0 = off.
	MediaTimeout time.Duration
	Logger       *slog.Logger

	// Pacer is the shared pacer the session sends and receives through.
	// When nil and PacerGroup is set, the group assigns one; when both are
	// nil the session creates, starts and stops a private pacer (simple
	// mode). A shared pacer or group is started and stopped by its owner,
	// not by the session: until it runs, the session neither sends nor reads.
	Pacer      *Pacer
	PacerGroup *PacerGroup

	// Silence selects what is sent while nothing is played (default comfort silence).
	Silence SilenceMode
	// LatchTimeout: the latched source must be silent this long before another
	// source may re-latch the send address (default DefaultLatchTimeout).
	LatchTimeout time.Duration
	// JitterDepth is how many packets the jitter buffer waits for a missing
	// one before giving it up (default 3, max 7).
	JitterDepth int
	// FrameBuffer is the capacity of the Frames channel (default 16).
	FrameBuffer int
	// Now is the clock (default time.Now). Used for media timeout, latching
	// and recording alignment.
	Now func() time.Time

	// Hooks (optional) take what the receive side produces directly, so a
	// consumer needs no goroutine of its own to read the channels. They run
	// on the pacer's goroutine, one at a time, and must not block (every
	// session of the pacer waits) nor Close their own session.
	//
	// OnFrame receives every decoded 20 ms frame instead of the Frames
	// channel (frames are then decoded from Start on). The frame is only
	// valid during the call: copy it to keep it. Returning false reports it
	// dropped (Stats.DroppedFrames).
	OnFrame func(frame []int16) bool
	// OnDigit receives every RFC 4733 key press, each once, instead of the
	// Digits channel. Returning false reports it dropped (Stats.DroppedDigits).
	OnDigit func(digit rune) bool
	// OnTimeout is called once when the media timeout fires, after
	// Timeout() is closed.
	OnTimeout func()
}

func (c Config) withDefaults() (Config, error) {
	if c.PortMin < 0 || c.PortMax < 0 || c.PortMax > 65535 || c.PortMin > c.PortMax {
		return c, fmt.Errorf("rtp config: port range %d-%d is invalid", c.PortMin, c.PortMax)
	}
	if c.AudioPT > 127 || c.EventPT > 127 {
		return c, fmt.Errorf("rtp config: payload type out of range (audio %d, event %d)", c.AudioPT, c.EventPT)
	}
	if c.EventPT != 0 && c.EventPT == c.AudioPT {
		return c, fmt.Errorf("rtp config: event payload type %d equals the audio one", c.EventPT)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.LatchTimeout <= 0 {
		c.LatchTimeout = DefaultLatchTimeout
	}
	if c.JitterDepth <= 0 {
		c.JitterDepth = DefaultJitterDepth
	}
	c.JitterDepth = min(c.JitterDepth, jitterSlots-1)
	if c.FrameBuffer <= 0 {
		c.FrameBuffer = DefaultFrameBuffer
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}
