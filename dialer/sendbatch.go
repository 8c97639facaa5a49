package dialer

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"outreach/media/udp"
)

// DefaultSendWindow is how long the SIP UDP socket holds a datagram so that
// others written meanwhile leave with it in one sendmmsg. On a virtual
// machine most of a loopback or LAN send's cost is waking the receiver;
// datagrams that leave together wake it once. SIP's own timers start at
// T1 = 500 ms (RFC 3261 §17.1.1.1), so a few milliseconds are invisible to the far
// side.
const DefaultSendWindow = 5 * time.Millisecond

// maxSendBatch flushes a window early once this many datagrams wait.
const maxSendBatch = 64

// sendBatch wraps the SIP UDP socket. LocalAddr and deadlines pass
// through; reads and sends use raw system calls (package udp). WriteTo
// copies the datagram and queues it, and the flusher sends what is queued
// one window after the first datagram arrived, in the order written. A
// datagram the batch call refuses is sent on its own, so a bad address
// costs only its own message. Where a datagram must have left before
// something else happens (the 200 to a BYE before the trunk line is freed),
// the writer calls flush.
type sendBatch struct {
	net.PacketConn
	raw    *udp.Conn // nil when conn is not a *net.UDPConn
	window time.Duration
	log    *slog.Logger
	// take, when set, sees each datagram before ReadFrom returns it and
	// keeps those it handled (or dropped), so they never reach sipgo's
	// read loop. Set before the first read.
	take func(data []byte, from netip.AddrPort) bool

	mu      sync.Mutex
	pending udp.Batch
	free    [][]byte
	closed  bool

	flushMu sync.Mutex    // one flush at a time keeps batches in order
	out     udp.Batch     // the batch being sent, owned under flushMu
	timer   *time.Timer   // armed by the first datagram of a window
	done    chan struct{} // closed by Close
}

// newSendBatch wraps conn; run must be started for queued datagrams to leave.
func newSendBatch(conn net.PacketConn, window time.Duration, log *slog.Logger) *sendBatch {
	s := &sendBatch{
		PacketConn: conn,
		window:     window,
		log:        log,
		timer:      time.NewTimer(time.Hour),
		done:       make(chan struct{}),
	}
	s.timer.Stop()
	if uc, ok := conn.(*net.UDPConn); ok {
		s.raw, _ = udp.New(uc)
	}
	return s
}

// WriteTo queues a copy of b for addr. Errors of the send itself are logged,
// as UDP gives no delivery report anyway.
func (s *sendBatch) WriteTo(b []byte, addr net.Addr) (int, error) {
	to, ok := udp.AddrPort(addr)
	if !ok || s.raw == nil {
		return s.PacketConn.WriteTo(b, addr)
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return 0, net.ErrClosed
	}
	var buf []byte
	if n := len(s.free); n > 0 && cap(s.free[n-1]) >= len(b) {
		buf, s.free = s.free[n-1][:len(b)], s.free[:n-1]
	} else {
		buf = make([]byte, len(b), max(len(b), 1500))
	}
	copy(buf, b)
	s.pending.Add(buf, to)
	n := len(s.pending.Bufs)
	s.mu.Unlock()
	switch {
	case n >= maxSendBatch:
		s.flush()
	case n == 1:
		// A timer fire not yet received is dropped by Reset (Go 1.23
		// timers); the queued datagrams then leave one window later.
		s.timer.Reset(s.window)
	}
	return len(b), nil
}

// run is the flusher; it returns when ctx ends or Close is called, after
// sending what is queued. The window's timer is armed by the write that
// starts a window, so the flusher wakes once per window, not twice (once to
// arm it, once when it fires).
func (s *sendBatch) run(ctx context.Context) {
	for {
		select {
		case <-s.timer.C:
			s.flush()
		case <-ctx.Done():
			s.flush()
			return
		case <-s.done:
			s.flush()
			return
		}
	}
}

// flush sends every queued datagram, in order.
func (s *sendBatch) flush() {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	s.mu.Lock()
	s.out, s.pending = s.pending, s.out
	s.pending.Reset()
	s.mu.Unlock()
	bufs, to := s.out.Bufs, s.out.To
	for len(s.out.Bufs) > 0 {
		n, err := s.raw.WriteBatch(&s.out)
		if n == 0 {
			// The first datagram was refused: send it alone, for its error.
			if werr := s.raw.WriteTo(s.out.Bufs[0], s.out.To[0]); werr != nil && !errors.Is(werr, net.ErrClosed) {
				s.log.Warn("sip send failed", "to", s.out.To[0].String(), "error", werr, "batch_error", err)
			}
			n = 1
		}
		s.out.Bufs, s.out.To = s.out.Bufs[n:], s.out.To[n:]
	}
	s.out.Bufs, s.out.To = bufs, to
	s.mu.Lock()
	for _, b := range s.out.Bufs {
		if len(s.free) < 2*maxSendBatch {
			s.free = append(s.free, b)
		}
	}
	s.mu.Unlock()
	s.out.Reset()
}

// takes says whether ReadFrom runs take (the dialer's read filter then
// need not).
func (s *sendBatch) takes() bool { return s.raw != nil && s.take != nil }

// ReadFrom reads the next datagram that take does not keep.
func (s *sendBatch) ReadFrom(b []byte) (int, net.Addr, error) {
	if s.raw == nil {
		return s.PacketConn.ReadFrom(b)
	}
	for {
		n, from, err := s.raw.ReadFrom(b)
		if err != nil {
			return 0, nil, err
		}
		if !s.takes() || !s.take(b[:n], from) {
			return n, net.UDPAddrFromAddrPort(from), nil
		}
	}
}

// Close sends what is queued and closes the socket.
func (s *sendBatch) Close() error {
	s.mu.Lock()
	already := s.closed
	s.closed = true
	s.mu.Unlock()
	if !already {
		s.timer.Stop()
		close(s.done)
	}
	s.flush()
	return s.PacketConn.Close()
}
