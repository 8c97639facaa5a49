package udp

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"

	"golang.org/x/sys/unix"
)

// ErrWouldBlock is returned by Socket.ReadFrom when no datagram is waiting.
var ErrWouldBlock = errors.New("udp: no datagram waiting")

// Socket is a non-blocking UDP socket outside Go's netpoller: its owner polls
// it (ReadFrom returns ErrWouldBlock when nothing waits), so the arrival of a
// datagram wakes no thread. A media server that reads every socket on its
// own timeline (the RTP pacer's ticks) pays no wake-up per packet.
//
// Any number of goroutines may call its methods; Close waits for calls in
// progress, so a closed descriptor number, which the kernel reuses, is never
// read or written.
type Socket struct {
	mu    sync.RWMutex // read-held by every call, write-held by Close
	fd    int          // -1 once closed
	v6    bool
	local netip.AddrPort
	rmu   sync.Mutex
	rd    readOp // the recvfrom of ReadFrom, under rmu
	wmu   sync.Mutex
	wr    writeOp // the sendto or sendmmsg of a write, under wmu
}

// Listen binds a non-blocking UDP socket to addr (port 0: ephemeral). An IPv6
// address gives an IPv6-only socket, an IPv4 one an IPv4 socket.
func Listen(addr netip.AddrPort) (*Socket, error) {
	a := addr.Addr().Unmap()
	fam := unix.AF_INET
	if a.Is6() {
		fam = unix.AF_INET6
	}
	fd, err := unix.Socket(fam, unix.SOCK_DGRAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_UDP)
	if err != nil {
		return nil, fmt.Errorf("udp socket: %w", err)
	}
	var sa unix.Sockaddr
	if fam == unix.AF_INET6 {
		// As net.ListenUDP("udp6", ...): IPv6 only (RFC 3493 §5.3).
		if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 1); err != nil {
			unix.Close(fd)
			return nil, fmt.Errorf("udp socket: %w", err)
		}
		s6 := &unix.SockaddrInet6{Port: int(addr.Port()), Addr: a.As16()}
		if z := a.Zone(); z != "" {
			if ifi, err := net.InterfaceByName(z); err == nil {
				s6.ZoneId = uint32(ifi.Index)
			}
		}
		sa = s6
	} else {
		sa = &unix.SockaddrInet4{Port: int(addr.Port()), Addr: a.As4()}
	}
	if err := unix.Bind(fd, sa); err != nil {
		unix.Close(fd)
		return nil, &net.OpError{Op: "listen", Net: "udp", Addr: net.UDPAddrFromAddrPort(addr), Err: err}
	}
	bound, err := unix.Getsockname(fd)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("udp socket: %w", err)
	}
	s := &Socket{fd: fd, v6: fam == unix.AF_INET6}
	switch b := bound.(type) {
	case *unix.SockaddrInet4:
		s.local = netip.AddrPortFrom(netip.AddrFrom4(b.Addr), uint16(b.Port))
	case *unix.SockaddrInet6:
		s.local = netip.AddrPortFrom(netip.AddrFrom16(b.Addr).WithZone(a.Zone()), uint16(b.Port))
	}
	return s, nil
}

// LocalAddr returns the bound address.
func (s *Socket) LocalAddr() netip.AddrPort { return s.local }

// ReadFrom reads one waiting datagram into b (cut to len(b)); it returns
// ErrWouldBlock at once when none waits, net.ErrClosed after Close.
func (s *Socket) ReadFrom(b []byte) (int, netip.AddrPort, error) {
	if len(b) == 0 {
		return 0, netip.AddrPort{}, errors.New("udp read: empty buffer")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.fd < 0 {
		return 0, netip.AddrPort{}, net.ErrClosed
	}
	s.rmu.Lock()
	defer s.rmu.Unlock()
	r := &s.rd
	r.buf = b
	ready := r.call(uintptr(s.fd))
	r.buf = nil
	switch {
	case !ready:
		return 0, netip.AddrPort{}, ErrWouldBlock
	case r.err != nil:
		return 0, netip.AddrPort{}, &net.OpError{Op: "read", Net: "udp", Source: net.UDPAddrFromAddrPort(s.local), Err: r.err}
	}
	return r.n, r.from, nil
}

// WriteTo sends one datagram; a full socket buffer is an error (EAGAIN), as
// for a real-time sender a late packet is worth no more than a lost one.
func (s *Socket) WriteTo(b []byte, to netip.AddrPort) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.fd < 0 {
		return net.ErrClosed
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	w := &s.wr
	if err := w.sendto(b, to, s.v6); err != nil {
		return err
	}
	if err := s.write(w); err != nil {
		return &net.OpError{Op: "write", Net: "udp", Addr: net.UDPAddrFromAddrPort(to), Err: err}
	}
	return nil
}

// WriteBatch sends b's datagrams with one sendmmsg and returns how many
// left, stopping before one whose address the socket cannot take or whose
// buffer is empty (see Conn.WriteBatch).
func (s *Socket) WriteBatch(b *Batch) (int, error) {
	k := b.sys.fill(b, s.v6)
	if k == 0 {
		return 0, nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.fd < 0 {
		return 0, net.ErrClosed
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	w := &s.wr
	w.batch, w.k = &b.sys, k
	if err := s.write(w); err != nil {
		return 0, &net.OpError{Op: "write", Net: "udp", Err: err}
	}
	return w.sent, nil
}

// write runs w once, under wmu: no waiting for room, a full buffer is EAGAIN.
func (s *Socket) write(w *writeOp) error {
	done := w.call(uintptr(s.fd))
	w.buf, w.batch = nil, nil
	if !done {
		return unix.EAGAIN
	}
	return w.err
}

// Close closes the socket once the calls in progress have returned.
func (s *Socket) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fd < 0 {
		return net.ErrClosed
	}
	err := unix.Close(s.fd)
	s.fd = -1
	return err
}
