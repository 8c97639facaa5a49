//go:build !linux

package dialer

import "net"

// rawUDP is Linux-only; elsewhere sendBatch uses the socket's own methods.
type rawUDP struct{}

type rawBatch struct{}

func newRawUDP(net.PacketConn) *rawUDP { return nil }

func (*rawUDP) readFrom([]byte) (int, net.Addr, error) { panic("rawUDP: linux only") }

func (*rawUDP) sendBatch(*rawBatch, [][]byte, []net.Addr, bool) (int, error) {
	panic("rawUDP: linux only")
}
