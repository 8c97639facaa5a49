package dialer

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	"golang.org/x/net/ipv4"
)

// DefaultSendWindow is how long the SIP UDP socket holds a datagram so that
// others written meanwhile leave with it in one sendmmsg. On a virtual
// machine most of a loopback or LAN send's cost is waking the receiver;
// datagrams that leave together wake it once. SIP's own timers start at
// T1 = 500 ms (RFC 3261 §17.1.1.1), so a millisecond is invisible to the far
// side.
const DefaultSendWindow = 5 * time.Millisecond

// maxSendBatch flushes a window early once this many datagrams wait.
const maxSendBatch = 64

// sendBatch wraps the SIP UDP socket. Reads, LocalAddr and deadlines pass
// through; WriteTo copies the datagram and queues it, and the flusher sends
// what is queued one window after the first datagram arrived, in the order
// written. A datagram the batch call refuses is sent on its own, so a bad
// address costs only its own message.
type sendBatch struct {
	net.PacketConn
	pc     *ipv4.PacketConn // sendmmsg; the socket may be IPv6: see flush
	window time.Duration
	log    *slog.Logger

	mu      sync.Mutex
	pending []ipv4.Message
	free    [][]byte
	closed  bool

	flushMu sync.Mutex     // one flush at a time keeps batches in order
	out     []ipv4.Message // the batch being sent, owned under flushMu
	kick    chan struct{}  // the first datagram of a window has arrived
	done    chan struct{}  // closed by Close
}

// newSendBatch wraps conn; run must be started for queued datagrams to leave.
func newSendBatch(conn net.PacketConn, window time.Duration, log *slog.Logger) *sendBatch {
	return &sendBatch{
		PacketConn: conn,
		pc:         ipv4.NewPacketConn(conn),
		window:     window,
		log:        log,
		kick:       make(chan struct{}, 1),
		done:       make(chan struct{}),
	}
}

// WriteTo queues a copy of b for addr. Errors of the send itself are logged,
// as UDP gives no delivery report anyway.
func (s *sendBatch) WriteTo(b []byte, addr net.Addr) (int, error) {
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
	s.pending = append(s.pending, ipv4.Message{Buffers: [][]byte{buf}, Addr: addr})
	n := len(s.pending)
	s.mu.Unlock()
	switch {
	case n >= maxSendBatch:
		s.flush()
	case n == 1:
		select {
		case s.kick <- struct{}{}:
		default:
		}
	}
	return len(b), nil
}

// run is the flusher; it returns when ctx ends or Close is called, after
// sending what is queued.
func (s *sendBatch) run(ctx context.Context) {
	t := time.NewTimer(time.Hour)
	t.Stop()
	for {
		select {
		case <-s.kick:
		case <-ctx.Done():
			s.flush()
			return
		case <-s.done:
			s.flush()
			return
		}
		t.Reset(s.window)
		select {
		case <-t.C:
		case <-ctx.Done():
		case <-s.done:
		}
		s.flush()
	}
}

// flush sends every queued datagram, in order.
func (s *sendBatch) flush() {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	s.mu.Lock()
	s.out, s.pending = s.pending, s.out[:0]
	s.mu.Unlock()
	msgs := s.out
	for len(msgs) > 0 {
		n, err := s.pc.WriteBatch(msgs, 0)
		if n > 0 {
			msgs = msgs[n:]
			continue
		}
		// The first datagram was refused, or this socket takes no batch
		// (an IPv6 socket given an IPv4 address, say): send it alone.
		if _, werr := s.PacketConn.WriteTo(msgs[0].Buffers[0], msgs[0].Addr); werr != nil {
			if !errors.Is(werr, net.ErrClosed) {
				s.log.Warn("sip send failed", "to", msgs[0].Addr.String(), "error", werr, "batch_error", err)
			}
		}
		msgs = msgs[1:]
	}
	s.mu.Lock()
	for i := range s.out {
		if len(s.free) < 2*maxSendBatch {
			s.free = append(s.free, s.out[i].Buffers[0])
		}
		s.out[i] = ipv4.Message{}
	}
	s.mu.Unlock()
}

// Close sends what is queued and closes the socket.
func (s *sendBatch) Close() error {
	s.mu.Lock()
	already := s.closed
	s.closed = true
	s.mu.Unlock()
	if !already {
		close(s.done)
	}
	s.flush()
	return s.PacketConn.Close()
}
