package sdp

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"net/netip"

	"outreach/media"
)

// answerEvents is the telephone-event range we answer: the 16 DTMF events,
// a subset of any offer (RFC 4733 §7.1.1: no fmtp means 0-15).
const answerEvents = "0-15"

// Answer builds the callee's answer to an offer (RFC 3264 §6.1), as the
// simulator does: the codec is the first of prefer (default PCMA, PCMU) that
// the offer contains, answered with the offer's payload type; the offer's
// telephone-event payload type is echoed when it has one; ptime is the
// offer's, else 20 ms; the direction mirrors the offer's. The answer lists
// only the chosen codec and telephone-event, so both sides agree on one
// format. addr (an IP address) and port are written in c=, o= and m=.
//
// The returned Negotiated describes the stream from the callee's side:
// Remote is the offerer's address. An offer without a usable audio stream or
// without a common codec is an error (the SIP layer answers 488).
func Answer(offer *Description, addr string, port int, prefer []media.Codec) ([]byte, Negotiated, error) {
	if offer == nil {
		return nil, Negotiated{}, fmt.Errorf("answer sdp: no offer: %w", ErrNoAudio)
	}
	if err := checkStream(offer); err != nil {
		return nil, Negotiated{}, fmt.Errorf("answer sdp: %w", err)
	}
	if _, err := netip.ParseAddr(addr); err != nil {
		return nil, Negotiated{}, fmt.Errorf("answer sdp: our address %q: %w", clip(addr), ErrBadAddress)
	}
	if port <= 0 || port > 65535 {
		return nil, Negotiated{}, fmt.Errorf("answer sdp: our port %d out of range", port)
	}
	if len(prefer) == 0 {
		prefer = DefaultCodecs()
	}
	n, ok := pickPreferred(offer, prefer)
	if !ok {
		return nil, Negotiated{}, fmt.Errorf("answer sdp: offer has %s, we support %v: %w",
			formatList(offer.Formats), prefer, ErrNoCommonCodec)
	}
	remote, err := remoteAddr(offer)
	if err != nil {
		return nil, Negotiated{}, fmt.Errorf("answer sdp: %w", err)
	}
	n.Remote = remote
	n.Ptime = DefaultPtime
	if offer.Ptime > 0 {
		n.Ptime = offer.Ptime
	}
	n.Direction = ourDirection(SendRecv, offer)

	m := mediaDesc{port: port, ptime: n.Ptime, dir: n.Direction}
	m.formats = append(m.formats, Format{PayloadType: n.AudioPT, Name: n.Codec.String(), ClockRate: media.SampleRate})
	if n.EventPT != 0 {
		f := eventFormat(n.EventPT)
		f.Fmtp = answerEvents
		m.formats = append(m.formats, f)
	}
	id := answerSessionID(offer, addr, port)
	return marshal(addr, id, id, m), n, nil
}

// pickPreferred returns the first codec of prefer present in the offer, with
// the offer's payload types for it and for telephone-event.
func pickPreferred(offer *Description, prefer []media.Codec) (Negotiated, bool) {
	for _, want := range prefer {
		for _, f := range offer.Formats {
			if c, ok := codecOf(f); ok && c == want {
				n := Negotiated{Codec: c, AudioPT: f.PayloadType}
				if ev, ok := offer.EventFormat(); ok {
					n.EventPT = ev.PayloadType
				}
				return n, true
			}
		}
	}
	return Negotiated{}, false
}

// answerSessionID derives the answer's o= session id from the offer and our
// address, so answers are reproducible without a random source; bit 63 is
// cleared to keep it within the signed range some parsers expect.
func answerSessionID(offer *Description, addr string, port int) uint64 {
	h := fnv.New64a()
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], offer.SessionID)
	binary.BigEndian.PutUint64(b[8:], uint64(port))
	h.Write(b[:])
	h.Write([]byte(addr))
	return h.Sum64() &^ (1 << 63)
}
