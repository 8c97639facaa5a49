package sdp

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"outreach/media"
)

// Defaults of an Offer.
const (
	DefaultEventPT = 101 // dynamic payload type of telephone-event (RFC 4733 §7.1.1)
	DefaultPtime   = 20  // ms
)

// DefaultCodecs is the codec preference of offers and answers: A-law first,
// the law of Chinese (and most non-North-American) trunks, then µ-law.
func DefaultCodecs() []media.Codec { return []media.Codec{media.CodecPCMA, media.CodecPCMU} }

// Offer describes the dialer's audio offer (RFC 3264 §5).
type Offer struct {
	Addr           string        // public address written in c= and o= (the NAT's address when behind one)
	Port           int           // RTP port
	Codecs         []media.Codec // in preference order; default PCMA, PCMU
	EventPT        uint8         // telephone-event payload type, 96-127; default 101
	NoEvents       bool          // do not offer telephone-event
	Ptime          int           // ms; default 20
	SessionID      uint64        // o= sess-id
	SessionVersion uint64        // o= sess-version; increment it for each new offer in a dialog (RFC 3264 §8)
}

// Validate reports configuration mistakes that Marshal would paper over.
func (o Offer) Validate() error {
	var errs []error
	if _, err := netip.ParseAddr(o.Addr); err != nil {
		errs = append(errs, fmt.Errorf("sdp offer: address %q: %w", o.Addr, ErrBadAddress))
	}
	if o.Port <= 0 || o.Port > 65535 {
		errs = append(errs, fmt.Errorf("sdp offer: port %d out of range", o.Port))
	}
	if o.EventPT != 0 && (o.EventPT < 96 || o.EventPT > 127) {
		errs = append(errs, fmt.Errorf("sdp offer: telephone-event payload type %d is not dynamic (96-127)", o.EventPT))
	}
	for _, c := range o.Codecs {
		if c.PayloadType() > 127 {
			errs = append(errs, fmt.Errorf("sdp offer: unknown codec %v", c))
		}
	}
	if o.Ptime < 0 || o.Ptime > 200 {
		errs = append(errs, fmt.Errorf("sdp offer: ptime %d ms out of range", o.Ptime))
	}
	return errors.Join(errs...)
}

// codecs returns the offered codecs: known ones, without repeats, default
// PCMA, PCMU when none.
func (o Offer) codecs() []media.Codec {
	var out []media.Codec
	for _, c := range o.Codecs {
		if c.PayloadType() <= 127 && !containsCodec(out, c) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return DefaultCodecs()
	}
	return out
}

// eventPT returns the telephone-event payload type, 0 when not offered.
func (o Offer) eventPT() uint8 {
	switch {
	case o.NoEvents:
		return 0
	case o.EventPT >= 96 && o.EventPT <= 127:
		return o.EventPT
	}
	return DefaultEventPT
}

func (o Offer) ptime() int {
	if o.Ptime <= 0 || o.Ptime > 200 {
		return DefaultPtime
	}
	return o.Ptime
}

// Marshal writes the offer (RFC 4566 §5, RFC 3264 §5):
//
//	v=0
//	o=outreach <id> <version> IN IP4 <addr>
//	s=outreach
//	c=IN IP4 <addr>
//	t=0 0
//	m=audio <port> RTP/AVP 8 0 101
//	a=rtpmap:8 PCMA/8000
//	a=rtpmap:0 PCMU/8000
//	a=rtpmap:101 telephone-event/8000
//	a=fmtp:101 0-16
//	a=ptime:20
//	a=sendrecv
//
// IP6 is written for IPv6 addresses. Out-of-range fields fall back to their
// defaults; Validate reports them.
func (o Offer) Marshal() []byte {
	codecs := o.codecs()
	ev := o.eventPT()
	var m mediaDesc
	m.port = o.Port
	for _, c := range codecs {
		m.formats = append(m.formats, Format{PayloadType: c.PayloadType(), Name: c.String(), ClockRate: media.SampleRate})
	}
	if ev != 0 {
		m.formats = append(m.formats, eventFormat(ev))
	}
	m.ptime = o.ptime()
	m.dir = SendRecv
	return marshal(o.Addr, o.SessionID, o.SessionVersion, m)
}

// eventFormat is telephone-event/8000 for the 16 DTMF events (RFC 4733 §7.1.1, §3.2).
func eventFormat(pt uint8) Format {
	return Format{PayloadType: pt, Name: TelephoneEvent, ClockRate: 8000, Fmtp: "0-16"}
}

// mediaDesc is the audio m= section to write.
type mediaDesc struct {
	port    int
	formats []Format
	ptime   int
	dir     Direction
}

// marshal writes a one-stream session description.
func marshal(addr string, id, version uint64, m mediaDesc) []byte {
	addr = sanitizeAddr(addr)
	addrType := "IP4"
	if a, err := netip.ParseAddr(addr); err == nil && a.Is6() && !a.Is4In6() {
		addrType = "IP6"
	}
	port := min(max(m.port, 0), 65535)
	var b strings.Builder
	b.WriteString("v=0\r\n")
	fmt.Fprintf(&b, "o=outreach %d %d IN %s %s\r\n", id, version, addrType, addr)
	b.WriteString("s=outreach\r\n")
	fmt.Fprintf(&b, "c=IN %s %s\r\n", addrType, addr)
	b.WriteString("t=0 0\r\n")
	fmt.Fprintf(&b, "m=audio %d RTP/AVP", port)
	for _, f := range m.formats {
		b.WriteString(" " + strconv.Itoa(int(f.PayloadType)))
	}
	b.WriteString("\r\n")
	for _, f := range m.formats {
		fmt.Fprintf(&b, "a=rtpmap:%d %s/%d\r\n", f.PayloadType, f.Name, f.ClockRate)
		if f.Fmtp != "" {
			fmt.Fprintf(&b, "a=fmtp:%d %s\r\n", f.PayloadType, f.Fmtp)
		}
	}
	if m.ptime > 0 {
		fmt.Fprintf(&b, "a=ptime:%d\r\n", m.ptime)
	}
	fmt.Fprintf(&b, "a=%s\r\n", m.dir)
	return []byte(b.String())
}

// sanitizeAddr keeps an address from breaking the SDP: characters that
// cannot appear in an IP address or host name are dropped; empty becomes
// 0.0.0.0.
func sanitizeAddr(addr string) string {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '.', r == ':', r == '-':
			return r
		}
		return -1
	}, addr)
	if clean == "" {
		return "0.0.0.0"
	}
	return clean
}

func containsCodec(list []media.Codec, c media.Codec) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}
