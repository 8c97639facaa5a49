// Package sdp reads and writes the Session Description Protocol bodies of SIP
// calls (RFC 4566) and negotiates one audio stream by offer/answer (RFC 3264).
//
// It is deliberately narrow: one audio stream, G.711 (PCMA, PCMU) and
// telephone-event (RFC 4733). Parse accepts what real trunks send (FreeSWITCH,
// Asterisk, Kamailio/rtpengine relays, sipp, carrier gateways) and refuses
// oversized or malformed input with an error naming the line. Offer.Marshal
// builds the dialer's offer, Negotiate reads the answer to it, and Answer builds
// the callee's answer (used by the simulator).
package sdp

import (
	"errors"
	"fmt"
	"strings"
)

// Size limits of Parse.
const (
	MaxSize    = 64 << 10 // bytes of a session description
	MaxFormats = 64       // formats in one m= line
	MaxMedia   = 16       // m= lines
)

// TelephoneEvent is the encoding name of RFC 4733 events in a=rtpmap.
const TelephoneEvent = "telephone-event"

// Errors of parsing and negotiation; test them with errors.Is.
var (
	ErrTooLarge      = errors.New("sdp too large")
	ErrSyntax        = errors.New("sdp syntax error")
	ErrNoConnection  = errors.New("no c= line for the audio stream")
	ErrNoAudio       = errors.New("no audio stream")
	ErrRejected      = errors.New("audio stream rejected (port 0)")
	ErrNoCommonCodec = errors.New("no common codec")
	ErrBadAddress    = errors.New("connection address is not an IP address")
	ErrProto         = errors.New("unsupported transport protocol")
)

// SyntaxError reports a malformed line. It matches ErrSyntax with errors.Is.
type SyntaxError struct {
	Line   int    // 1-based line number
	Reason string // what is wrong
	Text   string // the line, clipped
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("sdp line %d: %s: %q", e.Line, e.Reason, e.Text)
}

// Is makes errors.Is(err, ErrSyntax) true for every SyntaxError.
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

// Format is one payload format of the audio m= line (RFC 4566 §5.14, §6).
type Format struct {
	PayloadType uint8
	Name        string // encoding name from a=rtpmap, or the static name (RFC 3551 §6)
	ClockRate   int    // Hz; 0 when unknown (dynamic type without a=rtpmap)
	Fmtp        string // a=fmtp parameters, "" if none
}

// Description is what a peer's session description says about its audio
// stream: the first audio m= line with a non-zero port, or, when every audio
// stream is rejected, the first audio m= line (AudioPort 0).
type Description struct {
	SessionID, SessionVersion uint64 // o= line (RFC 4566 §5.2)
	ConnAddr                  string // c= address of the audio stream (media level over session level), TTL stripped
	AudioPort                 int    // 0: rejected stream, or no audio stream (Formats empty)
	Proto                     string // transport of the audio m= line, e.g. "RTP/AVP"
	Formats                   []Format
	Ptime                     int // ms, 0 if absent (media level over session level)
	Direction                 Direction
}

// Format returns the format with payload type pt.
func (d *Description) Format(pt uint8) (Format, bool) {
	for _, f := range d.Formats {
		if f.PayloadType == pt {
			return f, true
		}
	}
	return Format{}, false
}

// EventFormat returns the first telephone-event/8000 format (RFC 4733 §7.1.1).
func (d *Description) EventFormat() (Format, bool) {
	for _, f := range d.Formats {
		if f.isEvent() {
			return f, true
		}
	}
	return Format{}, false
}

func (f Format) isEvent() bool {
	return strings.EqualFold(f.Name, TelephoneEvent) && f.ClockRate == 8000
}

// staticFormat returns the name and clock rate of the audio payload types
// with a static assignment (RFC 3551 §6, table 4), used when a=rtpmap is absent.
func staticFormat(pt uint8) (string, int) {
	switch pt {
	case 0:
		return "PCMU", 8000
	case 3:
		return "GSM", 8000
	case 4:
		return "G723", 8000
	case 8:
		return "PCMA", 8000
	case 9:
		return "G722", 8000
	case 13:
		return "CN", 8000
	case 18:
		return "G729", 8000
	}
	return "", 0
}

// isRTP reports whether proto is an RTP profile whose formats are payload
// types (RFC 4566 §5.14): RTP/AVP, RTP/SAVP, RTP/AVPF, UDP/TLS/RTP/SAVPF...
func isRTP(proto string) bool {
	return strings.Contains(strings.ToUpper(proto), "RTP/")
}

// isPlainRTP reports whether proto is plain (unencrypted) RTP, the only
// transport this package negotiates: RTP/AVP, or RTP/AVPF (RFC 4585).
func isPlainRTP(proto string) bool {
	p := strings.ToUpper(proto)
	return p == "RTP/AVP" || p == "RTP/AVPF"
}

// clip shortens a line quoted in an error.
func clip(s string) string {
	const limit = 60
	if len(s) > limit {
		return s[:limit] + "…"
	}
	return s
}
