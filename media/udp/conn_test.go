package udp

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"
)

func listen(t *testing.T, addr string) *Conn {
	t.Helper()
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v (is the loopback interface up for this family?)", addr, err)
	}
	c, err := New(pc.(*net.UDPConn))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return c
}

func local(c *Conn) netip.AddrPort { return c.UDPConn().LocalAddr().(*net.UDPAddr).AddrPort() }

func read(t *testing.T, c *Conn) (string, netip.AddrPort) {
	t.Helper()
	_ = c.UDPConn().SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 1500)
	n, from, err := c.ReadFrom(buf)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return string(buf[:n]), from
}

// Every pairing of socket families: the datagram and its source arrive
// intact (an IPv4 peer of an IPv6 socket comes IPv4-mapped, as with
// net.UDPConn).
func TestFamilies(t *testing.T) {
	for _, tc := range []struct{ recv, send, dst, from string }{
		{"127.0.0.1:0", "127.0.0.1:0", "127.0.0.1", "127.0.0.1"},
		{"[::]:0", "127.0.0.1:0", "127.0.0.1", "::ffff:127.0.0.1"},
		{"127.0.0.1:0", "[::]:0", "127.0.0.1", "127.0.0.1"},
		{"[::]:0", "[::]:0", "::1", "::1"},
	} {
		r, s := listen(t, tc.recv), listen(t, tc.send)
		to := netip.AddrPortFrom(netip.MustParseAddr(tc.dst), local(r).Port())
		if err := s.WriteTo([]byte("RTP"), to); err != nil {
			t.Fatalf("%s → %s: %v", tc.send, tc.recv, err)
		}
		got, from := read(t, r)
		if got != "RTP" || from.Addr() != netip.MustParseAddr(tc.from) || from.Port() != local(s).Port() {
			t.Errorf("%s → %s: got %q from %v, want from %s:%d", tc.send, tc.recv, got, from, tc.from, local(s).Port())
		}
	}
}

// A batch leaves in order; an address the socket cannot take stops the
// batch before it, and WriteTo then names the error.
func TestWriteBatch(t *testing.T) {
	r, s := listen(t, "127.0.0.1:0"), listen(t, "127.0.0.1:0")
	var b Batch
	for _, m := range []string{"a", "b", "c"} {
		b.Add([]byte(m), local(r))
	}
	v6 := netip.MustParseAddrPort("[::1]:5060")
	b.Add([]byte("lost"), v6)
	b.Add([]byte("d"), local(r))
	n, err := s.WriteBatch(&b)
	if n != 3 || err != nil {
		t.Fatalf("WriteBatch = %d, %v; want 3 sent before the IPv6 peer", n, err)
	}
	if err := s.WriteTo([]byte("lost"), v6); err == nil {
		t.Fatal("IPv6 peer on an IPv4 socket: no error")
	}
	b.Bufs, b.To = b.Bufs[4:], b.To[4:]
	if n, err := s.WriteBatch(&b); n != 1 || err != nil {
		t.Fatalf("rest: %d, %v", n, err)
	}
	for _, want := range []string{"a", "b", "c", "d"} {
		if got, _ := read(t, r); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	b.Reset()
	if n, err := s.WriteBatch(&b); n != 0 || err != nil {
		t.Fatalf("empty batch: %d, %v", n, err)
	}
}

// Deadlines and Close end a waiting read the way net.UDPConn's do.
func TestReadDeadlineAndClose(t *testing.T) {
	c := listen(t, "127.0.0.1:0")
	buf := make([]byte, 10)
	_ = c.UDPConn().SetReadDeadline(time.Now().Add(time.Millisecond))
	if _, _, err := c.ReadFrom(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("past deadline: %v", err)
	}
	_ = c.UDPConn().SetReadDeadline(time.Time{})
	done := make(chan error)
	go func() { _, _, err := c.ReadFrom(buf); done <- err }()
	c.UDPConn().Close()
	if err := <-done; !errors.Is(err, net.ErrClosed) {
		t.Fatalf("closed: %v, want net.ErrClosed", err)
	}
	if _, _, err := c.ReadFrom(nil); err == nil {
		t.Fatal("empty buffer: no error")
	}
}

// A datagram longer than the buffer is cut to it, as recvfrom(2) does.
func TestTruncated(t *testing.T) {
	r, s := listen(t, "127.0.0.1:0"), listen(t, "127.0.0.1:0")
	if err := s.WriteTo([]byte("0123456789"), local(r)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	_ = r.UDPConn().SetReadDeadline(time.Now().Add(10 * time.Second))
	n, _, err := r.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "0123" {
		t.Fatalf("got %q, %v", buf[:n], err)
	}
}

// Reading and writing allocate nothing.
func TestNoAllocations(t *testing.T) {
	r, s := listen(t, "127.0.0.1:0"), listen(t, "127.0.0.1:0")
	_ = r.UDPConn().SetReadBuffer(1 << 20)
	msg, buf, to := []byte("frame"), make([]byte, 64), local(r)
	var b Batch
	b.Add(msg, to)
	b.Add(msg, to)
	allocs := testing.AllocsPerRun(100, func() {
		_ = s.WriteTo(msg, to)
		_, _ = s.WriteBatch(&b)
		for range 3 {
			_, _, _ = r.ReadFrom(buf)
		}
	})
	if allocs != 0 {
		t.Fatalf("%.1f allocations per send and receive", allocs)
	}
}
