package udp

import (
	"net"
	"net/netip"
	"sync"
	"syscall"
)

// Conn is a UDP socket read and written with raw system calls. One
// goroutine at a time may read; any number may write.
type Conn struct {
	c  *net.UDPConn
	rc syscall.RawConn
	v6 bool // an IPv6 or dual-stack socket: IPv4 peers are written IPv4-mapped

	rd  readOp // the reader's call, reused so reading allocates nothing
	wmu sync.Mutex
	wr  writeOp // the current write, under wmu
}

// New wraps c, which stays owned by the caller (Close it there).
func New(c *net.UDPConn) (*Conn, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return nil, err
	}
	la, _ := c.LocalAddr().(*net.UDPAddr)
	uc := &Conn{c: c, rc: rc, v6: la != nil && la.IP.To4() == nil}
	uc.rd.fn, uc.wr.fn = uc.rd.call, uc.wr.call
	return uc, nil
}

// UDPConn returns the wrapped socket.
func (c *Conn) UDPConn() *net.UDPConn { return c.c }

// Batch is datagrams to send in one call: Bufs[i] goes to To[i]. Reuse a
// Batch between calls to keep sending free of allocations; it is not safe
// for concurrent use.
type Batch struct {
	Bufs [][]byte
	To   []netip.AddrPort
	sys  batchSys
}

// Reset empties b, keeping its storage.
func (b *Batch) Reset() {
	clear(b.Bufs)
	b.Bufs, b.To = b.Bufs[:0], b.To[:0]
}

// Add appends one datagram.
func (b *Batch) Add(buf []byte, to netip.AddrPort) {
	b.Bufs = append(b.Bufs, buf)
	b.To = append(b.To, to)
}

// AddrPort converts a net.Addr of a UDP peer; ok is false for anything else.
func AddrPort(a net.Addr) (netip.AddrPort, bool) {
	switch a := a.(type) {
	case *net.UDPAddr:
		return a.AddrPort(), a.IP != nil
	case interface{ AddrPort() netip.AddrPort }:
		return a.AddrPort(), true
	}
	return netip.AddrPort{}, false
}
