package rtp

import (
	"net/netip"
	"testing"
	"time"

	"outreach/media"
)

// frameTag returns the payload byte a frame was made of (PCMU decode of fill(v)).
func frameTag(t *testing.T, f []int16) byte {
	t.Helper()
	for v := 0; v < 256; v++ {
		var s [1]int16
		media.CodecPCMU.Decode(s[:], []byte{byte(v)})
		if s[0] == f[0] && s[0] == f[len(f)-1] {
			return byte(v)
		}
	}
	t.Fatalf("frame %v is not a tagged frame", f[:4])
	return 0
}

func TestReorderDuplicatesAndWrap(t *testing.T) {
	tests := []struct {
		name     string
		seqs     []uint16 // sent in this order; the tag is the low byte of seq+0x10
		want     []uint16 // delivered in this order
		dup, lat uint64
		reord    uint64
	}{
		{"in order", []uint16{1, 2, 3}, []uint16{1, 2, 3}, 0, 0, 0},
		{"swap", []uint16{1, 3, 2, 4}, []uint16{1, 2, 3, 4}, 0, 0, 1},
		{"duplicates", []uint16{1, 2, 2, 3, 1}, []uint16{1, 2, 3}, 2, 0, 0},
		{"late after loss", []uint16{1, 3, 4, 5, 6, 2}, []uint16{1, 3, 4, 5, 6}, 0, 1, 0},
		{"wrap", []uint16{65534, 65535, 1, 0, 2}, []uint16{65534, 65535, 0, 1, 2}, 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := listen(t, testCfg())
			s.Frames()
			s.Start(ctxT(t))
			r := newRaw(t, s.LocalAddr())
			for _, q := range tt.seqs {
				// timestamps near the 32-bit wrap as well
				ts := uint32(0xffffff00) + uint32(q)*160
				r.send(rtpPacket(0, false, q, ts, 0x1234, fill(byte(q)+0x10)))
			}
			for i, q := range tt.want {
				f := recvFrame(t, s, 2*time.Second)
				if got := frameTag(t, f); got != byte(q)+0x10 {
					t.Fatalf("frame %d: tag %#x, want seq %d", i, got, q)
				}
			}
			eventually(t, 2*time.Second, "all packets counted", func() bool {
				return s.Stats().PacketsIn == uint64(len(tt.seqs))
			})
			st := s.Stats()
			if st.Duplicates != tt.dup || st.Late != tt.lat || st.Reordered != tt.reord {
				t.Fatalf("stats dup %d late %d reord %d, want %d %d %d", st.Duplicates, st.Late, st.Reordered, tt.dup, tt.lat, tt.reord)
			}
			select {
			case f := <-s.Frames():
				t.Fatalf("extra frame %#x", frameTag(t, f))
			default:
			}
		})
	}
}

func TestGapFlushedWhenQuiet(t *testing.T) {
	s := listen(t, testCfg())
	s.Frames()
	s.Start(ctxT(t))
	r := newRaw(t, s.LocalAddr())
	r.send(rtpPacket(0, false, 1, 160, 9, fill(0x21)))
	r.send(rtpPacket(0, false, 3, 480, 9, fill(0x23))) // 2 is lost, nothing follows
	if tag := frameTag(t, recvFrame(t, s, time.Second)); tag != 0x21 {
		t.Fatalf("tag %#x", tag)
	}
	if tag := frameTag(t, recvFrame(t, s, time.Second)); tag != 0x23 {
		t.Fatalf("tag %#x", tag)
	}
	if st := s.Stats(); st.Lost != 1 {
		t.Fatalf("lost %d", st.Lost)
	}
}

