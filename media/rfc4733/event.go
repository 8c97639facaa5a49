// Package rfc4733 carries DTMF key presses as RTP telephone-events (RFC 4733)
// and as SIP INFO bodies (application/dtmf-relay, application/dtmf).
//
// It provides the 4-byte event payload codec (§2.3), a Receiver that turns a
// stream of event packets into key presses reported exactly once (§2.5.2), the
// packet schedule of one key press for senders (§2.5.1), and parsers for the
// SIP INFO bodies that some trunks send instead of RTP events.
//
// The package imports nothing of the project: it deals in payloads and RTP
// header fields, never in sockets.
package rfc4733

import (
	"errors"
	"fmt"
)

// PayloadSize is the size of one event payload (RFC 4733 §2.3).
const PayloadSize = 4

// MaxVolume is the largest volume value (−63 dBm0); the field is 6 bits wide (§2.3.4).
const MaxVolume = 63

// DefaultVolume is the power level senders use: −10 dBm0, the level commonly
// sent by gateways for DTMF (§2.3.4).
const DefaultVolume = 10

// ErrShortPayload is returned by Decode for payloads shorter than 4 bytes.
var ErrShortPayload = errors.New("rfc4733: payload shorter than 4 bytes")

// Event is one telephone-event payload (RFC 4733 §2.3):
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|     event     |E|R| volume    |          duration             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
type Event struct {
	Code     uint8  // event code; 0-15 are the DTMF digits (§3.2)
	End      bool   // E bit: this packet reports the end of the event (§2.3.3)
	Volume   uint8  // power level in −dBm0, 0..63 (§2.3.4)
	Duration uint16 // duration so far, in RTP timestamp units (§2.3.5)
}

// Decode parses the first 4 bytes of an RTP telephone-event payload. The R bit
// is ignored as §2.3.3 requires. Extra trailing bytes are ignored. It never panics.
func Decode(payload []byte) (Event, error) {
	if len(payload) < PayloadSize {
		return Event{}, fmt.Errorf("decode telephone-event (%d bytes): %w", len(payload), ErrShortPayload)
	}
	return Event{
		Code:     payload[0],
		End:      payload[1]&0x80 != 0,
		Volume:   payload[1] & 0x3f,
		Duration: uint16(payload[2])<<8 | uint16(payload[3]),
	}, nil
}

// Encode appends the 4-byte payload of e to dst and returns the extended
// slice. Volumes above 63 are clamped; the R bit is always sent as zero (§2.3.3).
func (e Event) Encode(dst []byte) []byte {
	vol := e.Volume
	if vol > MaxVolume {
		vol = MaxVolume
	}
	b1 := vol
	if e.End {
		b1 |= 0x80
	}
	return append(dst, e.Code, b1, byte(e.Duration>>8), byte(e.Duration))
}

// String renders the event for logs, e.g. "5 end vol=10 dur=800".
func (e Event) String() string {
	name := fmt.Sprintf("event(%d)", e.Code)
	if d, ok := Digit(e.Code); ok {
		name = string(d)
	}
	end := ""
	if e.End {
		end = " end"
	}
	return fmt.Sprintf("%s%s vol=%d dur=%d", name, end, e.Volume, e.Duration)
}

// digits maps the DTMF event codes 0-15 to their keys (RFC 4733 §3.2, Table 7).
const digits = "0123456789*#ABCD"

// Digit returns the key of a DTMF event code: 0-9 → '0'-'9', 10 → '*',
// 11 → '#', 12-15 → 'A'-'D' (§3.2). Other codes are not digits.
func Digit(code uint8) (rune, bool) {
	if int(code) >= len(digits) {
		return 0, false
	}
	return rune(digits[code]), true
}

// Code returns the event code of a DTMF key (§3.2). Letters are accepted in
// either case.
func Code(digit rune) (uint8, bool) {
	switch {
	case digit >= '0' && digit <= '9':
		return uint8(digit - '0'), true
	case digit == '*':
		return 10, true
	case digit == '#':
		return 11, true
	case digit >= 'A' && digit <= 'D':
		return uint8(digit-'A') + 12, true
	case digit >= 'a' && digit <= 'd':
		return uint8(digit-'a') + 12, true
	}
	return 0, false
}
