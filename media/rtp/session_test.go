package rtp

import (
	"context"
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"outreach/media"
)

// firstNonSilent skips the comfort-silence frames that precede the audio.
func firstNonSilent(t *testing.T, s *Session) []int16 {
	t.Helper()
	for range 200 {
		f := recvFrame(t, s, 2*time.Second)
		for _, v := range f {
			if v > 64 || v < -64 {
				return f
			}
		}
	}
	t.Fatal("no audio arrived")
	return nil
}

func TestTwoSessionsTalk(t *testing.T) {
	for _, codec := range []media.Codec{media.CodecPCMU, media.CodecPCMA} {
		t.Run(codec.String(), func(t *testing.T) {
			a, b := pair(t, func(c *Config) { c.Codec, c.AudioPT = codec, codec.PayloadType() })
			b.Frames()
			a.Start(ctxT(t))
			b.Start(ctxT(t))
			pcm := sine(440, 10*media.FrameSamples, 0.5)
			want := make([]int16, len(pcm))
			enc := make([]byte, len(pcm))
			codec.Encode(enc, pcm)
			codec.Decode(want, enc)

			done := make(chan error, 1)
			go func() { _, err := a.Play(ctxT(t), pcm, nil); done <- err }()
			// The tone starts at 0, so its first frame begins with small samples:
			// find the frame by its first non-silent one and compare all of them.
			got := firstNonSilent(t, b)
			for i := 1; i < 10; i++ {
				got = append(got, recvFrame(t, b, time.Second)...)
			}
			if err := <-done; err != nil {
				t.Fatalf("Play: %v", err)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("sample %d: got %d want %d (G.711 round trip)", i, got[i], want[i])
				}
			}
			if st := b.Stats(); st.Lost != 0 || st.Late != 0 || st.UnknownPT != 0 {
				t.Errorf("receiver stats %+v", st)
			}
		})
	}
}

func TestIgnoresGarbageAndUnknownPT(t *testing.T) {
	s := listen(t, testCfg())
	s.Frames()
	s.Start(ctxT(t))
	r := newRaw(t, s.LocalAddr())
	r.send([]byte("OPTIONS sip:x SIP/2.0\r\n\r\n"))                     // not RTP
	r.send([]byte{0x80, 0x00, 0x01})                                    // too short
	r.send(rtpPacket(0, false, 1, 0, 1, fill(0x7f))[:11])               // too short
	r.send(append([]byte{0x40}, make([]byte, 20)...))                   // version 1
	r.send([]byte{0x80, 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0})             // RTCP SR (RFC 5761 §4)
	r.send([]byte{0x81, 201, 0, 7, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}) // RTCP RR
	r.send(rtpPacket(99, false, 1, 0, 7, fill(0x10)))                   // unknown PT
	r.send(rtpPacket(0, false, 1, 0, 7, fill(0x80)))                    // valid audio
	f := recvFrame(t, s, 2*time.Second)
	want := make([]int16, 1)
	media.CodecPCMU.Decode(want, []byte{0x80})
	if f[0] != want[0] {
		t.Fatalf("frame sample %d, want %d", f[0], want[0])
	}
	st := s.Stats()
	if st.Ignored != 6 || st.UnknownPT != 1 || st.PacketsIn != 8 {
		t.Fatalf("stats %+v: want 6 ignored, 1 unknown PT, 8 in", st)
	}
}

