package dialer

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"
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

// sendBatch wraps the SIP UDP socket. LocalAddr and deadlines pass
// through; reads and the batch sends use raw system calls (rawUDP) where the
// platform has them. WriteTo copies the datagram and queues it, and the
// flusher sends what is queued one window after the first datagram arrived,
// in the order written. A datagram the batch call refuses is sent on its
// own, so a bad address costs only its own message.
type sendBatch struct {
	net.PacketConn
	raw    *rawUDP // nil: plain ReadFrom and WriteTo
	v6     bool    // an IPv6 (or dual-stack) socket
	window time.Duration
	log    *slog.Logger

	mu      sync.Mutex
	pending queued
	free    [][]byte
	closed  bool

	flushMu sync.Mutex    // one flush at a time keeps batches in order
	out     queued        // the batch being sent, owned under flushMu
	rb      rawBatch      // sendmmsg arguments, owned under flushMu
	kick    chan struct{} // the first datagram of a window has arrived
	done    chan struct{} // closed by Close
}

// queued is datagrams waiting to leave: bufs[i] goes to to[i].
type queued struct {
	bufs [][]byte
	to   []net.Addr
}

func (q *queued) reset() {
	clear(q.to)
	q.bufs, q.to = q.bufs[:0], q.to[:0]
}

// newSendBatch wraps conn; run must be started for queued datagrams to leave.
func newSendBatch(conn net.PacketConn, window time.Duration, log *slog.Logger) *sendBatch {
	la, _ := conn.LocalAddr().(*net.UDPAddr)
	return &sendBatch{
		PacketConn: conn,
		raw:        newRawUDP(conn),
		v6:         la != nil && la.IP.To4() == nil,
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
	s.pending.bufs = append(s.pending.bufs, buf)
	s.pending.to = append(s.pending.to, addr)
	n := len(s.pending.bufs)
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
	s.out, s.pending = s.pending, s.out
	s.pending.reset()
	s.mu.Unlock()
	bufs, to := s.out.bufs, s.out.to
	for len(bufs) > 0 {
		var n int
		var err error
		if s.raw != nil {
			n, err = s.raw.sendBatch(&s.rb, bufs, to, s.v6)
		}
		if n > 0 {
			bufs, to = bufs[n:], to[n:]
			continue
		}
		// The first datagram was refused, or there is no batch call: send
		// it alone.
		if _, werr := s.PacketConn.WriteTo(bufs[0], to[0]); werr != nil && !errors.Is(werr, net.ErrClosed) {
			s.log.Warn("sip send failed", "to", to[0].String(), "error", werr, "batch_error", err)
		}
		bufs, to = bufs[1:], to[1:]
	}
	s.mu.Lock()
	for _, b := range s.out.bufs {
		if len(s.free) < 2*maxSendBatch {
			s.free = append(s.free, b)
		}
	}
	s.mu.Unlock()
	s.out.reset()
}

// ReadFrom reads one datagram (see rawUDP).
func (s *sendBatch) ReadFrom(b []byte) (int, net.Addr, error) {
	if s.raw == nil {
		return s.PacketConn.ReadFrom(b)
	}
	return s.raw.readFrom(b)
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
