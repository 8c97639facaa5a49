package udp

import (
	"errors"
	"net"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// batchSys is the sendmmsg argument of a Batch, reused between calls.
type batchSys struct {
	hdrs  []unix.Mmsghdr
	iovs  []unix.Iovec
	addrs []unix.RawSockaddrInet6 // large enough for either family
}

// readOp is one recvfrom; fn is its call method, bound once.
type readOp struct {
	buf  []byte
	n    int
	from netip.AddrPort
	err  error
	rsa  unix.RawSockaddrAny
	fn   func(fd uintptr) bool
}

// call returns false when there is nothing to read yet (the netpoller
// waits and calls again).
func (r *readOp) call(fd uintptr) bool {
	got, e := uninterrupted(func() (uintptr, unix.Errno) {
		l := uint32(unix.SizeofSockaddrAny)
		got, _, e := unix.RawSyscall6(unix.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&r.buf[0])), uintptr(len(r.buf)),
			0, uintptr(unsafe.Pointer(&r.rsa)), uintptr(unsafe.Pointer(&l)))
		return got, e
	})
	if e == unix.EAGAIN {
		return false
	}
	r.n, r.err = int(got), nil
	if e != 0 {
		r.err = e
		return true
	}
	r.from = fromSockaddr(&r.rsa)
	return true
}

// uninterrupted runs a raw system call again while a signal interrupts it.
func uninterrupted(call func() (uintptr, unix.Errno)) (uintptr, unix.Errno) {
	for {
		if got, e := call(); e != unix.EINTR {
			return got, e
		}
	}
}

// ReadFrom reads one datagram, waiting in the netpoller until one arrives,
// the read deadline passes or the socket is closed. A datagram longer than
// b is cut to it.
func (c *Conn) ReadFrom(b []byte) (int, netip.AddrPort, error) {
	if len(b) == 0 {
		return 0, netip.AddrPort{}, errors.New("udp read: empty buffer")
	}
	r := &c.rd
	r.buf, r.err = b, nil
	err := c.rc.Read(r.fn)
	r.buf = nil
	if err != nil {
		return 0, netip.AddrPort{}, err
	}
	if r.err != nil {
		return 0, netip.AddrPort{}, &net.OpError{Op: "read", Net: "udp", Source: c.c.LocalAddr(), Err: r.err}
	}
	return r.n, r.from, nil
}

// writeOp is one sendto (batch nil) or sendmmsg of k headers.
type writeOp struct {
	buf   []byte
	sa    unix.RawSockaddrInet6
	alen  uint32
	batch *batchSys
	k     int
	sent  int
	err   error
	fn    func(fd uintptr) bool
}

// call returns false when the socket buffer is full (the netpoller waits
// for room and calls again).
func (w *writeOp) call(fd uintptr) bool {
	got, e := uninterrupted(func() (uintptr, unix.Errno) {
		if w.batch != nil {
			got, _, e := unix.RawSyscall6(unix.SYS_SENDMMSG, fd, uintptr(unsafe.Pointer(&w.batch.hdrs[0])), uintptr(w.k), 0, 0, 0)
			return got, e
		}
		var p unsafe.Pointer
		if len(w.buf) > 0 {
			p = unsafe.Pointer(&w.buf[0])
		}
		got, _, e := unix.RawSyscall6(unix.SYS_SENDTO, fd, uintptr(p), uintptr(len(w.buf)), 0,
			uintptr(unsafe.Pointer(&w.sa)), uintptr(w.alen))
		return got, e
	})
	if e == unix.EAGAIN {
		return false
	}
	w.sent, w.err = int(got), nil
	if e != 0 {
		w.err = e
	}
	return true
}

// sendto makes w the sendto of b to to, for a socket of the v6 family or
// not; an address the socket cannot take is an error (EAFNOSUPPORT).
func (w *writeOp) sendto(b []byte, to netip.AddrPort, v6 bool) error {
	alen, ok := putSockaddr(&w.sa, to, v6)
	if !ok {
		return &net.OpError{Op: "write", Net: "udp", Addr: net.UDPAddrFromAddrPort(to), Err: unix.EAFNOSUPPORT}
	}
	w.buf, w.alen, w.batch = b, alen, nil
	return nil
}

