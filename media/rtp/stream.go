package rtp

import (
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
	headerLen = 12
	maxPacket = headerLen + media.FrameSamples // one 20 ms G.711 frame
	maxBatch  = 4                              // packets one stream may send in one tick
)

// play is one Play call in progress.
type play struct {
	pcm  []int16
	pos  int // samples consumed
	done chan struct{}
}

// keyPress is one SendDigit call in progress (RFC 4733 §2.5.1).
type keyPress struct {
	pkts []rfc4733.Packet
	idx  int
	tick int    // ticks since the event started
	ts   uint32 // event timestamp: the same in every packet (§2.5.1.2)
	done chan struct{}
}

// stream is the send side of one session; the pacer goroutine calls produce
// on every tick, Play and SendDigit hand work to it under mu.
type stream struct {
	raw    *udp.Socket
	rx     *receiver // the session's receive side, polled after each send
	stats  *counters
	rec    *recorder                      // nil unless recording
	remote atomic.Pointer[netip.AddrPort] // send destination, swapped on latching
	slot   int                            // the pacer's sub-tick slot, guarded by the pacer's mu
	idx    int                            // position in the slot's list, guarded by the pacer's mu

	mu       sync.Mutex
	closed   bool
	hdr      pionrtp.Header
	codec    media.Codec
	eventPT  uint8
	silence  bool
	gap      bool // the next audio packet starts a talkspurt (marker)
	silenceB [media.FrameSamples]byte
	cur      *play
	key      *keyPress

	period int64 // pacer period of the last produce
	n      int   // packets produced this tick
	bufs   [maxBatch][maxPacket]byte
	lens   [maxBatch]int
	batch  udp.Batch // a tick's packets when there are several
	frameS [media.FrameSamples]int16
}

func (st *stream) setRemote(ap netip.AddrPort) {
	if !ap.IsValid() {
		return
	}
	ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()) // the socket is udp4 or udp6
	st.remote.Store(&ap)
}

// produce builds this tick's packets (0..maxBatch) into st.bufs. at is the
// tick's deadline (for recording alignment), period the pacer's 20 ms period
// number: periods the pacer skipped still advance the RTP timestamp, so it
// keeps following the sampling clock (RFC 3550 §5.1).
func (st *stream) produce(at time.Time, period int64) int {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.n = 0
	if st.closed {
		return 0
	}
	if missed := period - st.period - 1; st.period > 0 && missed > 0 {
		st.hdr.Timestamp += uint32(missed) * media.FrameSamples
		st.gap = true
	}
	st.period = period
	ts := st.hdr.Timestamp
	st.hdr.Timestamp += media.FrameSamples // the media clock runs whatever is sent
	switch {
	case st.key != nil:
		st.produceKey(ts)
	case st.cur != nil:
		st.producePlay(ts, at)
	case st.silence:
		st.addPacket(st.hdr.PayloadType, ts, st.gap, st.silenceB[:])
		st.gap = false
	default:
		st.gap = true
	}
	return st.n
}

func (st *stream) producePlay(ts uint32, at time.Time) {
	p := st.cur
	end := min(p.pos+media.FrameSamples, len(p.pcm))
	frame := st.frameS[:]
	k := copy(frame, p.pcm[p.pos:end])
	clear(frame[k:]) // pad the last frame with silence
	p.pos = end
	b := st.addPacket(st.hdr.PayloadType, ts, st.gap, nil)
	st.gap = false
	if b != nil {
		st.codec.Encode(b[headerLen:], frame)
	}
	if st.rec != nil {
		st.rec.addOut(at, frame)
	}
	if p.pos >= len(p.pcm) {
		close(p.done)
		st.cur = nil
	}
}

// produceKey sends the event packets due on this tick: KeyPress delays are
// measured on the pacer timeline from the event's first tick.
func (st *stream) produceKey(ts uint32) {
	k := st.key
	if k.tick == 0 {
		k.ts = ts
	}
	elapsed := time.Duration(k.tick) * media.FrameDuration
	k.tick++
	var pl [4]byte
	for k.idx < len(k.pkts) && k.pkts[k.idx].Delay <= elapsed && st.n < maxBatch {
		p := k.pkts[k.idx]
		st.addPacket(st.eventPT, k.ts, p.Marker, p.Event.Encode(pl[:0]))
		k.idx++
	}
	if k.idx >= len(k.pkts) {
		close(k.done)
		st.key = nil
		st.gap = true // audio resumes with a new talkspurt
	}
}

// addPacket writes a header (and payload, if given) into the next buffer and
// returns the buffer so the caller can fill a payload of FrameSamples bytes.
func (st *stream) addPacket(pt uint8, ts uint32, marker bool, payload []byte) []byte {
	if st.n >= maxBatch {
		return nil
	}
	b := st.bufs[st.n][:]
	h := st.hdr // st.hdr.PayloadType stays the audio type: an event packet must not change it
	h.PayloadType, h.Timestamp, h.Marker = pt, ts, marker
	n, err := h.MarshalTo(b)
	if err != nil {
		return nil
	}
	st.hdr.SequenceNumber++
	if payload != nil {
		n += copy(b[n:], payload)
	} else {
		n += media.FrameSamples
	}
	st.lens[st.n] = n
	st.n++
	return b
}

// send writes the n packets produced this tick. It runs on the pacer
// goroutine, outside mu (produce is the only writer of the buffers).
func (st *stream) send(n int) {
	r := st.remote.Load()
	if r == nil {
		st.stats.sendErrors.Add(uint64(n))
		return
	}
	if n == 1 {
		st.write(r, st.bufs[0][:st.lens[0]])
		return
	}
	st.batch.Reset()
	for i := range n {
		st.batch.Add(st.bufs[i][:st.lens[i]], *r)
	}
	sent, _ := st.raw.WriteBatch(&st.batch)
	for i := range sent {
		st.stats.packetsOut.Add(1)
		st.stats.bytesOut.Add(uint64(st.lens[i]))
	}
	for i := sent; i < n; i++ { // the rest one by one
		st.write(r, st.bufs[i][:st.lens[i]])
	}
}

func (st *stream) write(r *netip.AddrPort, b []byte) {
	if err := st.raw.WriteTo(b, *r); err != nil {
		st.stats.sendErrors.Add(1)
		return
	}
	st.stats.packetsOut.Add(1)
	st.stats.bytesOut.Add(uint64(len(b)))
}

// close stops the stream: pending Play and SendDigit calls are released.
func (st *stream) close() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.closed = true
	if st.cur != nil {
		close(st.cur.done)
		st.cur = nil
	}
	if st.key != nil {
		close(st.key.done)
		st.key = nil
	}
}
