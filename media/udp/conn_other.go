//go:build !linux

package udp

import "net/netip"

type batchSys struct{}

type readOp struct{ fn func(uintptr) bool }

func (*readOp) call(uintptr) bool { return true }

type writeOp struct{ fn func(uintptr) bool }

func (*writeOp) call(uintptr) bool { return true }

// ReadFrom reads one datagram.
func (c *Conn) ReadFrom(b []byte) (int, netip.AddrPort, error) { return c.c.ReadFromUDPAddrPort(b) }

// WriteTo sends one datagram.
func (c *Conn) WriteTo(b []byte, to netip.AddrPort) error {
	_, err := c.c.WriteToUDPAddrPort(b, to)
	return err
}

// WriteBatch sends b's datagrams one by one and returns how many left.
func (c *Conn) WriteBatch(b *Batch) (int, error) { return writeEach(b, c.WriteTo) }

// writeEach sends b's datagrams one by one with write, stopping at the
// first error, and returns how many left.
func writeEach(b *Batch, write func([]byte, netip.AddrPort) error) (int, error) {
	for i := range b.Bufs {
		if err := write(b.Bufs[i], b.To[i]); err != nil {
			return i, err
		}
	}
	return len(b.Bufs), nil
}
