package rfc4733

import (
	"errors"
	"testing"
	"time"
)

func TestKeyPressShape(t *testing.T) {
	pkts, err := KeyPress('#', 100*time.Millisecond, 20*time.Millisecond, 8000)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		dur    uint16
		end    bool
		marker bool
		delay  time.Duration
	}
	ms := time.Millisecond
	wants := []want{
		{160, false, true, 0},
		{320, false, false, 20 * ms},
		{480, false, false, 40 * ms},
		{640, false, false, 60 * ms},
		{800, true, false, 80 * ms},
		{800, true, false, 100 * ms},
		{800, true, false, 120 * ms},
	}
	if len(pkts) != len(wants) {
		t.Fatalf("%d packets, want %d: %+v", len(pkts), len(wants), pkts)
	}
	for i, w := range wants {
		p := pkts[i]
		if p.Event.Code != 11 || p.Event.Volume != DefaultVolume {
			t.Errorf("packet %d: event %v, want code 11 volume %d", i, p.Event, DefaultVolume)
		}
		if p.Event.Duration != w.dur || p.Event.End != w.end || p.Marker != w.marker || p.Delay != w.delay {
			t.Errorf("packet %d = {dur %d end %v marker %v delay %v}, want %+v",
				i, p.Event.Duration, p.Event.End, p.Marker, p.Delay, w)
		}
	}
}

func TestKeyPressInvariants(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		d, interval time.Duration
		rate        int
		packets     int
		final       uint16
	}{
		{10 * ms, 20 * ms, 8000, 3, 80},     // shorter than one interval: end packets only
		{20 * ms, 20 * ms, 8000, 3, 160},    // exactly one interval
		{250 * ms, 20 * ms, 8000, 15, 2000}, // 13 intervals: 12 updates + 3 ends
		{100 * ms, 50 * ms, 8000, 4, 800},   // the 50 ms update rate of §2.5.1.2
		{100 * ms, 20 * ms, 16000, 7, 1600}, // telephone-event/16000
		{8 * time.Second, 20 * ms, 8000, 402, 64000},
	}
	for _, tt := range tests {
		pkts, err := KeyPress('1', tt.d, tt.interval, tt.rate)
		if err != nil {
			t.Fatalf("KeyPress(%v, %v, %d): %v", tt.d, tt.interval, tt.rate, err)
		}
		if len(pkts) != tt.packets {
			t.Errorf("KeyPress(%v, %v, %d): %d packets, want %d", tt.d, tt.interval, tt.rate, len(pkts), tt.packets)
		}
		if !pkts[0].Marker {
			t.Errorf("KeyPress(%v): first packet has no marker", tt.d)
		}
		var last Packet
		for i, p := range pkts {
			if i > 0 && p.Marker {
				t.Errorf("KeyPress(%v): marker on packet %d", tt.d, i)
			}
			if i > 0 && (p.Event.Duration < last.Event.Duration || p.Delay != last.Delay+tt.interval) {
				t.Errorf("KeyPress(%v): packet %d does not grow: %+v after %+v", tt.d, i, p, last)
			}
			if p.Event.End != (i >= len(pkts)-EndRepeats) {
				t.Errorf("KeyPress(%v): packet %d end=%v", tt.d, i, p.Event.End)
			}
			last = p
		}
		if last.Event.Duration != tt.final {
			t.Errorf("KeyPress(%v): final duration %d, want %d", tt.d, last.Event.Duration, tt.final)
		}
	}
}

func TestKeyPressErrors(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		digit       rune
		d, interval time.Duration
		rate        int
		want        error
	}{
		{'E', 100 * ms, 20 * ms, 8000, ErrNotDigit},
		{'1', 0, 20 * ms, 8000, ErrBadDuration},
		{'1', -ms, 20 * ms, 8000, ErrBadDuration},
		{'1', 100 * ms, 0, 8000, ErrBadDuration},
		{'1', 100 * ms, 20 * ms, 0, ErrBadDuration},
		{'1', 9 * time.Second, 20 * ms, 8000, ErrBadDuration}, // over 0xFFFF ticks
		{'1', time.Duration(1 << 62), 20 * ms, 8000, ErrBadDuration},
		{'1', 100 * ms, 20 * ms, 1 << 40, ErrBadDuration},
		{'1', time.Microsecond, 20 * ms, 8000, ErrBadDuration}, // rounds to 0 ticks
	}
	for _, tt := range tests {
		if _, err := KeyPress(tt.digit, tt.d, tt.interval, tt.rate); !errors.Is(err, tt.want) {
			t.Errorf("KeyPress(%q, %v, %v, %d) err = %v, want %v", tt.digit, tt.d, tt.interval, tt.rate, err, tt.want)
		}
	}
}

// TestKeyPressThroughReceiver checks the two halves agree, including when
// every packet but one end copy is lost.
func TestKeyPressThroughReceiver(t *testing.T) {
	for _, digit := range "0123456789*#ABCD" {
		pkts, err := KeyPress(digit, 120*time.Millisecond, 20*time.Millisecond, 8000)
		if err != nil {
			t.Fatal(err)
		}
		r := NewReceiver()
		var got []rune
		for i, p := range pkts {
			wire := p.Event.Encode(nil)
			e, err := Decode(wire)
			if err != nil {
				t.Fatal(err)
			}
			if d, ok := r.Push(42, 8000, uint16(i), e); ok {
				got = append(got, d)
			}
		}
		if string(got) != string(digit) {
			t.Errorf("digit %q: received %q", digit, string(got))
		}
		last := pkts[len(pkts)-1]
		if d, ok := NewReceiver().Push(42, 8000, 0, last.Event); !ok || d != digit {
			t.Errorf("digit %q from its last end copy only: %q %v", digit, d, ok)
		}
	}
}
