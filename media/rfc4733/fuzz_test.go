package rfc4733

import (
	"encoding/binary"
	"testing"
	"time"
)

func FuzzDecode(f *testing.F) {
	f.Add([]byte{0x05, 0x0a, 0x00, 0x00})
	f.Add([]byte{0x0b, 0x8a, 0x08, 0xc0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x00})
	f.Add([]byte{0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := Decode(b)
		if err != nil {
			if len(b) >= PayloadSize {
				t.Fatalf("Decode(% x) failed: %v", b, err)
			}
			return
		}
		want := []byte{b[0], b[1] &^ 0x40, b[2], b[3]} // R bit is not sent back
		if got := e.Encode(nil); string(got) != string(want) {
			t.Fatalf("Encode(Decode(% x)) = % x", b, got)
		}
		_ = e.String()
	})
}

// fuzzPacketSize is the number of input bytes per packet in FuzzReceiver.
const fuzzPacketSize = 7

// FuzzReceiver feeds random packet sequences. Keys come from at most 3 SSRCs
// and 8 timestamps each (around a random base, so wrap-around happens), which
// a default Receiver remembers entirely: each key must then be reported
// exactly once, at its first packet, when that packet carries a digit code.
// The same bytes, read as unconstrained packets, go through a tiny Receiver
// that must not panic and never reports more digits than packets.
func FuzzReceiver(f *testing.F) {
	seed := make([]byte, 4)
	binary.BigEndian.PutUint32(seed, 0xfffff000)
	for i, p := range pressSeed('5') {
		seed = append(seed, 0, 0, byte(i), p[0], p[1], p[2], p[3])
	}
	for i, p := range pressSeed('#') {
		seed = append(seed, 1, 7, byte(i), p[0], p[1], p[2], p[3])
	}
	f.Add(seed)
	f.Add([]byte{0, 0, 0, 0, 2, 3, 1, 5, 0x8a, 0x03, 0x20, 2, 3, 1, 5, 0x8a, 0x03, 0x20})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 4 {
			return
		}
		base := binary.BigEndian.Uint32(b)
		checkExactlyOnce(t, base, b[4:])
		checkBounded(t, b)
	})
}

func pressSeed(digit rune) [][]byte {
	pkts, _ := KeyPress(digit, 60*time.Millisecond, 20*time.Millisecond, 8000)
	out := make([][]byte, len(pkts))
	for i, p := range pkts {
		out[i] = p.Event.Encode(nil)
	}
	return out
}

func checkExactlyOnce(t *testing.T, base uint32, b []byte) {
	type key struct{ ssrc, ts uint32 }
	r := NewReceiver()
	seen := map[key]bool{}
	for ; len(b) >= fuzzPacketSize; b = b[fuzzPacketSize:] {
		k := key{ssrc: uint32(b[0] % 3), ts: base + uint32(b[1]%8)*1000}
		e, _ := Decode(b[3:7])
		d, ok := r.Push(k.ssrc, k.ts, uint16(b[2]), e)
		first := !seen[k]
		seen[k] = true
		want, isDigit := Digit(e.Code)
		switch {
		case ok && !first:
			t.Fatalf("key %+v reported again (%q)", k, d)
		case ok && d != want:
			t.Fatalf("key %+v reported %q, packet carries %v", k, d, e)
		case !ok && first && isDigit:
			t.Fatalf("key %+v not reported at its first packet %v", k, e)
		}
	}
}

func checkBounded(t *testing.T, b []byte) {
	r := NewReceiverSize(2, 2)
	packets, digits := 0, 0
	for ; len(b) >= 14; b = b[14:] {
		e, _ := Decode(b[10:14])
		packets++
		if _, ok := r.Push(binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:]), binary.BigEndian.Uint16(b[8:]), e); ok {
			digits++
		}
	}
	if digits > packets || len(r.sources) > 2 {
		t.Fatalf("%d digits from %d packets, %d sources", digits, packets, len(r.sources))
	}
}

func FuzzParseDTMFRelay(f *testing.F) {
	for _, s := range []string{
		"Signal=5\r\nDuration=160\r\n", "signal= 11\nduration=250", "Signal=*", "SIGNAL:#\r\n",
		"Duration=100", "Signal=16", "Signal=1\r\nSignal=2", "5", "", "=\r\n:=", "Signal=\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		digit, d, err := ParseDTMFRelay(b)
		if err == nil {
			if _, ok := Code(digit); !ok {
				t.Fatalf("ParseDTMFRelay(%q) returned non-key %q", b, digit)
			}
			if d < 0 || d > maxRelayDuration {
				t.Fatalf("ParseDTMFRelay(%q) returned duration %v", b, d)
			}
		}
		digit, err = ParseDTMFInfo(b)
		if err == nil {
			if _, ok := Code(digit); !ok {
				t.Fatalf("ParseDTMFInfo(%q) returned non-key %q", b, digit)
			}
		}
	})
}