// WriteTo sends one datagram.
func (c *Conn) WriteTo(b []byte, to netip.AddrPort) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	w := &c.wr
	if err := w.sendto(b, to, c.v6); err != nil {
		return err
	}
	err := c.rc.Write(w.fn)
	w.buf = nil
	if err != nil {
		return err
	}
	if w.err != nil {
		return &net.OpError{Op: "write", Net: "udp", Addr: net.UDPAddrFromAddrPort(to), Err: w.err}
	}
	return nil
}

// WriteBatch sends b's datagrams with one sendmmsg and returns how many
// left. It stops before a datagram whose address the socket cannot take or
// whose buffer is empty; the caller sends that one alone (WriteTo) to learn
// its error, then goes on.
func (c *Conn) WriteBatch(b *Batch) (int, error) {
	k := b.sys.fill(b, c.v6)
	if k == 0 {
		return 0, nil
	}
	s := &b.sys
	c.wmu.Lock()
	defer c.wmu.Unlock()
	w := &c.wr
	w.batch, w.k = s, k
	err := c.rc.Write(w.fn)
	w.batch = nil
	if err != nil {
		return 0, err
	}
	if w.err != nil {
		return 0, &net.OpError{Op: "write", Net: "udp", Err: w.err}
	}
	return w.sent, nil
}

// fill writes the sendmmsg headers of b's datagrams and returns how many
// can go in one call: it stops before one whose address a socket of this
// family cannot take or whose buffer is empty.
func (s *batchSys) fill(b *Batch, v6 bool) int {
	n := len(b.Bufs)
	s.hdrs, s.iovs, s.addrs = grow(s.hdrs, n), grow(s.iovs, n), grow(s.addrs, n)
	k := 0
	for ; k < n; k++ {
		alen, ok := putSockaddr(&s.addrs[k], b.To[k], v6)
		if !ok || len(b.Bufs[k]) == 0 {
			break
		}
		s.iovs[k] = unix.Iovec{Base: &b.Bufs[k][0]}
		s.iovs[k].SetLen(len(b.Bufs[k]))
		h := &s.hdrs[k].Hdr
		*h = unix.Msghdr{Name: (*byte)(unsafe.Pointer(&s.addrs[k])), Namelen: alen, Iov: &s.iovs[k]}
		h.SetIovlen(1)
	}
	return k
}

// fromSockaddr converts the kernel's source address.
func fromSockaddr(rsa *unix.RawSockaddrAny) netip.AddrPort {
	switch rsa.Addr.Family {
	case unix.AF_INET:
		sa := (*unix.RawSockaddrInet4)(unsafe.Pointer(rsa))
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), port(&sa.Port))
	case unix.AF_INET6:
		sa := (*unix.RawSockaddrInet6)(unsafe.Pointer(rsa))
		a := netip.AddrFrom16(sa.Addr)
		if sa.Scope_id != 0 {
			if ifi, err := net.InterfaceByIndex(int(sa.Scope_id)); err == nil {
				a = a.WithZone(ifi.Name)
			}
		}
		return netip.AddrPortFrom(a, port(&sa.Port))
	}
	return netip.AddrPort{}
}

// port reads a sockaddr port, which is in network byte order.
func port(p *uint16) uint16 {
	b := (*[2]byte)(unsafe.Pointer(p))
	return uint16(b[0])<<8 | uint16(b[1])
}

func putPort(p *uint16, v uint16) {
	b := (*[2]byte)(unsafe.Pointer(p))
	b[0], b[1] = byte(v>>8), byte(v)
}

// putSockaddr writes to into sa in the socket's family: an IPv4 peer on an
// IPv6 socket is written IPv4-mapped (RFC 4291 §2.5.5.2).
func putSockaddr(sa *unix.RawSockaddrInet6, to netip.AddrPort, v6 bool) (uint32, bool) {
	a := to.Addr()
	if !a.IsValid() {
		return 0, false
	}
	if !v6 {
		if !a.Unmap().Is4() {
			return 0, false
		}
		s4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
		*s4 = unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: a.Unmap().As4()}
		putPort(&s4.Port, to.Port())
		return unix.SizeofSockaddrInet4, true
	}
	*sa = unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: a.As16()}
	putPort(&sa.Port, to.Port())
	if z := a.Zone(); z != "" {
		if ifi, err := net.InterfaceByName(z); err == nil {
			sa.Scope_id = uint32(ifi.Index)
		}
	}
	return unix.SizeofSockaddrInet6, true
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
