package rtp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"sync"
	"sync/atomic"

	"outreach/media"
	"outreach/media/udp"
)

// Errors returned by sessions.
var (
	ErrClosed     = errors.New("rtp session closed")
	ErrNotStarted = errors.New("rtp session not started")
	ErrBusy       = errors.New("rtp session already playing")
	ErrNoEventPT  = errors.New("no telephone-event payload type negotiated")
)

// Session is one RTP media session: one socket and a stream on a pacer,
// which sends the session's packets and reads what arrived (no goroutine of
// its own: see Pacer).
type Session struct {
	cfg   Config
	log   *slog.Logger
	sock  *udp.Socket // polled by the pacer, outside Go's netpoller
	local netip.AddrPort
	stats counters
	st    stream
	rx    receiver

	pacer    *Pacer
	ownPacer bool

	frames  chan []int16
	ring    [][media.FrameSamples]int16 // behind frames, made by Frames
	digits  chan rune
	timeout chan struct{}

	mu        sync.Mutex
	started   bool
	closed    bool
	stopCtx   func() bool
	recording bool
	rec       *recorder

	wantFrames atomic.Bool
	newRemote  atomic.Bool // SetRemote was called: latch again
	closeOnce  sync.Once
	closeErr   error
}

// Listen binds the session's socket. Start runs it.
func Listen(cfg Config) (*Session, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	sock, err := listenUDP(cfg.Addr, cfg.PortMin, cfg.PortMax)
	if err != nil {
		return nil, err
	}
	s := &Session{
		cfg:     cfg,
		log:     cfg.Logger,
		sock:    sock,
		local:   sock.LocalAddr(),
		frames:  make(chan []int16, cfg.FrameBuffer),
		digits:  make(chan rune, 16),
		timeout: make(chan struct{}),
	}
	s.initStream()
	s.rx.init(s)
	if cfg.OnFrame != nil {
		s.wantFrames.Store(true)
	}
	switch {
	case cfg.Pacer != nil:
		s.pacer = cfg.Pacer
	case cfg.PacerGroup != nil:
		s.pacer = cfg.PacerGroup.Next()
	default:
		s.pacer, s.ownPacer = NewPacer(cfg.Logger), true
	}
	return s, nil
}

func (s *Session) initStream() {
	st := &s.st
	st.raw, st.rx, st.stats, st.idx = s.sock, &s.rx, &s.stats, -1
	st.codec, st.eventPT = s.cfg.Codec, s.cfg.EventPT
	st.silence = s.cfg.Silence == SilenceComfort
	st.gap = true
	// RFC 3550 §5.1: random initial sequence number, timestamp and SSRC.
	st.hdr.Version = 2
	st.hdr.PayloadType = s.cfg.AudioPT
	st.hdr.SequenceNumber = uint16(rand.Uint32())
	st.hdr.Timestamp = rand.Uint32()
	st.hdr.SSRC = rand.Uint32()
	var zero [media.FrameSamples]int16
	s.cfg.Codec.Encode(st.silenceB[:], zero[:])
}

// LocalAddr returns the bound address (for the SDP offer or answer).
func (s *Session) LocalAddr() netip.AddrPort { return s.local }

// SSRC returns the session's own synchronisation source.
func (s *Session) SSRC() uint32 { return s.st.hdr.SSRC }

// SetRemote sets the send address (from SDP). The session still latches to
// the source of the next valid RTP packet (symmetric RTP, RFC 4961).
func (s *Session) SetRemote(ap netip.AddrPort) {
	s.st.setRemote(ap)
	s.newRemote.Store(true)
}

// Remote returns the current send address (zero if none yet).
func (s *Session) Remote() netip.AddrPort {
	if r := s.st.remote.Load(); r != nil {
		return *r
	}
	return netip.AddrPort{}
}

// Start registers the session with its pacer, which from then on sends its
// packets and reads what arrives. Cancelling ctx closes the session.
// Starting twice does nothing.
func (s *Session) Start(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.closed {
		return
	}
	s.started = true
	now := s.cfg.Now()
	if s.recording {
		s.rec = newRecorder(now)
		s.st.rec = s.rec
		s.rx.rec = s.rec
	}
	s.rx.lastValid.Store(now.UnixNano())
	// Receiving allocates nothing for G.711 at 20 ms.
	s.rx.jit.fit(media.FrameSamples)
	if s.ownPacer {
		s.pacer.Start(context.WithoutCancel(ctx))
	}
	s.pacer.add(&s.st)
	s.stopCtx = context.AfterFunc(ctx, func() { _ = s.Close() })
}

// Close stops sending and receiving, closes the socket and the Frames and
// Digits channels, and releases pending Play and SendDigit calls.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		started, stop := s.started, s.stopCtx
		s.mu.Unlock()
		if stop != nil {
			stop()
		}
		if started {
			s.pacer.remove(&s.st)
		}
		s.st.close()
		// The pacer may be reading this session right now (its snapshot of
		// the slot): stop that first, so nothing is delivered to the
		// channels closed below.
		if err := s.rx.close(); err != nil {
			s.closeErr = fmt.Errorf("close rtp session: %w", err)
		}
		if s.ownPacer {
			s.pacer.Stop()
		}
		close(s.frames)
		close(s.digits)
	})
	return s.closeErr
}

// Frames returns decoded 20 ms frames (160 samples), in order. A frame is
// valid until the next receive from the channel: copy it to keep it. Frames
// are only decoded once Frames has been called; when the reader is slow,
// frames are dropped (Stats.DroppedFrames). Closed by Close. With
// Config.OnFrame set, frames go to the hook and this channel stays empty.
func (s *Session) Frames() <-chan []int16 {
	// The ring holds capacity+2 frames, so a frame is not overwritten before
	// the reader has received the next one (the k-th receive happens before
	// the (k+capacity)-th send completes). It is made here, published by
	// wantFrames, not on the pacer's goroutine (see Start).
	s.mu.Lock()
	if s.ring == nil && s.cfg.OnFrame == nil {
		s.ring = make([][media.FrameSamples]int16, cap(s.frames)+2)
	}
	s.mu.Unlock()
	s.wantFrames.Store(true)
	return s.frames
}

// Digits returns RFC 4733 key presses, each exactly once. Closed by Close.
// With Config.OnDigit set, key presses go to the hook and this channel
// stays empty.
func (s *Session) Digits() <-chan rune { return s.digits }

// Timeout is closed when no valid RTP arrived for Config.MediaTimeout.
func (s *Session) Timeout() <-chan struct{} { return s.timeout }

// Stats returns a snapshot of the counters.
func (s *Session) Stats() Stats { return s.stats.snapshot() }

// EnableRecording records both directions, mixed at 8 kHz, from Start on.
// It has no effect after Start.
func (s *Session) EnableRecording() {
	s.mu.Lock()
	s.recording = true
	s.mu.Unlock()
}

// Recording returns a copy of the mixed recording so far (nil if disabled).
func (s *Session) Recording() []int16 {
	s.mu.Lock()
	rec := s.rec
	s.mu.Unlock()
	if rec == nil {
		return nil
	}
	return rec.samples()
}
