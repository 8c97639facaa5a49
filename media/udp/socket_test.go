package udp

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"testing"
	"time"
)

func listenSocket(t *testing.T, addr string) *Socket {
	t.Helper()
	s, err := Listen(netip.MustParseAddrPort(addr))
	if err != nil {
		t.Fatalf("listen %s: %v (is the loopback interface up for this family?)", addr, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// pollRead polls s until a datagram arrives (a polled socket never waits).
func pollRead(t *testing.T, s *Socket, buf []byte) (int, netip.AddrPort) {
	t.Helper()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.After(5 * time.Second)
	for {
		n, from, err := s.ReadFrom(buf)
		if err == nil {
			return n, from
		}
		if !errors.Is(err, ErrWouldBlock) {
			t.Fatalf("read: %v", err)
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatal("no datagram within 5s")
		}
	}
}

// A polled socket answers at once: ErrWouldBlock when empty, then each
// datagram with its source, in both families.
func TestSocketPoll(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0"} {
		r, s := listenSocket(t, addr), listenSocket(t, addr)
		buf := make([]byte, 1500)
		if _, _, err := r.ReadFrom(buf); !errors.Is(err, ErrWouldBlock) {
			t.Fatalf("%s: empty read = %v, want ErrWouldBlock", addr, err)
		}
		if err := s.WriteTo([]byte("RTP"), r.LocalAddr()); err != nil {
			t.Fatal(err)
		}
		n, from := pollRead(t, r, buf)
		if string(buf[:n]) != "RTP" || from != s.LocalAddr() {
			t.Errorf("%s: got %q from %v, want RTP from %v", addr, buf[:n], from, s.LocalAddr())
		}
		if err := s.WriteTo([]byte("x"), netip.MustParseAddrPort("[2001:db8::1]:5")); addr == "127.0.0.1:0" && err == nil {
			t.Errorf("an IPv6 destination on an IPv4 socket was accepted")
		}
	}
}

// WriteBatch sends every datagram of the batch in order.
func TestSocketBatch(t *testing.T) {
	r, s := listenSocket(t, "127.0.0.1:0"), listenSocket(t, "127.0.0.1:0")
	var b Batch
	for _, m := range []string{"a", "bb", "ccc"} {
		b.Add([]byte(m), r.LocalAddr())
	}
	if n, err := s.WriteBatch(&b); n != 3 || err != nil {
		t.Fatalf("batch = %d, %v", n, err)
	}
	buf := make([]byte, 16)
	for _, want := range []string{"a", "bb", "ccc"} {
		if n, _ := pollRead(t, r, buf); string(buf[:n]) != want {
			t.Fatalf("got %q, want %q", buf[:n], want)
		}
	}
}

// A bound port is refused with EADDRINUSE (the RTP port range scan skips it).
func TestSocketPortInUse(t *testing.T) {
	a := listenSocket(t, "127.0.0.1:0")
	if _, err := Listen(a.LocalAddr()); !errors.Is(err, syscall.EADDRINUSE) {
		t.Fatalf("second bind = %v, want EADDRINUSE", err)
	}
}

// Close waits for calls in progress and every later call says closed: a
// reused descriptor number is never touched (run with -race).
func TestSocketCloseWhileUsed(t *testing.T) {
	r := listenSocket(t, "127.0.0.1:0")
	s, err := Listen(netip.MustParseAddrPort("127.0.0.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 64)
			for {
				werr := s.WriteTo([]byte("x"), r.LocalAddr())
				_, _, rerr := s.ReadFrom(buf)
				if errors.Is(werr, net.ErrClosed) && errors.Is(rerr, net.ErrClosed) {
					return
				}
			}
		}()
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := s.Close(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("second Close = %v, want net.ErrClosed", err)
	}
}

// Reading and writing a polled socket allocate nothing.
func TestSocketNoAllocs(t *testing.T) {
	r, s := listenSocket(t, "127.0.0.1:0"), listenSocket(t, "127.0.0.1:0")
	buf, msg, to := make([]byte, 1500), make([]byte, 172), r.LocalAddr()
	if a := testing.AllocsPerRun(100, func() {
		_ = s.WriteTo(msg, to)
		_, _, _ = r.ReadFrom(buf)
	}); a != 0 {
		t.Errorf("%.1f allocations per datagram, want 0", a)
	}
}
