package dialer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

// batchPair is a sendBatch on a loopback socket and a receiver to read
// what it sends. With run, the flusher runs until the test ends.
func batchPair(t *testing.T, window time.Duration, run bool) (*sendBatch, *net.UDPConn) {
	return batchOn(t, "127.0.0.1:0", "127.0.0.1:0", window, run)
}

// batchOn is batchPair with the sendBatch's socket bound on listen and the
// receiver on recv.
func batchOn(t *testing.T, listen, recv string, window time.Duration, run bool) (*sendBatch, *net.UDPConn) {
	t.Helper()
	c, err := net.ListenPacket("udp", listen)
	if err != nil {
		t.Fatal(err)
	}
	ra, err := net.ResolveUDPAddr("udp", recv)
	if err != nil {
		t.Fatal(err)
	}
	r, err := net.ListenUDP("udp", ra)
	if err != nil {
		t.Fatalf("listen %s: %v (is the loopback interface up for this family?)", recv, err)
	}
	_ = r.SetReadBuffer(4 << 20)
	s := newSendBatch(c, window, slog.New(slog.DiscardHandler))
	if run {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); s.run(ctx) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	t.Cleanup(func() { s.Close(); r.Close() })
	return s, r
}

// readN reads n datagrams, failing after a generous deadline.
func readN(t *testing.T, r *net.UDPConn, n int) []string {
	t.Helper()
	_ = r.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 2048)
	var got []string
	for len(got) < n {
		k, _, err := r.ReadFromUDP(buf)
		if err != nil {
			t.Fatalf("read datagram %d of %d: %v (got %q)", len(got)+1, n, err, got)
		}
		got = append(got, string(buf[:k]))
	}
	return got
}

