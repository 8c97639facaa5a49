package rfc4733

import (
	"errors"
	"testing"
)

func TestEventRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		ev   Event
		wire []byte
	}{
		{"digit 5 start", Event{Code: 5, Volume: 10, Duration: 0}, []byte{0x05, 0x0a, 0x00, 0x00}},
		{"digit 5 end", Event{Code: 5, End: true, Volume: 10, Duration: 0x08c0}, []byte{0x05, 0x8a, 0x08, 0xc0}},
		{"pound max volume", Event{Code: 11, Volume: 63, Duration: 0xffff}, []byte{0x0b, 0x3f, 0xff, 0xff}},
		{"flash", Event{Code: 16, End: true, Duration: 1}, []byte{0x10, 0x80, 0x00, 0x01}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.ev.Encode(nil)
			if string(got) != string(tt.wire) {
				t.Fatalf("Encode = % x, want % x", got, tt.wire)
			}
			back, err := Decode(got)
			if err != nil || back != tt.ev {
				t.Fatalf("Decode = %+v, %v; want %+v", back, err, tt.ev)
			}
		})
	}
}

func TestEncodeAppendsAndClamps(t *testing.T) {
	dst := []byte{0xaa}
	got := Event{Code: 1, Volume: 200}.Encode(dst)
	if len(got) != 5 || got[0] != 0xaa || got[2] != MaxVolume {
		t.Fatalf("Encode = % x", got)
	}
}

func TestDecodeIgnoresReservedBitAndTrailer(t *testing.T) {
	ev, err := Decode([]byte{0x03, 0xc5, 0x01, 0x40, 0xde, 0xad})
	if err != nil {
		t.Fatal(err)
	}
	want := Event{Code: 3, End: true, Volume: 5, Duration: 320}
	if ev != want {
		t.Fatalf("Decode = %+v, want %+v", ev, want)
	}
}

func TestDecodeShort(t *testing.T) {
	for n := 0; n < PayloadSize; n++ {
		if _, err := Decode(make([]byte, n)); !errors.Is(err, ErrShortPayload) {
			t.Errorf("Decode(%d bytes) err = %v, want ErrShortPayload", n, err)
		}
	}
}

func TestDigitCode(t *testing.T) {
	keys := []rune("0123456789*#ABCD")
	for code, key := range keys {
		d, ok := Digit(uint8(code))
		if !ok || d != key {
			t.Errorf("Digit(%d) = %q %v, want %q", code, d, ok, key)
		}
		c, ok := Code(key)
		if !ok || int(c) != code {
			t.Errorf("Code(%q) = %d %v, want %d", key, c, ok, code)
		}
	}
	for _, lower := range "abcd" {
		if c, ok := Code(lower); !ok || c != uint8(lower-'a'+12) {
			t.Errorf("Code(%q) = %d %v", lower, c, ok)
		}
	}
	for _, bad := range []rune{'E', 'x', ' ', '+', 0, '５'} {
		if _, ok := Code(bad); ok {
			t.Errorf("Code(%q) ok, want not a key", bad)
		}
	}
	for _, bad := range []uint8{16, 32, 255} {
		if _, ok := Digit(bad); ok {
			t.Errorf("Digit(%d) ok, want not a digit", bad)
		}
	}
}

func TestEventString(t *testing.T) {
	tests := []struct {
		ev   Event
		want string
	}{
		{Event{Code: 11, End: true, Volume: 10, Duration: 800}, "# end vol=10 dur=800"},
		{Event{Code: 16, Duration: 1}, "event(16) vol=0 dur=1"},
	}
	for _, tt := range tests {
		if got := tt.ev.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}
