package rfc4733

// Default memory bounds of a Receiver.
const (
	// DefaultEventsPerSource is how many recent events a Receiver remembers per SSRC.
	DefaultEventsPerSource = 16
	// DefaultSources is how many SSRCs a Receiver tracks at once; the least
	// recently heard one is forgotten when a new one appears.
	DefaultSources = 8
)

// staleHorizon bounds how far back (in RTP timestamp units) an unknown event
// may be judged stale: 2^22 ticks is about 8.7 minutes at 8 kHz. An older
// timestamp is taken as a jump of the sender's clock (a new epoch), not as a
// late packet, so a sender that restarts its timestamps is never silenced.
const staleHorizon = 1 << 22

// segmentSlack is the tolerance on the timestamp of the next segment of a
// long-duration event (§2.5.1.3): it should start exactly 0xFFFF ticks after
// the previous segment; some senders round to 0x10000.
const segmentSlack = 0x100

// Receiver turns RTP telephone-event packets into key presses, reporting each
// key press exactly once (RFC 4733 §2.5.2).
//
// A key press is identified by (SSRC, RTP timestamp): every packet of one event,
// including the three copies of its end packet (§2.5.1.4), carries the
// timestamp of the event's start (§2.5.1.2). The digit is reported on the first
// packet of a new (SSRC, timestamp) pair, whatever it is:
//
//   - reporting at key down gives the lowest latency: a prompt can stop playing
//     as soon as the resident presses a key, without waiting for the release;
//   - the first packet may have a zero duration (sipp's pcaps do this), may be a
//     start or an update, or, when the start and updates were lost, an end
//     packet (§2.5.2.1): all of them report the key, and only once;
//   - duplicates, reordered packets and retransmitted end packets carry a
//     known timestamp and are ignored;
//   - two presses of the same key have different timestamps, so both count.
//
// The segments of a long-duration event (§2.5.1.3, an event over 0xFFFF
// ticks) are recognised and not reported again.
//
// Memory is bounded: the last DefaultEventsPerSource events of each of at most
// DefaultSources SSRCs are remembered. An unknown timestamp older than every
// remembered one of its SSRC is dropped as a stale late packet, because the
// Receiver can no longer tell whether it was already reported.
//
// Timestamps are compared in serial-number arithmetic, so wrap-around of the
// 32-bit RTP timestamp is handled. A Receiver is not safe for concurrent use.
type Receiver struct {
	perSource int
	sources   []source
	maxSrc    int
	clock     uint64 // counts pushes; orders sources by last use
}

type source struct {
	ssrc     uint32
	lastUsed uint64
	keys     []eventKey // ring buffer of the most recent events
	next     int        // ring index of the next insertion
	n        int        // number of valid entries
}

type eventKey struct {
	ts     uint32
	code   uint8
	ended  bool
	maxDur uint16
}

// NewReceiver returns a Receiver with the default memory bounds.
func NewReceiver() *Receiver {
	return NewReceiverSize(DefaultEventsPerSource, DefaultSources)
}

// NewReceiverSize returns a Receiver remembering eventsPerSource events for each
// of at most sources SSRCs. Values below 1 are raised to 1.
func NewReceiverSize(eventsPerSource, sources int) *Receiver {
	return &Receiver{perSource: max(eventsPerSource, 1), maxSrc: max(sources, 1)}
}

// Push feeds one received event packet (the SSRC, timestamp and sequence number
// of its RTP header and its decoded payload). It returns the digit when the
// packet is the first one seen of a new key press whose code is a DTMF digit
// (0-15); other events (e.g. flash, code 16) are tracked but not reported.
//
// The sequence number is not needed to identify a key press: all packets of an
// event share its timestamp (§2.5.1.2), and end packets are retransmitted with
// the same sequence number or new ones depending on the sender.
func (r *Receiver) Push(ssrc uint32, timestamp uint32, seq uint16, ev Event) (digit rune, ok bool) {
	src := r.source(ssrc)
	if k := src.find(timestamp); k != nil {
		k.update(ev)
		return 0, false
	}
	if src.stale(timestamp) {
		return 0, false
	}
	continued := src.continues(timestamp, ev.Code)
	src.insert(eventKey{ts: timestamp, code: ev.Code, ended: ev.End, maxDur: ev.Duration})
	if continued {
		return 0, false
	}
	return Digit(ev.Code)
}

// source returns the state of ssrc, creating it and evicting the least
// recently used SSRC when the table is full.
func (r *Receiver) source(ssrc uint32) *source {
	r.clock++
	for i := range r.sources {
		if r.sources[i].ssrc == ssrc {
			r.sources[i].lastUsed = r.clock
			return &r.sources[i]
		}
	}
	fresh := source{ssrc: ssrc, lastUsed: r.clock}
	if len(r.sources) < r.maxSrc {
		fresh.keys = make([]eventKey, r.perSource)
		r.sources = append(r.sources, fresh)
		return &r.sources[len(r.sources)-1]
	}
	oldest := 0
	for i := range r.sources {
		if r.sources[i].lastUsed < r.sources[oldest].lastUsed {
			oldest = i
		}
	}
	fresh.keys = r.sources[oldest].keys // reuse the ring's storage
	r.sources[oldest] = fresh
	return &r.sources[oldest]
}

func (s *source) find(ts uint32) *eventKey {
	for i := 0; i < s.n; i++ {
		if s.keys[i].ts == ts {
			return &s.keys[i]
		}
	}
	return nil
}

func (s *source) insert(k eventKey) {
	s.keys[s.next] = k
	s.next = (s.next + 1) % len(s.keys)
	if s.n < len(s.keys) {
		s.n++
	}
}

// stale reports whether ts is older than every remembered timestamp of a full
// ring (and within staleHorizon of them): such a packet may belong to an event
// that was reported and then forgotten.
func (s *source) stale(ts uint32) bool {
	if s.n < len(s.keys) {
		return false
	}
	for i := 0; i < s.n; i++ {
		older := s.keys[i].ts - ts // serial arithmetic: wraps when ts is newer
		if older == 0 || older >= staleHorizon {
			return false
		}
	}
	return true
}

// continues reports whether an event starting at ts with code is the next
// segment of a long-duration event (§2.5.1.3): the previous segment reported
// the maximum duration 0xFFFF without the E bit, and the new segment's
// timestamp is where the previous one ended.
func (s *source) continues(ts uint32, code uint8) bool {
	for i := 0; i < s.n; i++ {
		k := s.keys[i]
		if k.code != code || k.ended || k.maxDur != 0xFFFF {
			continue
		}
		gap := ts - k.ts
		if gap >= 0xFFFF-segmentSlack && gap <= 0xFFFF+segmentSlack {
			return true
		}
	}
	return false
}

func (k *eventKey) update(ev Event) {
	if ev.End {
		k.ended = true
	}
	if ev.Duration > k.maxDur {
		k.maxDur = ev.Duration
	}
}
