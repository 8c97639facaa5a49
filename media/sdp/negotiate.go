package sdp

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"outreach/media"
)

// Negotiated is the outcome of an offer/answer exchange for the audio stream.
type Negotiated struct {
	Codec     media.Codec
	AudioPT   uint8          // payload type to send and expect for Codec
	EventPT   uint8          // telephone-event payload type; 0 = none negotiated
	Remote    netip.AddrPort // where to send RTP (c= address, m= port)
	Ptime     int            // ms
	Direction Direction      // our direction: SendOnly means we send but do not receive
}

// Negotiate reads the answer to our offer (dialer side, RFC 3264 §6.1, §7):
//
//   - the codec is the first one in the answer's m= line that we offered,
//     with the answer's payload type;
//   - telephone-event takes the answer's payload type, which may differ from
//     ours (sipp answers 96 to an offer of 101); EventPT is 0 when the answer
//     has none or we did not offer it;
//   - Remote is the answer's c= address and m= port;
//   - Ptime is the answer's a=ptime, else ours;
//   - Direction is ours: the answer's direction reversed, and c=0.0.0.0
//     (the RFC 2543 hold, RFC 3264 §8.4) means the peer receives nothing.
//
// A rejected stream (port 0), a non-RTP/AVP transport, no common codec or a
// c= address that is not an IP address is an error.
func Negotiate(offer Offer, answer *Description) (Negotiated, error) {
	if answer == nil {
		return Negotiated{}, fmt.Errorf("negotiate sdp: no answer: %w", ErrNoAudio)
	}
	if err := checkStream(answer); err != nil {
		return Negotiated{}, fmt.Errorf("negotiate sdp: %w", err)
	}
	offered := offer.codecs()
	var n Negotiated
	found := false
	for _, f := range answer.Formats {
		if c, ok := codecOf(f); ok && containsCodec(offered, c) {
			n.Codec, n.AudioPT, found = c, f.PayloadType, true
			break
		}
	}
	if !found {
		return Negotiated{}, fmt.Errorf("negotiate sdp: answer has %s, we offered %v: %w",
			formatList(answer.Formats), offered, ErrNoCommonCodec)
	}
	remote, err := remoteAddr(answer)
	if err != nil {
		return Negotiated{}, fmt.Errorf("negotiate sdp: %w", err)
	}
	n.Remote = remote
	if offer.eventPT() != 0 {
		if f, ok := answer.EventFormat(); ok {
			n.EventPT = f.PayloadType
		}
	}
	n.Ptime = offer.ptime()
	if answer.Ptime > 0 {
		n.Ptime = answer.Ptime
	}
	n.Direction = ourDirection(SendRecv, answer)
	return n, nil
}

// checkStream refuses descriptions without a usable audio stream.
func checkStream(d *Description) error {
	switch {
	case d.AudioPort == 0 && len(d.Formats) == 0 && d.Proto == "":
		return ErrNoAudio
	case d.AudioPort == 0:
		return ErrRejected
	case !isPlainRTP(d.Proto):
		return fmt.Errorf("%q: %w", clip(d.Proto), ErrProto)
	}
	return nil
}

// codecOf maps a format to a G.711 codec: by encoding name at 8000 Hz.
func codecOf(f Format) (media.Codec, bool) {
	if f.ClockRate != media.SampleRate {
		return 0, false
	}
	return media.CodecByName(f.Name)
}

// remoteAddr returns the peer's RTP address from c= and m=.
func remoteAddr(d *Description) (netip.AddrPort, error) {
	addr, err := netip.ParseAddr(d.ConnAddr)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("c= %q: %w", clip(d.ConnAddr), ErrBadAddress)
	}
	return netip.AddrPortFrom(addr.Unmap(), uint16(d.AudioPort)), nil
}

// ourDirection combines our wish with the peer's direction (RFC 3264 §6.1):
// we send only if the peer receives, we receive only if the peer sends. A
// c= address of 0.0.0.0 (or ::) is the old way to put a call on hold: the
// peer receives nothing (RFC 3264 §8.4).
func ourDirection(ours Direction, peer *Description) Direction {
	theirs := peer.Direction
	if a, err := netip.ParseAddr(peer.ConnAddr); err == nil && a.IsUnspecified() {
		theirs = directionOf(theirs.CanSend(), false)
	}
	return directionOf(ours.CanSend() && theirs.CanReceive(), ours.CanReceive() && theirs.CanSend())
}

// formatList renders formats for an error message: "0 PCMU/8000, 18 G729/8000".
func formatList(fs []Format) string {
	if len(fs) == 0 {
		return "no formats"
	}
	parts := make([]string, 0, len(fs))
	for i, f := range fs {
		if i == 8 {
			parts = append(parts, "…")
			break
		}
		name := f.Name
		if name == "" {
			name = "?"
		}
		parts = append(parts, strconv.Itoa(int(f.PayloadType))+" "+clip(name)+"/"+strconv.Itoa(f.ClockRate))
	}
	return strings.Join(parts, ", ")
}
