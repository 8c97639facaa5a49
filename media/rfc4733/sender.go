package rfc4733

import (
	"errors"
	"fmt"
	"time"
)

// maxClockRate bounds the RTP clock rates KeyPress accepts (telephone-event
// is registered at 8000 and sometimes 16000 or 48000 Hz).
const maxClockRate = 192000

// EndRepeats is how many times the final packet of an event is sent (§2.5.1.4).
const EndRepeats = 3

// Errors returned by KeyPress.
var (
	ErrNotDigit    = errors.New("rfc4733: not a DTMF key")
	ErrBadDuration = errors.New("rfc4733: duration out of range")
)

// Packet is one RTP packet of a key press. All packets of a key press carry the
// same RTP timestamp (the start of the event, §2.5.1.2) and consecutive
// sequence numbers; the sender fills in those header fields.
type Packet struct {
	Event  Event
	Marker bool          // RTP marker bit: set on the first packet of the event (§2.5.1.2)
	Delay  time.Duration // when to send it, counted from the first packet
}

// KeyPress returns the packets of one press of digit lasting d, sent every
// interval (usually the audio packet time, 20 ms) at the RTP clock rate
// (8000 for telephone-event/8000):
//
//   - one packet per interval, all with the event's start timestamp; the first
//     has the marker bit (§2.5.1.2);
//   - each packet reports the duration so far, counting the interval it opens
//     (like an audio packet covering that interval), so it grows by one
//     interval per packet (§2.5.1.2, §2.3.5);
//   - the final packet has the E bit and the full duration, and is sent
//     EndRepeats (3) times, one interval apart (§2.5.1.4).
//
// A press shorter than one interval is a single end packet, with the marker
// on its first copy. Durations above 0xFFFF timestamp units (8.19 s at 8 kHz)
// would need long-duration segments (§2.5.1.3), which no key press needs:
// they are refused.
func KeyPress(digit rune, d, interval time.Duration, clockRate int) ([]Packet, error) {
	code, ok := Code(digit)
	if !ok {
		return nil, fmt.Errorf("key press %q: %w", digit, ErrNotDigit)
	}
	// Bounds checked before converting, so the products cannot overflow.
	if clockRate <= 0 || clockRate > maxClockRate || interval <= 0 || interval > time.Minute {
		return nil, fmt.Errorf("key press %q: clock rate %d, interval %v: %w", digit, clockRate, interval, ErrBadDuration)
	}
	if d <= 0 || d > time.Minute {
		return nil, fmt.Errorf("key press %q lasting %v: %w", digit, d, ErrBadDuration)
	}
	total := samples(d, clockRate)
	step := samples(interval, clockRate)
	if total < 1 || total > 0xFFFF || step < 1 {
		return nil, fmt.Errorf("key press %q lasting %v at %d Hz: %w", digit, d, clockRate, ErrBadDuration)
	}
	n := int((total + step - 1) / step) // intervals covered by the press
	pkts := make([]Packet, 0, n-1+EndRepeats)
	for k := 0; k < n-1; k++ {
		pkts = append(pkts, Packet{
			Event:  Event{Code: code, Volume: DefaultVolume, Duration: uint16(int64(k+1) * step)},
			Marker: k == 0,
			Delay:  time.Duration(k) * interval,
		})
	}
	for j := 0; j < EndRepeats; j++ {
		pkts = append(pkts, Packet{
			Event:  Event{Code: code, End: true, Volume: DefaultVolume, Duration: uint16(total)},
			Marker: n == 1 && j == 0,
			Delay:  time.Duration(n-1+j) * interval,
		})
	}
	return pkts, nil
}

// samples converts a duration to RTP timestamp units at clockRate, rounded to
// the nearest unit.
func samples(d time.Duration, clockRate int) int64 {
	return (int64(d)*int64(clockRate) + int64(time.Second)/2) / int64(time.Second)
}
