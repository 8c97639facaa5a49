package rtp

import (
	"context"
	"encoding/binary"
	"math"
	"net"
	"net/netip"
	"testing"
	"time"

	"outreach/media"
)

var loopback = netip.MustParseAddr("127.0.0.1")

// testCfg is a session config on 127.0.0.1 with an ephemeral port.
func testCfg() Config {
	return Config{Addr: loopback, Codec: media.CodecPCMU, AudioPT: 0, EventPT: 101}
}

func listen(t testing.TB, cfg Config) *Session {
	t.Helper()
	s, err := Listen(cfg)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// pair returns two started sessions sending to each other.
func pair(t *testing.T, mod func(*Config)) (a, b *Session) {
	t.Helper()
	ca, cb := testCfg(), testCfg()
	if mod != nil {
		mod(&ca)
		mod(&cb)
	}
	a, b = listen(t, ca), listen(t, cb)
	a.SetRemote(b.LocalAddr())
	b.SetRemote(a.LocalAddr())
	return a, b
}

// rawPeer is a plain UDP socket crafting RTP packets.
type rawPeer struct {
	t    testing.TB
	conn *net.UDPConn
	to   netip.AddrPort
}

func newRaw(t testing.TB, to netip.AddrPort) *rawPeer {
	t.Helper()
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, 0)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return &rawPeer{t: t, conn: c, to: to}
}

func (r *rawPeer) addr() netip.AddrPort { return r.conn.LocalAddr().(*net.UDPAddr).AddrPort() }

func (r *rawPeer) send(b []byte) {
	r.t.Helper()
	if _, err := r.conn.WriteToUDPAddrPort(b, r.to); err != nil {
		r.t.Fatal(err)
	}
}

// rtpPacket builds an RTP packet by hand (RFC 3550 §5.1).
func rtpPacket(pt uint8, marker bool, seq uint16, ts, ssrc uint32, payload []byte) []byte {
	b := make([]byte, 12, 12+len(payload))
	b[0] = 0x80
	b[1] = pt
	if marker {
		b[1] |= 0x80
	}
	binary.BigEndian.PutUint16(b[2:], seq)
	binary.BigEndian.PutUint32(b[4:], ts)
	binary.BigEndian.PutUint32(b[8:], ssrc)
	return append(b, payload...)
}

// fill returns a 160-byte payload of v.
func fill(v byte) []byte {
	p := make([]byte, media.FrameSamples)
	for i := range p {
		p[i] = v
	}
	return p
}

// sine returns n samples of a tone.
func sine(freq float64, n int, amp float64) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(amp * 32767 * math.Sin(2*math.Pi*freq*float64(i)/media.SampleRate))
	}
	return out
}

// recvFrame waits for one frame (copied).
func recvFrame(t testing.TB, s *Session, within time.Duration) []int16 {
	t.Helper()
	select {
	case f, ok := <-s.Frames():
		if !ok {
			t.Fatal("frames closed")
		}
		return append([]int16(nil), f...)
	case <-time.After(within):
		t.Fatalf("no frame within %v (stats %+v)", within, s.Stats())
	}
	return nil
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func ctxT(t *testing.T) context.Context { return t.Context() }
