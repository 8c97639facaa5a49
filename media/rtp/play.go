package rtp

import (
	"context"
	"fmt"
	"time"

	"outreach/media"
	"outreach/media/rfc4733"
)

// Play sends pcm (8 kHz) in 20 ms frames through the session's pacer and
// returns when everything was sent, ctx is done, or interrupt (may be nil)
// is closed or receives. played is the audio actually handed to the network
// (whole frames). One Play at a time: a concurrent call returns ErrBusy.
// pcm is read while Play runs and must not be modified meanwhile.
func (s *Session) Play(ctx context.Context, pcm []int16, interrupt <-chan struct{}) (played time.Duration, err error) {
	if err := s.sendable(); err != nil {
		return 0, fmt.Errorf("play: %w", err)
	}
	if len(pcm) == 0 {
		return 0, nil
	}
	p := &play{pcm: pcm, done: make(chan struct{})}
	st := &s.st
	st.mu.Lock()
	switch {
	case st.closed:
		st.mu.Unlock()
		return 0, fmt.Errorf("play: %w", ErrClosed)
	case st.cur != nil:
		st.mu.Unlock()
		return 0, fmt.Errorf("play: %w", ErrBusy)
	}
	st.cur = p
	st.mu.Unlock()

	select {
	case <-p.done:
	case <-ctx.Done():
		err = fmt.Errorf("play: %w", ctx.Err())
	case <-interrupt:
	}
	st.mu.Lock()
	if st.cur == p {
		st.cur = nil // stop before the next tick reads pcm again
	}
	pos, closed := p.pos, st.closed
	st.mu.Unlock()
	if closed && err == nil && pos < len(pcm) {
		err = fmt.Errorf("play: %w", ErrClosed)
	}
	return samplesDuration(pos), err
}

// SendDigit sends one RFC 4733 key press of duration d on the pacer
// timeline: packets every 20 ms with the same timestamp and growing
// duration, marker on the first, the end packet three times (§2.5.1).
// Audio being played is paused meanwhile and resumes afterwards.
func (s *Session) SendDigit(ctx context.Context, digit rune, d time.Duration) error {
	if s.cfg.EventPT == 0 {
		return fmt.Errorf("send digit: %w", ErrNoEventPT)
	}
	if err := s.sendable(); err != nil {
		return fmt.Errorf("send digit: %w", err)
	}
	pkts, err := rfc4733.KeyPress(digit, d, media.FrameDuration, media.SampleRate)
	if err != nil {
		return fmt.Errorf("send digit: %w", err)
	}
	k := &keyPress{pkts: pkts, done: make(chan struct{})}
	st := &s.st
	st.mu.Lock()
	if st.closed {
		st.mu.Unlock()
		return fmt.Errorf("send digit: %w", ErrClosed)
	}
	for st.key != nil { // one key press at a time: wait for the previous one
		prev := st.key.done
		st.mu.Unlock()
		select {
		case <-prev:
		case <-ctx.Done():
			return fmt.Errorf("send digit: %w", ctx.Err())
		}
		st.mu.Lock()
	}
	if st.closed {
		st.mu.Unlock()
		return fmt.Errorf("send digit: %w", ErrClosed)
	}
	st.key = k
	st.mu.Unlock()
	select {
	case <-k.done:
		return nil
	case <-ctx.Done():
		st.mu.Lock()
		if st.key == k && k.idx < len(k.pkts) {
			// A key press cut short still needs its end (§2.5.1.4): finish
			// with the end packets only.
			k.pkts = endPackets(k.pkts, k.idx)
		}
		st.mu.Unlock()
		return fmt.Errorf("send digit: %w", ctx.Err())
	}
}

// endPackets keeps the packets before idx and the trailing end packets, so a
// cancelled key press ends promptly instead of dangling.
func endPackets(pkts []rfc4733.Packet, idx int) []rfc4733.Packet {
	out := pkts[:idx:idx]
	for _, p := range pkts[idx:] {
		if p.Event.End {
			p.Delay = 0 // due at once
			out = append(out, p)
		}
	}
	return out
}

func (s *Session) sendable() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return ErrClosed
	case !s.started:
		return ErrNotStarted
	}
	return nil
}

func samplesDuration(n int) time.Duration {
	return time.Duration(n) * time.Second / media.SampleRate
}