func TestTwoSSRCsOnOnePort(t *testing.T) {
	// sipp's play_dtmf injects telephone-events with its own SSRC while the
	// audio SSRC keeps going.
	s := listen(t, testCfg())
	s.Frames()
	s.Start(ctxT(t))
	r := newRaw(t, s.LocalAddr())
	r.send(rtpPacket(0, true, 100, 1000, 0xaaaa, fill(0x11)))
	ev := []byte{5, 0x0a, 0, 0} // digit 5, duration 0 (sipp's first packet)
	r.send(rtpPacket(101, true, 7, 50000, 0xbbbb, ev))
	r.send(rtpPacket(0, false, 101, 1160, 0xaaaa, fill(0x12)))
	r.send(rtpPacket(101, false, 8, 50000, 0xbbbb, []byte{5, 0x8a, 0x03, 0x20}))
	recvFrame(t, s, 2*time.Second)
	recvFrame(t, s, 2*time.Second)
	select {
	case d := <-s.Digits():
		if d != '5' {
			t.Fatalf("digit %q", d)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no digit")
	}
	if st := s.Stats(); st.OtherSSRC != 0 || st.Ignored != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestDigitExactlyOnce(t *testing.T) {
	s := listen(t, testCfg())
	s.Start(ctxT(t))
	r := newRaw(t, s.LocalAddr())
	seq := uint16(10)
	burst := func(code byte, ts uint32) {
		for i, dur := range []uint16{0, 160, 320, 480} {
			p := []byte{code, 0x0a, byte(dur >> 8), byte(dur)}
			r.send(rtpPacket(101, i == 0, seq, ts, 0xcafe, p))
			r.send(rtpPacket(101, i == 0, seq, ts, 0xcafe, p)) // duplicate
			seq++
		}
		end := []byte{code, 0x8a, 0x02, 0x80}
		for range 3 { // end ×3, same timestamp (§2.5.1.4)
			r.send(rtpPacket(101, false, seq, ts, 0xcafe, end))
			seq++
		}
	}
	burst(5, 8000)
	burst(5, 8000) // a full retransmission of the same key press
	burst(11, 16000)
	var got []rune
	for len(got) < 2 {
		select {
		case d := <-s.Digits():
			got = append(got, d)
		case <-time.After(2 * time.Second):
			t.Fatalf("digits so far %q", string(got))
		}
	}
	if string(got) != "5#" {
		t.Fatalf("digits %q, want \"5#\"", string(got))
	}
	if st := s.Stats(); st.Digits != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestMediaTimeout(t *testing.T) {
	cfg := testCfg()
	cfg.MediaTimeout = 100 * time.Millisecond
	s := listen(t, cfg)
	s.Start(ctxT(t))
	start := time.Now()
	select {
	case <-s.Timeout():
	case <-time.After(3 * time.Second):
		t.Fatal("no media timeout")
	}
	if d := time.Since(start); d < 90*time.Millisecond {
		t.Fatalf("timeout after %v, before MediaTimeout", d)
	}
	r := newRaw(t, s.LocalAddr())
	r.send(rtpPacket(0, false, 1, 0, 1, fill(1)))
	eventually(t, time.Second, "packet after timeout", func() bool { return s.Stats().PacketsIn == 1 })
}

func TestMediaKeepsTimeoutAway(t *testing.T) {
	cfg := testCfg()
	cfg.MediaTimeout = 400 * time.Millisecond // margin for a loaded machine
	a, b := pair(t, func(c *Config) { c.MediaTimeout = cfg.MediaTimeout })
	a.Start(ctxT(t)) // sends comfort silence to b
	b.Start(ctxT(t))
	deadline := time.Now().Add(2 * time.Second)
	for b.Stats().PacketsIn < 15 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if b.Stats().PacketsIn < 15 {
		t.Fatalf("a %+v b %+v pacer a %d %+v", a.Stats(), b.Stats(), a.pacer.Streams(), a.pacer.Lateness())
	}
	select {
	case <-b.Timeout():
		t.Fatal("media timeout while packets flow")
	default:
	}
	_ = a.Close()
	select {
	case <-b.Timeout():
	case <-time.After(3 * time.Second):
		t.Fatal("no media timeout after the peer stopped")
	}
}

func TestPlayInterrupted(t *testing.T) {
	a, b := pair(t, nil)
	a.Start(ctxT(t))
	b.Start(ctxT(t))
	pcm := sine(300, 5*media.SampleRate, 0.3) // 5 s
	stop := make(chan struct{})
	go func() {
		eventually(t, 2*time.Second, "playing", func() bool { return b.Stats().PacketsIn > 5 })
		close(stop)
	}()
	start := time.Now()
	played, err := a.Play(ctxT(t), pcm, stop)
	if err != nil {
		t.Fatalf("Play: %v", err)
	}
	if played <= 0 || played >= 4*time.Second || time.Since(start) > 3*time.Second {
		t.Fatalf("played %v in %v: not interrupted early", played, time.Since(start))
	}
	// Cancelled by ctx.
	ctx, cancel := context.WithCancel(ctxT(t))
	cancel()
	if _, err := a.Play(ctx, pcm, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Play with cancelled ctx: %v", err)
	}
}

func TestPlayErrors(t *testing.T) {
	s := listen(t, testCfg())
	if _, err := s.Play(ctxT(t), make([]int16, 160), nil); !errors.Is(err, ErrNotStarted) {
		t.Fatalf("before Start: %v", err)
	}
	s.Start(ctxT(t))
	s.SetRemote(newRaw(t, s.LocalAddr()).addr())
	busy := make(chan struct{})
	go func() {
		defer close(busy)
		_, _ = s.Play(ctxT(t), make([]int16, 50*160), nil)
	}()
	eventually(t, time.Second, "first Play running", func() bool {
		s.st.mu.Lock()
		defer s.st.mu.Unlock()
		return s.st.cur != nil
	})
	if _, err := s.Play(ctxT(t), make([]int16, 160), nil); !errors.Is(err, ErrBusy) {
		t.Fatalf("concurrent Play: %v", err)
	}
	_ = s.Close()
	<-busy
	if _, err := s.Play(ctxT(t), make([]int16, 160), nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
	if _, ok := <-s.Frames(); ok {
		t.Fatal("Frames not closed")
	}
}

func TestContextCancelClosesSession(t *testing.T) {
	s := listen(t, testCfg())
	ctx, cancel := context.WithCancel(ctxT(t))
	s.Start(ctx)
	cancel()
	select {
	case _, ok := <-s.Digits():
		if ok {
			t.Fatal("unexpected digit")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("session not closed by ctx")
	}
}

func TestListenPortRange(t *testing.T) {
	cfg := testCfg()
	lo := freeRange(t, 12)
	cfg.PortMin, cfg.PortMax = lo, lo+11
	seen := map[uint16]bool{}
	for range 6 {
		s := listen(t, cfg)
		p := int(s.LocalAddr().Port())
		if p%2 != 0 || p < cfg.PortMin || p > cfg.PortMax || seen[uint16(p)] {
			t.Fatalf("port %d (seen %v)", p, seen)
		}
		seen[uint16(p)] = true
	}
	if _, err := Listen(cfg); err == nil {
		t.Fatal("7th session in a 6-port range")
	}
	cfg.PortMin, cfg.PortMax = 10, 5
	if _, err := Listen(cfg); err == nil {
		t.Fatal("inverted range accepted")
	}
}

// freeRange finds n consecutive ports (starting even) that are free for UDP
// right now, so the range test does not depend on fixed port numbers.
func freeRange(t *testing.T, n int) int {
	t.Helper()
	for lo := 42000 + 2*(os.Getpid()%500)*n; lo < 65000-n; lo += 2 * n {
		ok := true
		for p := lo; p < lo+n && ok; p++ {
			c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p})
			if err != nil {
				ok = false
				continue
			}
			c.Close()
		}
		if ok {
			return lo
		}
	}
	t.Fatal("no free port range")
	return 0
}
