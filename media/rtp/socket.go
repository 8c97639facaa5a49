package rtp

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"syscall"

	"outreach/media/udp"
)

// listenUDP binds a UDP socket on addr. With min = max = 0 the port is
// ephemeral; otherwise an even port of [min, max] is used (RFC 3550 §11: RTP
// on even ports, RTCP on the next odd one). The scan starts at a random even
// port so concurrent sessions do not all probe the same busy ports, and skips
// ports that are in use.
func listenUDP(addr netip.Addr, min, max int) (*udp.Socket, error) {
	if !addr.IsValid() {
		addr = netip.IPv4Unspecified()
	}
	addr = addr.Unmap()
	// The socket's family is the address's: IPv4, or IPv6 only.
	if min == 0 && max == 0 {
		c, err := udp.Listen(netip.AddrPortFrom(addr, 0))
		if err != nil {
			return nil, fmt.Errorf("listen rtp on %s: %w", addr, err)
		}
		return c, nil
	}
	first := min + min%2
	if first == 0 {
		first = 2
	}
	n := (max-first)/2 + 1
	if max < first || n <= 0 {
		return nil, fmt.Errorf("listen rtp: no even port in %d-%d", min, max)
	}
	start := rand.IntN(n)
	var last error
	for i := range n {
		port := first + 2*((start+i)%n)
		c, err := udp.Listen(netip.AddrPortFrom(addr, uint16(port)))
		if err == nil {
			return c, nil
		}
		last = err
		if !errors.Is(err, syscall.EADDRINUSE) && !errors.Is(err, syscall.EACCES) {
			return nil, fmt.Errorf("listen rtp on %s:%d: %w", addr, port, err)
		}
	}
	return nil, fmt.Errorf("listen rtp: all %d even ports of %d-%d busy: %w", n, min, max, last)
}
