package sim

import (
	"context"
	"fmt"
	"time"
)

// leg is the media side of one call: an RTP session negotiated from the
// caller's SDP offer.
type leg interface {
	// Start runs the receive side until ctx ends or Close.
	Start(ctx context.Context)
	// Play sends pcm (8 kHz) paced in 20 ms frames, returning when done.
	Play(ctx context.Context, pcm []int16) error
	// SendDigit sends one RFC 4733 key press.
	SendDigit(ctx context.Context, digit rune, d time.Duration) error
	// Frames yields decoded incoming 20 ms frames.
	Frames() <-chan []int16
	Close() error
}

// engine opens legs and loads audio for personas.
type engine interface {
	// answer parses the SDP offer, opens a leg and returns the SDP answer
	// (RFC 3264 §6).
	answer(offer []byte) ([]byte, leg, error)
	// announcement returns the not-in-service early media: the WAV at path,
	// or a synthesized intercept pattern when path is empty.
	announcement(path string) ([]int16, error)
	// wav loads a WAV file as 8 kHz mono PCM.
	wav(path string) ([]int16, error)
	// writeWAV writes 8 kHz mono PCM as a 16-bit WAV file.
	writeWAV(path string, pcm []int16) error
	// start and stop bracket the server's life (shared pacers).
	start()
	stop()
}

// errNoOffer rejects INVITEs without an SDP offer (delayed offer is not
// simulated): 488 Not Acceptable Here (RFC 3261 §21.4.26).
var errNoOffer = fmt.Errorf("no SDP offer")
