package rtp

import (
	"context"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"outreach/media"
)

func TestPacerRatePerStream(t *testing.T) {
	g := NewPacerGroup(2, nil)
	g.Start(ctxT(t))
	t.Cleanup(g.Stop)
	sink := newRaw(t, netip0())
	const n = 20
	sessions := make([]*Session, n)
	for i := range sessions {
		cfg := testCfg()
		cfg.PacerGroup = g
		s := listen(t, cfg)
		s.SetRemote(sink.addr())
		sessions[i] = s
	}
	start := time.Now()
	for _, s := range sessions {
		s.Start(ctxT(t))
	}
	if g.Pacers()[0].Streams() != n/2 || g.Pacers()[1].Streams() != n/2 {
		t.Fatalf("round robin: %d / %d", g.Pacers()[0].Streams(), g.Pacers()[1].Streams())
	}
	eventually(t, 5*time.Second, "25 packets per stream", func() bool {
		for _, s := range sessions {
			if s.Stats().PacketsOut < 25 {
				return false
			}
		}
		return true
	})
	elapsed := time.Since(start)
	var skipped uint64
	for _, p := range g.Pacers() {
		skipped += p.Skipped()
	}
	periods := float64(elapsed) / float64(media.FrameDuration)
	for i, s := range sessions {
		st := s.Stats()
		// Never faster than one packet per 20 ms (no burst, no drift); and,
		// counting the periods a starved pacer skipped on purpose, not much
		// slower either. Generous bounds: the machine may be loaded.
		got := float64(st.PacketsOut)
		if got > periods+3 || got+float64(skipped)/pacerSlots < 0.6*periods || st.SendErrors != 0 {
			t.Fatalf("session %d: %d packets in %v (%.0f periods, %d skipped sub-ticks), %d errors",
				i, st.PacketsOut, elapsed, periods, skipped, st.SendErrors)
		}
	}
	if l := g.SendLateness(); l.Count == 0 || l.Max <= 0 {
		t.Fatalf("lateness not recorded: %+v", l)
	}
}

func netip0() (ap netip.AddrPort) { return }

func TestSilenceModes(t *testing.T) {
	for _, mode := range []SilenceMode{SilenceComfort, SilenceNone} {
		t.Run(mode.String(), func(t *testing.T) {
			cfg := testCfg()
			cfg.Silence = mode
			s := listen(t, cfg)
			peer := newRaw(t, s.LocalAddr())
			s.SetRemote(peer.addr())
			s.Start(ctxT(t))
			if _, err := s.Play(ctxT(t), sine(500, 3*media.FrameSamples, 0.2), nil); err != nil {
				t.Fatal(err)
			}
			// Play returns once its 3 frames left; comfort mode keeps sending.
			eventually(t, 2*time.Second, "packets", func() bool { return s.Stats().PacketsOut >= 3 })
			if mode == SilenceComfort {
				eventually(t, 2*time.Second, "silence after play", func() bool { return s.Stats().PacketsOut >= 8 })
			} else if got := s.Stats().PacketsOut; got != 3 {
				t.Fatalf("SilenceNone sent %d packets for a 3-frame prompt", got)
			}
			var markers, audio int
			buf := make([]byte, 1500)
			_ = peer.conn.SetReadDeadline(time.Now().Add(time.Second))
			for audio < 3 {
				n, err := peer.conn.Read(buf)
				if err != nil {
					t.Fatal(err)
				}
				if buf[1]&0x80 != 0 {
					markers++
				}
				if n == 172 && !allByte(buf[12:n], 0xff) { // µ-law silence is 0xff
					audio++
				}
			}
			if markers != 1 {
				t.Fatalf("%d marker bits before the prompt ended, want 1 (talkspurt start)", markers)
			}
		})
	}
}

