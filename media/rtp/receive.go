package rtp

import (
	"errors"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	pionrtp "github.com/pion/rtp"

	"outreach/media"
	"outreach/media/rfc4733"
	"outreach/media/udp"
)

const (
	readBufSize = 1500
	// ssrcSwitch: a second audio SSRC takes over once the current one has
	// been silent this long (a re-INVITE or a gateway changing source).
	ssrcSwitch = 100 * time.Millisecond
	// gapFlush: how long the jitter buffer waits for a missing packet when
	// no further packets arrive.
	gapFlush = 60 * time.Millisecond
)

// receiver is the receive side of a session; everything but lastValid is
// guarded by mu, held by the pacer's poll (or by the caller of handle in
// tests).
type receiver struct {
	s         *Session
	stats     *counters
	codec     media.Codec
	audioPT   uint8
	eventPT   uint8
	lastValid atomic.Int64 // unix nanoseconds of the last valid RTP packet
	rec       *recorder

	mu      sync.Mutex
	closed  bool // the socket is closed: no more polls
	readErr bool // a receive error was logged

	pkt       pionrtp.Packet
	buf       [readBufSize]byte
	jit       jitter
	ssrc      uint32 // current audio SSRC
	lastAudio time.Time
	dtmf      *rfc4733.Receiver
	now       time.Time      // of the packet being handled
	from      netip.AddrPort // its source

	latched     bool
	latchAddr   netip.AddrPort
	latchHeard  time.Time
	acc         [media.FrameSamples]int16 // frame being assembled
	accN        int
	ringNext    int // next slot of Session.ring
	timeoutDone bool
}

func (r *receiver) init(s *Session) {
	r.s, r.stats = s, &s.stats
	r.codec, r.audioPT, r.eventPT = s.cfg.Codec, s.cfg.AudioPT, s.cfg.EventPT
	r.jit.depth = s.cfg.JitterDepth
	r.jit.lost = &s.stats.lost
	r.jit.out = r
	if r.eventPT != 0 {
		r.dtmf = rfc4733.NewReceiver()
	}
}

// maxPoll bounds the datagrams one poll reads: a backlog (a burst, or a
// session started late) is drained over a few ticks, not in one.
const maxPoll = 16

// poll reads the datagrams waiting on the socket, then runs the receive
// side's timers (jitter gap, media timeout). The pacer calls it on the
// session's sub-tick, every 20 ms, after sending: a packet waits at most that
// long in the socket, and no thread wakes up for it.
func (r *receiver) poll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	for range maxPoll {
		n, from, err := r.s.sock.ReadFrom(r.buf[:])
		if err != nil {
			if !errors.Is(err, udp.ErrWouldBlock) {
				r.readFailed(err)
			}
			break
		}
		// The source and time go in fields, not arguments (see deliver).
		r.from, r.now = from, r.s.cfg.Now()
		r.packet(r.buf[:n])
	}
	r.timers(r.s.cfg.Now())
}

// close stops polling and closes the socket; a poll in progress finishes
// first.
func (r *receiver) close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	return r.s.sock.Close()
}

// readFailed logs a receive error (ICMP errors reported on the socket, say),
// once per session. Kept out of poll (go:noinline): the log call's
// arguments stay off the receive path's stack frames.
//
//go:noinline
func (r *receiver) readFailed(err error) {
	if r.readErr {
		return
	}
	r.readErr = true
	r.s.log.Warn("rtp receive", "local", r.s.local.String(), "err", err)
}

// timers flushes the jitter buffer when the packet it waits for is gapFlush
// late with nothing arriving, and closes Timeout once no valid RTP arrived
// for MediaTimeout.
func (r *receiver) timers(now time.Time) {
	if r.jit.pending() && now.Sub(r.lastAudio) >= gapFlush {
		r.jit.flush()
	}
	mt := r.s.cfg.MediaTimeout
	if mt <= 0 || r.timeoutDone {
		return
	}
	if now.Sub(time.Unix(0, r.lastValid.Load())) >= mt {
		r.timeoutDone = true
		r.s.log.Info("rtp media timeout", "local", r.s.local.String(), "after", mt)
		close(r.s.timeout)
		if f := r.s.cfg.OnTimeout; f != nil {
			f()
		}
	}
}

// handle processes one datagram from from, received at now. It never
// panics on any input and does not allocate for valid packets.
func (r *receiver) handle(b []byte, from netip.AddrPort, now time.Time) {
	r.from, r.now = from, now
	r.packet(b)
}

// packet is handle with the source and time in r.from and r.now. The
// packet is counted in last: whoever reads PacketsIn (an atomic) also sees
// what the packet did to the other counters (duplicates, late, ...).
func (r *receiver) packet(b []byte) {
	r.classify(b)
	r.stats.bytesIn.Add(uint64(len(b)))
	r.stats.packetsIn.Add(1)
}

