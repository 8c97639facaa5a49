package rtp

import (
	"net"
	"net/netip"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// sinkSocket counts and discards datagrams until the benchmark ends.
func sinkSocket(b *testing.B) (netip.AddrPort, *atomic.Uint64) {
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, 0)))
	if err != nil {
		b.Fatal(err)
	}
	_ = c.SetReadBuffer(8 << 20)
	var n atomic.Uint64
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 1500)
		for {
			if _, _, err := c.ReadFromUDPAddrPort(buf); err != nil {
				return
			}
			n.Add(1)
		}
	}()
	b.Cleanup(func() { _ = c.Close(); <-done })
	return c.LocalAddr().(*net.UDPAddr).AddrPort(), &n
}

// BenchmarkPacer1000Streams runs 1,000 sending sessions on a PacerGroup (one
// pacer per CPU); each iteration is one 20 ms period. It reports the
// per-packet send lateness and tick wake-up lateness percentiles.
func BenchmarkPacer1000Streams(b *testing.B) {
	const streams, sinks = 1000, 8
	var sinkAddrs [sinks]netip.AddrPort
	var sinkGot [sinks]*atomic.Uint64
	for i := range sinks {
		sinkAddrs[i], sinkGot[i] = sinkSocket(b)
	}
	received := func() (n uint64) {
		for _, g := range sinkGot {
			n += g.Load()
		}
		return n
	}
	g := NewPacerGroup(0, nil)
	sessions := make([]*Session, streams)
	for i := range sessions {
		cfg := testCfg()
		cfg.PacerGroup = g
		s, err := Listen(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = s.Close() })
		s.SetRemote(sinkAddrs[i%sinks])
		s.Start(b.Context())
		sessions[i] = s
	}
	g.Start(b.Context())
	defer g.Stop()
	time.Sleep(300 * time.Millisecond) // warm up, then measure from clean histograms
	g.resetLateness()
	var sent0 uint64
	for _, s := range sessions {
		sent0 += s.Stats().PacketsOut
	}
	b.ResetTimer()
	for range b.N {
		time.Sleep(20 * time.Millisecond)
	}
	g.Stop()
	b.StopTimer()
	var sent uint64
	for _, s := range sessions {
		sent += s.Stats().PacketsOut
	}
	sent -= sent0
	var total uint64 // every packet ever sent must have reached a sink
	for _, s := range sessions {
		total += s.Stats().PacketsOut
	}
	eventuallyB(func() bool { return received() >= total }, time.Second)
	send, tick := g.SendLateness(), g.Lateness()
	b.ReportMetric(float64(send.P50.Microseconds()), "send-p50-µs")
	b.ReportMetric(float64(send.P99.Microseconds()), "send-p99-µs")
	b.ReportMetric(float64(send.Max.Microseconds()), "send-max-µs")
	b.ReportMetric(float64(tick.P50.Microseconds()), "tick-p50-µs")
	b.ReportMetric(float64(tick.P99.Microseconds()), "tick-p99-µs")
	b.ReportMetric(float64(sent)/float64(b.N)/streams, "pkts/stream/period")
	b.ReportMetric(float64(total-min(total, received())), "lost-pkts")
}

func eventuallyB(cond func() bool, within time.Duration) {
	deadline := time.Now().Add(within)
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
}

// BenchmarkReceive measures the receive path of one packet (parse, jitter
// buffer, decode, frame hand-off to the Frames channel or an OnFrame hook
// that copies it) without the socket.
func BenchmarkReceive(b *testing.B) {
	var kept [160]int16
	for _, bc := range []struct {
		name    string
		onFrame func([]int16) bool
	}{
		{"channel", nil},
		{"hook", func(f []int16) bool { copy(kept[:], f); return true }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cfg := testCfg()
			cfg.OnFrame = bc.onFrame
			s, err := Listen(cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			s.Frames()
			from := netip.MustParseAddrPort("127.0.0.1:4000")
			pkt := rtpPacket(0, false, 0, 0, 5, fill(0x33))
			now := time.Now()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				seq := uint16(i)
				pkt[2], pkt[3] = byte(seq>>8), byte(seq)
				s.rx.handle(pkt, from, now)
				select {
				case <-s.frames:
				default:
				}
			}
		})
	}
}

// BenchmarkSend measures producing and writing one paced packet (no pacer
// goroutine), to a real loopback socket.
func BenchmarkSend(b *testing.B) {
	s, err := Listen(testCfg())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	sink, _ := sinkSocket(b)
	s.SetRemote(sink)
	at := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if n := s.st.produce(at, int64(i)+1); n > 0 {
			s.st.send(n)
		}
	}
}

// BenchmarkSessionMemory creates 1,000 started sessions, each having received
// one audio packet (so the receive side and frame ring are in use), and
// reports the Go memory (heap + stacks) they hold per session. Kernel socket
// buffers are not included.
func BenchmarkSessionMemory(b *testing.B) {
	const n = 1000
	for range b.N {
		b.StopTimer()
		g := NewPacerGroup(0, nil) // started: its pacers read the fed packet
		g.Start(b.Context())
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		sessions := make([]*Session, n)
		for i := range sessions {
			cfg := testCfg()
			cfg.PacerGroup = g
			s, err := Listen(cfg)
			if err != nil {
				b.Fatal(err)
			}
			s.Frames()
			s.Start(b.Context())
			sessions[i] = s
		}
		b.StopTimer()
		feed(b, sessions)
		runtime.GC()
		runtime.ReadMemStats(&after)
		used := (after.HeapAlloc - before.HeapAlloc) + (after.StackInuse - before.StackInuse)
		b.ReportMetric(float64(used)/n, "bytes/session")
		for _, s := range sessions {
			_ = s.Close()
		}
		g.Stop()
		b.StartTimer()
	}
}

// feed sends one audio packet to every session and waits until each has it.
func feed(b *testing.B, sessions []*Session) {
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, 0)))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	pkt := rtpPacket(0, false, 1, 160, 7, fill(0x42))
	for _, s := range sessions {
		if _, err := c.WriteToUDPAddrPort(pkt, s.LocalAddr()); err != nil {
			b.Fatal(err)
		}
	}
	eventuallyB(func() bool {
		for _, s := range sessions {
			if s.Stats().PacketsIn == 0 {
				return false
			}
		}
		return true
	}, 5*time.Second)
}