func TestLatchToSource(t *testing.T) {
	cfg := testCfg()
	cfg.LatchTimeout = 300 * time.Millisecond
	s := listen(t, cfg)
	bogus := netip.MustParseAddrPort("127.0.0.1:9") // the SDP said so; the peer sends from elsewhere
	s.SetRemote(bogus)
	s.Start(ctxT(t))
	p1 := newRaw(t, s.LocalAddr())
	p2 := newRaw(t, s.LocalAddr())
	p1.send(rtpPacket(0, false, 1, 0, 1, fill(1)))
	eventually(t, time.Second, "latched to p1", func() bool { return s.Remote() == p1.addr() })
	// The session's comfort silence now reaches p1.
	buf := make([]byte, 1500)
	_ = p1.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	if n, err := p1.conn.Read(buf); err != nil || n != 12+160 || buf[1]&0x7f != 0 {
		t.Fatalf("p1 got %d bytes, err %v", n, err)
	}
	// p2 while p1 is alive: media accepted, address kept.
	p1.send(rtpPacket(0, false, 2, 160, 1, fill(1)))
	p2.send(rtpPacket(0, false, 1, 0, 2, fill(2)))
	eventually(t, time.Second, "3 packets in", func() bool { return s.Stats().PacketsIn == 3 })
	if s.Remote() != p1.addr() {
		t.Fatalf("moved to %v while p1 alive", s.Remote())
	}
	// p1 silent for longer than LatchTimeout: p2 takes over.
	deadline := time.Now().Add(3 * time.Second)
	for s.Remote() != p2.addr() && time.Now().Before(deadline) {
		p2.send(rtpPacket(0, false, 3, 320, 2, fill(2)))
		time.Sleep(20 * time.Millisecond) // pacing the sender, not waiting for a result
	}
	if s.Remote() != p2.addr() || s.Stats().Relatched != 1 {
		t.Fatalf("remote %v, stats %+v", s.Remote(), s.Stats())
	}
	// A new SetRemote (re-INVITE) latches again on the next packet.
	s.SetRemote(bogus)
	p1.send(rtpPacket(0, false, 4, 480, 1, fill(1)))
	eventually(t, time.Second, "re-latched to p1", func() bool { return s.Remote() == p1.addr() })
}

func TestHandleNoAllocs(t *testing.T) {
	var kept [160]int16
	tests := []struct {
		name    string
		onFrame func([]int16) bool
	}{
		{"frames channel", nil},
		{"OnFrame hook", func(f []int16) bool { copy(kept[:], f); return true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testCfg()
			cfg.OnFrame = tt.onFrame
			s := listen(t, cfg)
			s.Frames()
			from := netip.MustParseAddrPort("127.0.0.1:4000")
			pkt := rtpPacket(0, false, 0, 0, 5, fill(0x33))
			now := time.Now()
			seq := uint16(0)
			allocs := testing.AllocsPerRun(2000, func() {
				seq++
				pkt[2], pkt[3] = byte(seq>>8), byte(seq)
				s.rx.handle(pkt, from, now)
				select {
				case <-s.frames:
				default:
				}
			})
			if allocs != 0 {
				t.Fatalf("%.1f allocations per packet", allocs)
			}
			if st := s.Stats(); st.DroppedFrames != 0 {
				t.Fatalf("stats %+v", st)
			}
		})
	}
}

// FuzzReceivePacket feeds arbitrary datagrams to the packet handler.
func FuzzReceivePacket(f *testing.F) {
	f.Add(rtpPacket(0, false, 1, 2, 3, fill(0x55)))
	f.Add(rtpPacket(101, true, 1, 2, 3, []byte{5, 0x8a, 0, 160}))
	f.Add(rtpPacket(101, true, 1, 2, 3, []byte{5}))
	f.Add([]byte{0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xff}) // padding larger than packet
	f.Add([]byte{0x9f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1})       // 15 CSRCs, truncated
	f.Add([]byte{0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0xff, 0xff})
	f.Add([]byte{0x80, 200, 0, 6})
	s := listen(f, testCfg())
	s.Frames()
	from := netip.MustParseAddrPort("127.0.0.1:4000")
	f.Fuzz(func(t *testing.T, b []byte) {
		s.rx.handle(b, from, time.Now())
		for {
			select {
			case <-s.frames:
				continue
			case <-s.digits:
				continue
			default:
			}
			break
		}
	})
}

func TestOtherPacketTimes(t *testing.T) {
	// 10 ms and 30 ms packets (80 and 240 bytes) are reassembled into
	// 160-sample frames.
	tests := []struct {
		name  string
		sizes []int
		want  int // frames
	}{
		{"10 ms", []int{80, 80, 80, 80}, 2},
		{"30 ms", []int{240, 240}, 3},
		{"60 ms", []int{480}, 3},
		{"oversized ignored", []int{481, 160}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := listen(t, testCfg())
			s.Frames()
			from := netip.MustParseAddrPort("127.0.0.1:4000")
			for i, n := range tt.sizes {
				pl := make([]byte, n)
				for j := range pl {
					pl[j] = byte(j)
				}
				s.rx.handle(rtpPacket(0, false, uint16(i), uint32(i*n), 1, pl), from, time.Now())
			}
			if got := len(s.frames); got != tt.want {
				t.Fatalf("%d frames, want %d", got, tt.want)
			}
		})
	}
}
