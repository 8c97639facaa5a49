package dialer

import (
	"encoding/binary"
	"errors"
	"net"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawUDP reads and writes the SIP socket with raw system calls. The socket is
// non-blocking, so recvfrom and sendmmsg return at once (EAGAIN when there is
// nothing to read or no room to write); Go's netpoller still does the
// waiting, through syscall.RawConn. A raw call does not hand the goroutine's
// P to another thread while it runs: with the usual wrappers, any call that
// takes longer than one sysmon tick (20 µs) while goroutines are runnable
// makes the runtime wake another thread, and on a virtual machine, where a
// loopback send costs tens of µs, that happened for most datagrams.
type rawUDP struct {
	rc syscall.RawConn
}

// newRawUDP returns nil when conn is not a socket (then the usual
// net.PacketConn methods are used).
func newRawUDP(conn net.PacketConn) *rawUDP {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	return &rawUDP{rc: rc}
}

// readFrom reads one datagram, waiting in the netpoller until one is there.
func (r *rawUDP) readFrom(b []byte) (int, net.Addr, error) {
	if len(b) == 0 {
		return 0, nil, errors.New("read sip: empty buffer")
	}
	var (
		n    int
		from net.Addr
		rerr error
		rsa  unix.RawSockaddrAny
	)
	err := r.rc.Read(func(fd uintptr) bool {
		for {
			l := uint32(unix.SizeofSockaddrAny)
			got, _, e := unix.RawSyscall6(unix.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)),
				0, uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&l)))
			switch e {
			case 0:
				n, from = int(got), sockaddrUDP(&rsa)
				return true
			case unix.EINTR:
				continue
			case unix.EAGAIN:
				return false
			default:
				rerr = e
				return true
			}
		}
	})
	if err != nil {
		return 0, nil, err
	}
	if rerr != nil {
		return 0, nil, &net.OpError{Op: "read", Net: "udp", Err: rerr}
	}
	return n, from, nil
}

// sockaddrUDP converts the kernel's source address.
func sockaddrUDP(rsa *unix.RawSockaddrAny) net.Addr {
	switch rsa.Addr.Family {
	case unix.AF_INET:
		sa := (*unix.RawSockaddrInet4)(unsafe.Pointer(rsa))
		ip := make(net.IP, 4)
		copy(ip, sa.Addr[:])
		return &net.UDPAddr{IP: ip, Port: int(binary.BigEndian.Uint16((*[2]byte)(unsafe.Pointer(&sa.Port))[:]))}
	case unix.AF_INET6:
		sa := (*unix.RawSockaddrInet6)(unsafe.Pointer(rsa))
		ip := make(net.IP, 16)
		copy(ip, sa.Addr[:])
		a := &net.UDPAddr{IP: ip, Port: int(binary.BigEndian.Uint16((*[2]byte)(unsafe.Pointer(&sa.Port))[:]))}
		if sa.Scope_id != 0 {
			if ifi, err := net.InterfaceByIndex(int(sa.Scope_id)); err == nil {
				a.Zone = ifi.Name
			}
		}
		return a
	}
	return &net.UDPAddr{}
}

// rawBatch is the sendmmsg argument for one flush, reused between flushes.
type rawBatch struct {
	hdrs  []unix.Mmsghdr
	iovs  []unix.Iovec
	addrs []unix.RawSockaddrInet6 // large enough for either family
}

// sendBatch sends datagrams bufs[i] to addrs[i] with one sendmmsg and
// returns how many left. A datagram whose address cannot be written in the
// socket's family ends the batch before it.
func (r *rawUDP) sendBatch(rb *rawBatch, bufs [][]byte, to []net.Addr, v6 bool) (int, error) {
	n := len(bufs)
	rb.hdrs, rb.iovs, rb.addrs = grow(rb.hdrs, n), grow(rb.iovs, n), grow(rb.addrs, n)
	k := 0
	for ; k < n; k++ {
		ua, ok := to[k].(*net.UDPAddr)
		if !ok || len(bufs[k]) == 0 {
			break
		}
		alen, ok := putSockaddr(&rb.addrs[k], ua, v6)
		if !ok {
			break
		}
		rb.iovs[k] = unix.Iovec{Base: &bufs[k][0]}
		rb.iovs[k].SetLen(len(bufs[k]))
		h := &rb.hdrs[k].Hdr
		*h = unix.Msghdr{Name: (*byte)(unsafe.Pointer(&rb.addrs[k])), Namelen: alen, Iov: &rb.iovs[k]}
		h.SetIovlen(1)
	}
	if k == 0 {
		return 0, errors.New("send sip: address not usable on this socket")
	}
	var sent int
	var serr error
	err := r.rc.Write(func(fd uintptr) bool {
		for {
			got, _, e := unix.RawSyscall6(unix.SYS_SENDMMSG, fd, uintptr(unsafe.Pointer(&rb.hdrs[0])), uintptr(k), 0, 0, 0)
			switch e {
			case 0:
				sent = int(got)
				return true
			case unix.EINTR:
				continue
			case unix.EAGAIN:
				return false
			default:
				serr = e
				return true
			}
		}
	})
	if err != nil {
		return 0, err
	}
	return sent, serr
}

// putSockaddr writes a into sa in the socket's family: an IPv4 address on
// an IPv6 socket is written IPv4-mapped (RFC 4291 §2.5.5.2).
func putSockaddr(sa *unix.RawSockaddrInet6, a *net.UDPAddr, v6 bool) (uint32, bool) {
	port := (*[2]byte)(unsafe.Pointer(&sa.Port))
	binary.BigEndian.PutUint16(port[:], uint16(a.Port))
	if ip4 := a.IP.To4(); ip4 != nil && !v6 {
		s4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
		s4.Family = unix.AF_INET
		copy(s4.Addr[:], ip4)
		s4.Zero = [8]uint8{}
		return unix.SizeofSockaddrInet4, true
	}
	ip16 := a.IP.To16()
	if ip16 == nil || !v6 {
		return 0, false
	}
	sa.Family, sa.Flowinfo, sa.Scope_id = unix.AF_INET6, 0, 0
	copy(sa.Addr[:], ip16)
	if a.Zone != "" {
		if ifi, err := net.InterfaceByName(a.Zone); err == nil {
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
