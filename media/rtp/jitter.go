package rtp

import "sync/atomic"

const (
	jitterSlots = 8   // power of two; reorder window
	maxPayload  = 480 // 60 ms of G.711
	resyncGap   = 100 // a sequence jump this large (either way) restarts the buffer
)

// verdict is what the jitter buffer did with a packet.
type verdict uint8

const (
	accepted verdict = iota
	reordered
	duplicate
	late
)

type jslot struct {
	ext  int64
	ts   uint32
	n    uint16 // payload bytes, in the slot's window of jitter.store
	full bool
}

// payloadSink takes the payloads the jitter buffer delivers in order. An
// interface rather than a func value: the receiver's method is called
// without a method-value wrapper frame on the stack.
type payloadSink interface {
	deliver(ts uint32, payload []byte)
}

// jitter is a small reorder buffer for one audio SSRC, keyed by extended
// sequence number (RFC 3550 Appendix A.1: the 16-bit sequence number extended
// across wraps). Packets in order are delivered at once; a missing packet is
// waited for until depth later packets have arrived (or flush is called on
// idle), then skipped as lost. It is used under the receiver's lock only.
type jitter struct {
	depth   int
	started bool
	next    int64  // extended sequence number to deliver next
	high    int64  // highest extended sequence number received
	emitted uint64 // bit i set: next-1-i was delivered (duplicate detection)
	lost    *atomic.Uint64
	out     payloadSink
	slots   [jitterSlots]jslot
	store   []byte // slot i's window: store[i*width : (i+1)*width]
	width   int
}

// fit makes every slot hold at least n bytes, keeping what they hold. The
// slots share one array of jitterSlots × the largest payload seen: sized to
// the negotiated packet time (160 B at 20 ms of G.711), not to maxPayload,
// which keeps a session 2.5 KiB smaller.
func (j *jitter) fit(n int) {
	if j.width >= n {
		return
	}
	store := make([]byte, jitterSlots*n)
	for i := range j.slots {
		copy(store[i*n:], j.window(i))
	}
	j.store, j.width = store, n
}

// window is slot i's part of the store.
func (j *jitter) window(i int) []byte {
	return j.store[i*j.width : (i+1)*j.width : (i+1)*j.width]
}

func (j *jitter) reset() {
	j.started = false
	j.emitted = 0
	for i := range j.slots {
		j.slots[i].full = false
	}
}

// extend maps seq to the extended sequence space around high.
func (j *jitter) extend(seq uint16) int64 {
	return j.high + int64(int16(seq-uint16(j.high)))
}

// push inserts one packet (payload at most maxPayload bytes) and delivers
// whatever became deliverable.
func (j *jitter) push(seq uint16, ts uint32, payload []byte) verdict {
	v := j.add(seq, ts, payload)
	if v.stored() {
		j.drain()
	}
	return v
}

// stored reports whether the packet went into the buffer.
func (v verdict) stored() bool { return v == accepted || v == reordered }

// add is push without the delivery of what became deliverable: the caller
// drains (the receiver does, so that add's frame is not under deliver on
// the stack). It delivers only to make room.
func (j *jitter) add(seq uint16, ts uint32, payload []byte) verdict {
	if !j.started {
		j.started = true
		j.high = 1<<32 + int64(seq)
		j.next = j.high
	}
	ext := j.extend(seq)
	d := ext - j.next
	if d < -resyncGap || d > resyncGap {
		j.reset() // the sender restarted its sequence: follow it
		return j.add(seq, ts, payload)
	}
	if d < 0 {
		if k := -d - 1; k < 64 && j.emitted>>uint(k)&1 == 1 {
			return duplicate
		}
		return late
	}
	for ext-j.next >= jitterSlots {
		j.advance() // make room: deliver or skip the oldest
	}
	i := int(ext % jitterSlots)
	s := &j.slots[i]
	if s.full && s.ext == ext {
		return duplicate
	}
	j.fit(len(payload))
	s.ext, s.ts, s.full = ext, ts, true
	s.n = uint16(copy(j.window(i), payload))
	v := accepted
	if ext > j.high {
		j.high = ext
	} else if ext < j.high {
		v = reordered
	}
	return v
}

// drain delivers in-order packets and skips a gap once depth packets past it
// have arrived.
func (j *jitter) drain() {
	for j.next <= j.high {
		s := &j.slots[j.next%jitterSlots]
		if !(s.full && s.ext == j.next) && j.high-j.next < int64(j.depth) {
			return
		}
		j.advance()
	}
}

// advance delivers (or skips, if missing) the packet at next.
func (j *jitter) advance() {
	i := int(j.next % jitterSlots)
	s := &j.slots[i]
	got := s.full && s.ext == j.next
	if got {
		s.full = false
		j.out.deliver(s.ts, j.window(i)[:s.n])
	} else {
		j.lost.Add(1)
	}
	j.emitted <<= 1
	if got {
		j.emitted |= 1
	}
	j.next++
}

// pending reports whether packets wait behind a gap.
func (j *jitter) pending() bool { return j.started && j.next <= j.high }

// flush delivers everything buffered, skipping gaps (called when the stream
// has gone quiet, so nothing more is worth waiting for).
func (j *jitter) flush() {
	for j.pending() {
		j.advance()
	}
}