func TestSendDigitPackets(t *testing.T) {
	cfg := testCfg()
	cfg.Silence = SilenceNone
	s := listen(t, cfg)
	peer := newRaw(t, s.LocalAddr())
	s.SetRemote(peer.addr())
	s.Start(ctxT(t))
	if err := s.SendDigit(ctxT(t), '7', 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1500)
	_ = peer.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	var ends, first int
	var ts uint32
	var lastSeq uint16
	for i := 0; ends < 3; i++ {
		n, err := peer.conn.Read(buf)
		if err != nil {
			t.Fatalf("after %d packets: %v", i, err)
		}
		if n != 16 || buf[1]&0x7f != 101 || buf[12] != 7 {
			t.Fatalf("packet %d: % x", i, buf[:n])
		}
		pts, seq := binary.BigEndian.Uint32(buf[4:]), binary.BigEndian.Uint16(buf[2:])
		if i == 0 {
			ts = pts
			if buf[1]&0x80 == 0 {
				t.Fatal("no marker on the first event packet")
			}
			first++
		} else {
			if pts != ts || buf[1]&0x80 != 0 || seq != lastSeq+1 {
				t.Fatalf("packet %d: ts %d (want %d) marker %v seq %d after %d", i, pts, ts, buf[1]&0x80 != 0, seq, lastSeq)
			}
		}
		lastSeq = seq
		if buf[13]&0x80 != 0 {
			ends++
		}
	}
}