// Datagrams from several writers all arrive, each writer's in its order.
func TestSendBatchKeepsOrder(t *testing.T) {
	s, r := batchPair(t, time.Millisecond, true)
	const writers, each = 4, 150
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				msg := fmt.Sprintf("w%d-%03d", w, i)
				if _, err := s.WriteTo([]byte(msg), r.LocalAddr()); err != nil {
					t.Errorf("write %s: %v", msg, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	got := readN(t, r, writers*each)
	next := make([]int, writers)
	for _, m := range got {
		var w, i int
		if _, err := fmt.Sscanf(m, "w%d-%d", &w, &i); err != nil {
			t.Fatalf("datagram %q: %v", m, err)
		}
		if i != next[w] {
			t.Fatalf("writer %d: datagram %d arrived when %d was due", w, i, next[w])
		}
		next[w]++
	}
}

// The writer's buffer is copied: reusing it at once changes nothing sent.
func TestSendBatchCopiesBuffer(t *testing.T) {
	s, r := batchPair(t, time.Millisecond, true)
	buf := []byte("INVITE one")
	_, _ = s.WriteTo(buf, r.LocalAddr())
	copy(buf, "XXXXXXXXXX")
	_, _ = s.WriteTo([]byte("INVITE two"), r.LocalAddr())
	got := readN(t, r, 2)
	if got[0] != "INVITE one" || got[1] != "INVITE two" {
		t.Fatalf("got %q", got)
	}
}

// A full batch leaves without waiting for its window.
func TestSendBatchFullBatchLeavesEarly(t *testing.T) {
	s, r := batchPair(t, time.Hour, true)
	for i := range maxSendBatch {
		_, _ = s.WriteTo(fmt.Appendf(nil, "m%d", i), r.LocalAddr())
	}
	if got := readN(t, r, maxSendBatch); got[maxSendBatch-1] != fmt.Sprintf("m%d", maxSendBatch-1) {
		t.Fatalf("last datagram %q", got[maxSendBatch-1])
	}
}

// Close sends what is queued; writes after it are refused.
func TestSendBatchCloseFlushes(t *testing.T) {
	s, r := batchPair(t, time.Hour, false) // no flusher: only Close can send
	_, _ = s.WriteTo([]byte("BYE"), r.LocalAddr())
	_, _ = s.WriteTo([]byte("ACK"), r.LocalAddr())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := readN(t, r, 2); strings.Join(got, ",") != "BYE,ACK" {
		t.Fatalf("got %q", got)
	}
	if _, err := s.WriteTo([]byte("late"), r.LocalAddr()); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("write after close: %v, want net.ErrClosed", err)
	}
}

// A datagram the kernel refuses costs only itself: the ones around it leave.
func TestSendBatchRefusedDatagramAlone(t *testing.T) {
	s, r := batchOn(t, "127.0.0.1:0", "127.0.0.1:0", time.Hour, false)
	v6 := &net.UDPAddr{IP: net.IPv6loopback, Port: 5060} // an IPv4 socket cannot send there
	_, _ = s.WriteTo([]byte("one"), r.LocalAddr())
	_, _ = s.WriteTo([]byte("lost"), v6)
	_, _ = s.WriteTo([]byte("two"), r.LocalAddr())
	s.Close()
	if got := readN(t, r, 2); strings.Join(got, ",") != "one,two" {
		t.Fatalf("got %q", got)
	}
}

// On a dual-stack socket (the dialer bound on 0.0.0.0 or ::) IPv4 and IPv6
// destinations are batched alike.
func TestSendBatchDualStack(t *testing.T) {
	for _, recv := range []string{"127.0.0.1:0", "[::1]:0"} {
		s, r := batchOn(t, "0.0.0.0:0", recv, time.Hour, false)
		for i := range 3 {
			_, _ = s.WriteTo(fmt.Appendf(nil, "d%d", i), r.LocalAddr())
		}
		s.flush()
		if got := readN(t, r, 3); strings.Join(got, ",") != "d0,d1,d2" {
			t.Fatalf("to %s: got %q", recv, got)
		}
	}
}

// SendWindow < 0 leaves the socket unwrapped; the default wraps it.
func TestSendWindowConfig(t *testing.T) {
	for _, tc := range []struct {
		window  time.Duration
		batched bool
	}{{0, true}, {2 * time.Millisecond, true}, {-1, false}} {
		d, err := New(Config{Trunks: []Trunk{{Name: "gw1", Addr: "127.0.0.1:5060", CallerID: "02150001234"}},
			ListenAddr: "127.0.0.1:0", SendWindow: tc.window})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		_, batched := d.conn.(*sendBatch)
		d.Stop()
		if batched != tc.batched {
			t.Errorf("SendWindow %v: batched %v, want %v", tc.window, batched, tc.batched)
		}
	}
}

// Reads hand sipgo a *net.UDPAddr of the source (IPv4 peers of a dual-stack
// socket print as IPv4); Close ends a waiting read with net.ErrClosed.
func TestSendBatchReadFrom(t *testing.T) {
	s, _ := batchOn(t, "0.0.0.0:0", "127.0.0.1:0", time.Hour, false)
	snd, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer snd.Close()
	port := s.LocalAddr().(*net.UDPAddr).Port
	_, _ = snd.WriteTo([]byte("SIP/2.0 200 OK"), &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
	buf := make([]byte, 100)
	_ = s.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, from, err := s.ReadFrom(buf)
	if err != nil {
		t.Fatal(err)
	}
	if string(buf[:n]) != "SIP/2.0 200 OK" || from.String() != snd.LocalAddr().String() {
		t.Fatalf("got %q from %v, want from %v", buf[:n], from, snd.LocalAddr())
	}
	_ = s.SetReadDeadline(time.Time{})
	read := make(chan error)
	go func() { _, _, err := s.ReadFrom(buf); read <- err }()
	s.Close()
	if err := <-read; !errors.Is(err, net.ErrClosed) {
		t.Fatalf("read on closed socket: %v, want net.ErrClosed", err)
	}
}

// ReadFrom hands take every datagram first and returns only those take
// did not keep, with their source.
func TestReadFromSkipsWhatTakeKeeps(t *testing.T) {
	s, r := batchPair(t, time.Millisecond, false)
	var taken []string
	s.take = func(data []byte, from netip.AddrPort) bool {
		if from.Port() != uint16(r.LocalAddr().(*net.UDPAddr).Port) {
			t.Errorf("take saw source %v, want the sender %v", from, r.LocalAddr())
		}
		if strings.HasPrefix(string(data), "SIP/2.0 ") {
			taken = append(taken, string(data))
			return true
		}
		return false
	}
	for _, m := range []string{"SIP/2.0 180 Ringing", "SIP/2.0 200 OK", "BYE sip:robot SIP/2.0"} {
		if _, err := r.WriteTo([]byte(m), s.LocalAddr()); err != nil {
			t.Fatal(err)
		}
	}
	_ = s.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 2048)
	n, from, err := s.ReadFrom(buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(buf[:n]); got != "BYE sip:robot SIP/2.0" || from.String() != r.LocalAddr().String() {
		t.Fatalf("ReadFrom returned %q from %v, want the BYE from %v", got, from, r.LocalAddr())
	}
	if len(taken) != 2 {
		t.Fatalf("take kept %q, want both responses", taken)
	}
}
