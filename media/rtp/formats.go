package rtp

import (
	"errors"

	"outreach/media"
)

// ErrStarted is returned by SetFormats once the session runs.
var ErrStarted = errors.New("rtp session already started")

// SetFormats changes the codec and payload types the session was opened
// with, keeping its socket: the answer may pick other payload types than the
// offer proposed (RFC 3264 §6.1), and closing and rebinding the port written
// in the offer would let another socket take it meanwhile. Only before Start.
func (s *Session) SetFormats(c media.Codec, audioPT, eventPT uint8) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return ErrClosed
	case s.started:
		return ErrStarted
	}
	s.cfg.Codec, s.cfg.AudioPT, s.cfg.EventPT = c, audioPT, eventPT
	s.initStream()
	s.rx = receiver{}
	s.rx.init(s)
	return nil
}