func TestSendDigitBetweenSessions(t *testing.T) {
	a, b := pair(t, nil)
	a.Start(ctxT(t))
	b.Start(ctxT(t))
	if err := a.SendDigit(ctxT(t), '#', 60*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := a.SendDigit(ctxT(t), '1', 60*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	for _, want := range "#1" {
		select {
		case d := <-b.Digits():
			if d != want {
				t.Fatalf("digit %q, want %q", d, want)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("no digit")
		}
	}
	if _, err := a.Play(ctxT(t), make([]int16, 2*media.FrameSamples), nil); err != nil {
		t.Fatal(err)
	}
	if st := b.Stats(); st.Digits != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestSendDigitErrors(t *testing.T) {
	cfg := testCfg()
	cfg.EventPT = 0
	s := listen(t, cfg)
	s.Start(ctxT(t))
	if err := s.SendDigit(ctxT(t), '1', 100*time.Millisecond); err == nil {
		t.Fatal("SendDigit without an event payload type")
	}
	s2 := listen(t, testCfg())
	s2.Start(ctxT(t))
	if err := s2.SendDigit(ctxT(t), 'x', 100*time.Millisecond); err == nil {
		t.Fatal("bad digit accepted")
	}
}

func TestSendNoAllocs(t *testing.T) {
	s := listen(t, testCfg())
	peer := newRaw(t, s.LocalAddr())
	s.SetRemote(peer.addr())
	st := &s.st
	pcm := sine(400, 1000*media.FrameSamples, 0.3)
	st.cur = &play{pcm: pcm, done: make(chan struct{})}
	at := time.Now()
	period := int64(0)
	allocs := testing.AllocsPerRun(500, func() {
		period++
		if n := st.produce(at, period); n > 0 {
			st.send(n)
		}
	})
	if allocs != 0 {
		t.Fatalf("%.1f allocations per packet", allocs)
	}
	if s.Stats().PacketsOut < 500 {
		t.Fatalf("sent %d", s.Stats().PacketsOut)
	}
}

func allByte(b []byte, v byte) bool {
	for _, x := range b {
		if x != v {
			return false
		}
	}
	return true
}

func TestSendDigitCancelledStillEnds(t *testing.T) {
	cfg := testCfg()
	cfg.Silence = SilenceNone
	s := listen(t, cfg)
	peer := newRaw(t, s.LocalAddr())
	s.SetRemote(peer.addr())
	s.Start(ctxT(t))
	ctx, cancel := context.WithCancel(ctxT(t))
	go func() {
		eventually(t, 2*time.Second, "first event packet", func() bool { return s.Stats().PacketsOut >= 1 })
		cancel()
	}()
	if err := s.SendDigit(ctx, '3', 2*time.Second); !errors.Is(err, context.Canceled) {
		t.Fatalf("SendDigit: %v", err)
	}
	// The cut-short key press ends with its three end packets, written in
	// one batch (sendmmsg) on the next tick.
	buf := make([]byte, 1500)
	_ = peer.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	ends := 0
	for ends < 3 {
		n, err := peer.conn.Read(buf)
		if err != nil {
			t.Fatalf("%d end packets: %v", ends, err)
		}
		if n == 16 && buf[13]&0x80 != 0 {
			ends++
		}
	}
	if st := s.Stats(); st.SendErrors != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestSkippedPeriodsAdvanceTimestamp(t *testing.T) {
	s := listen(t, testCfg())
	st := &s.st
	at := time.Now()
	header := func() (ts uint32, marker bool) {
		return binary.BigEndian.Uint32(st.bufs[0][4:]), st.bufs[0][1]&0x80 != 0
	}
	st.produce(at, 1)
	ts1, _ := header()
	st.produce(at, 2)
	ts2, m2 := header()
	st.produce(at, 5) // the pacer skipped periods 3 and 4
	ts5, m5 := header()
	if ts2-ts1 != 160 || m2 || ts5-ts2 != 3*160 || !m5 {
		t.Fatalf("timestamps %d %d %d, markers %v %v", ts1, ts2, ts5, m2, m5)
	}
}

func TestDigitPausesPlay(t *testing.T) {
	a, b := pair(t, nil)
	a.Start(ctxT(t))
	b.Start(ctxT(t))
	pcm := sine(700, 25*media.FrameSamples, 0.4) // 500 ms
	done := make(chan time.Duration, 1)
	go func() {
		played, _ := a.Play(ctxT(t), pcm, nil)
		done <- played
	}()
	eventually(t, 2*time.Second, "playing", func() bool {
		a.st.mu.Lock()
		defer a.st.mu.Unlock()
		return a.st.cur != nil && a.st.cur.pos > 0
	})
	if err := a.SendDigit(ctxT(t), '4', 60*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	select {
	case d := <-b.Digits():
		if d != '4' {
			t.Fatalf("digit %q", d)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no digit")
	}
	// The prompt still plays to its end after the key press.
	if played := <-done; played != 500*time.Millisecond {
		t.Fatalf("played %v", played)
	}
}

func TestPrivatePacerWakesOnlyForItsSlot(t *testing.T) {
	s := listen(t, testCfg())
	s.SetRemote(newRaw(t, s.LocalAddr()).addr())
	s.Start(ctxT(t))
	eventually(t, 3*time.Second, "20 packets", func() bool { return s.Stats().PacketsOut >= 20 })
	ticks, sent := s.pacer.Lateness().Count, s.Stats().PacketsOut
	if ticks > sent+2 {
		t.Fatalf("%d timer wake-ups for %d packets of a single stream", ticks, sent)
	}
}

// The lead settles at the midpoint of the delay's 5th-99th percentile
// range: delays uniform over 0-1 ms with a 2% tail at 3 ms aim ≈ 1.5 ms early
// (capped at maxLead); without the tail, ≈ 0.5 ms. Steady delays of zero
// bring it back to zero.
func TestLeadEstimate(t *testing.T) {
	var e leadEstimate
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range 200000 {
		d := time.Duration(rnd.Int64N(int64(time.Millisecond)))
		if i%50 == 0 {
			d = 3 * time.Millisecond
		}
		e.learn(d)
	}
	if l := e.lead(); l < 1300*time.Microsecond || l > maxLead {
		t.Fatalf("lead with a late tail = %v, want ≈ 1.5 ms", l)
	}
	for range 200000 {
		e.learn(time.Duration(rnd.Int64N(int64(time.Millisecond))))
	}
	if l := e.lead(); l < 400*time.Microsecond || l > 600*time.Microsecond {
		t.Fatalf("lead without the tail = %v, want ≈ 0.5 ms", l)
	}
	for range 200000 {
		e.learn(0)
	}
	if l := e.lead(); l != 0 {
		t.Fatalf("lead with no delay = %v, want 0", l)
	}
}

// TestAudioAfterDigitKeepsPayloadType is the regression test of a bug where
// the event payload type stuck to the stream after a key press, so speech
// sent after a key reached the far end as telephone-events (and "no" was
// heard as a key).
func TestAudioAfterDigitKeepsPayloadType(t *testing.T) {
	cfg := testCfg()
	cfg.Silence = SilenceNone
	s := listen(t, cfg)
	peer := newRaw(t, s.LocalAddr())
	s.SetRemote(peer.addr())
	s.Start(ctxT(t))
	if err := s.SendDigit(ctxT(t), '1', 60*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	go s.Play(ctxT(t), make([]int16, 4*160), nil)
	buf := make([]byte, 1500)
	_ = peer.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	audio := 0
	for audio < 4 {
		n, err := peer.conn.Read(buf)
		if err != nil {
			t.Fatalf("after %d audio packets: %v", audio, err)
		}
		pt := buf[1] & 0x7f
		switch {
		case n == 16 && pt == 101:
			continue // the key's event packets
		case pt != cfg.AudioPT:
			t.Fatalf("audio packet with payload type %d, want %d", pt, cfg.AudioPT)
		}
		audio++
	}
}