// classify checks one packet and hands it to the audio or the event path.
func (r *receiver) classify(b []byte) {
	// RFC 3550 §5.1 version 2; RFC 5761 §4: a second byte of 192-223 is RTCP
	// (packet types 200-204 and the rest of that range) on a shared port.
	if len(b) < headerLen || b[0]>>6 != 2 || (b[1] >= 192 && b[1] <= 223) {
		r.stats.ignored.Add(1)
		return
	}
	pt := b[1] & 0x7f
	if pt != r.audioPT && (r.eventPT == 0 || pt != r.eventPT) {
		r.stats.unknownPT.Add(1)
		return
	}
	if err := r.pkt.Unmarshal(b); err != nil || len(r.pkt.Payload) > maxPayload {
		r.stats.ignored.Add(1)
		return
	}
	r.lastValid.Store(r.now.UnixNano())
	r.latch()
	h := &r.pkt.Header
	if pt == r.audioPT {
		r.audio(h, r.pkt.Payload)
		return
	}
	r.event(h, r.pkt.Payload)
}

// latch implements symmetric RTP (RFC 4961): send to where packets come from.
func (r *receiver) latch() {
	from, now := r.from, r.now
	if r.s.newRemote.Load() && r.s.newRemote.CompareAndSwap(true, false) {
		r.latched = false
	}
	switch {
	case !from.IsValid():
		return
	case !r.latched:
	case from == r.latchAddr:
		r.latchHeard = now
		return
	case now.Sub(r.latchHeard) < r.s.cfg.LatchTimeout:
		return // the latched source is alive: accept the media, keep the address
	default:
		r.stats.relatched.Add(1)
	}
	r.latched, r.latchAddr, r.latchHeard = true, from, now
	if cur := r.s.st.remote.Load(); cur == nil || *cur != from {
		r.s.st.setRemote(from)
	}
}

func (r *receiver) audio(h *pionrtp.Header, payload []byte) {
	now := r.now
	if !r.jit.started || h.SSRC != r.ssrc {
		if r.jit.started && now.Sub(r.lastAudio) < ssrcSwitch {
			r.stats.otherSSRC.Add(1)
			return
		}
		r.jit.flush()
		r.jit.reset()
		r.ssrc = h.SSRC
	}
	r.lastAudio = now
	v := r.jit.add(h.SequenceNumber, h.Timestamp, payload)
	switch v {
	case duplicate:
		r.stats.duplicates.Add(1)
	case late:
		r.stats.late.Add(1)
	case reordered:
		r.stats.reordered.Add(1)
	}
	if v.stored() {
		r.jit.drain()
	}
}

// deliver decodes one in-order payload into 160-sample frames, straight into
// the frame being assembled (G.711: one byte per sample), a piece at a time.
//
// The path poll → packet → audio → drain → deliver → emitFrame keeps small
// frames: no local buffers, few arguments, nothing allocated on the way (see
// Start and Frames), logging and recording kept in separate functions.
func (r *receiver) deliver(ts uint32, payload []byte) {
	want := r.s.wantFrames.Load()
	if !want && r.rec == nil {
		return
	}
	for len(payload) > 0 {
		// Only recording: acc is scratch (accN stays 0 until frames are
		// wanted, which is never undone). No local buffer: the receive
		// goroutine's stack stays at its initial size.
		dst := r.acc[r.accN:]
		n := r.codec.Decode(dst[:min(len(dst), len(payload))], payload)
		if n == 0 { // not a codec this session decodes
			return
		}
		if r.rec != nil {
			r.record(ts, dst[:n])
		}
		payload, ts = payload[n:], ts+uint32(n)
		if !want {
			continue
		}
		if r.accN += n; r.accN == media.FrameSamples {
			r.emitFrame()
			r.accN = 0
		}
	}
}

// record adds received audio to the recording. Not inlined: deliver's
// frame, on the receive path, then has no room for addIn's arguments.
//
//go:noinline
func (r *receiver) record(ts uint32, pcm []int16) {
	r.rec.addIn(r.now, r.ssrc, ts, pcm)
}

// emitFrame hands the assembled frame to the OnFrame hook, or else to the
// Frames channel through Session.ring (see Frames).
func (r *receiver) emitFrame() {
	if f := r.s.cfg.OnFrame; f != nil {
		if !f(r.acc[:]) {
			r.stats.droppedFrames.Add(1)
		}
		return
	}
	ring := r.s.ring
	f := &ring[r.ringNext]
	*f = r.acc
	select {
	case r.s.frames <- f[:]:
		r.ringNext = (r.ringNext + 1) % len(ring)
	default:
		r.stats.droppedFrames.Add(1)
	}
}

func (r *receiver) event(h *pionrtp.Header, payload []byte) {
	ev, err := rfc4733.Decode(payload)
	if err != nil {
		r.stats.ignored.Add(1)
		return
	}
	d, ok := r.dtmf.Push(h.SSRC, h.Timestamp, h.SequenceNumber, ev)
	if !ok {
		return
	}
	r.stats.digits.Add(1)
	if f := r.s.cfg.OnDigit; f != nil {
		if !f(d) {
			r.stats.droppedDigits.Add(1)
		}
		return
	}
	select {
	case r.s.digits <- d:
	default:
		r.stats.droppedDigits.Add(1)
	}
}
