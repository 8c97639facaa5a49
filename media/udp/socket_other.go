//go:build !linux

package udp

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"time"
)

// ErrWouldBlock is returned by Socket.ReadFrom when no datagram is waiting.
var ErrWouldBlock = errors.New("udp: no datagram waiting")

// Socket is a polled UDP socket: ReadFrom never waits. Elsewhere than Linux
// it is a net.UDPConn read with a deadline already passed.
type Socket struct {
	c     *net.UDPConn
	local netip.AddrPort
}

// Listen binds a UDP socket to addr.
func Listen(addr netip.AddrPort) (*Socket, error) {
	network := "udp4"
	if addr.Addr().Unmap().Is6() {
		network = "udp6"
	}
	c, err := net.ListenUDP(network, net.UDPAddrFromAddrPort(addr))
	if err != nil {
		return nil, err
	}
	return &Socket{c: c, local: c.LocalAddr().(*net.UDPAddr).AddrPort()}, nil
}

// LocalAddr returns the bound address.
func (s *Socket) LocalAddr() netip.AddrPort { return s.local }

// ReadFrom reads one waiting datagram, or returns ErrWouldBlock.
func (s *Socket) ReadFrom(b []byte) (int, netip.AddrPort, error) {
	_ = s.c.SetReadDeadline(time.Now())
	n, from, err := s.c.ReadFromUDPAddrPort(b)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return 0, netip.AddrPort{}, ErrWouldBlock
	}
	return n, from, err
}

// WriteTo sends one datagram.
func (s *Socket) WriteTo(b []byte, to netip.AddrPort) error {
	_, err := s.c.WriteToUDPAddrPort(b, to)
	return err
}

// WriteBatch sends b's datagrams one by one and returns how many left.
func (s *Socket) WriteBatch(b *Batch) (int, error) { return writeEach(b, s.WriteTo) }

// Close closes the socket.
func (s *Socket) Close() error { return s.c.Close() }
