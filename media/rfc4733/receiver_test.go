package rfc4733

import (
	"testing"
	"time"
)

// pkt is one received event packet.
type pkt struct {
	ssrc uint32
	ts   uint32
	seq  uint16
	ev   Event
}

// press returns the packets of one key press as a sender following §2.5.1
// emits them, built with KeyPress.
func press(t *testing.T, ssrc, ts uint32, seq uint16, digit rune) []pkt {
	t.Helper()
	packets, err := KeyPress(digit, 100*time.Millisecond, 20*time.Millisecond, 8000)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]pkt, len(packets))
	for i, p := range packets {
		out[i] = pkt{ssrc: ssrc, ts: ts, seq: seq + uint16(i), ev: p.Event}
	}
	return out
}

func feed(r *Receiver, pkts []pkt) string {
	var got []rune
	for _, p := range pkts {
		if d, ok := r.Push(p.ssrc, p.ts, p.seq, p.ev); ok {
			got = append(got, d)
		}
	}
	return string(got)
}

func cat(parts ...[]pkt) []pkt {
	var out []pkt
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func ev(code uint8, end bool, dur uint16) Event {
	return Event{Code: code, End: end, Volume: 10, Duration: dur}
}

func TestReceiverScenarios(t *testing.T) {
	tests := []struct {
		name string
		pkts func(t *testing.T) []pkt
		want string
	}{
		{"one press", func(t *testing.T) []pkt { return press(t, 1, 1000, 10, '5') }, "5"},
		{"every packet duplicated", func(t *testing.T) []pkt {
			var out []pkt
			for _, p := range press(t, 1, 1000, 10, '7') {
				out = append(out, p, p)
			}
			return out
		}, "7"},
		{"only the end packets (start lost)", func(t *testing.T) []pkt {
			return []pkt{{1, 500, 3, ev(9, true, 800)}, {1, 500, 4, ev(9, true, 800)}, {1, 500, 5, ev(9, true, 800)}}
		}, "9"},
		{"first packet of duration 0", func(t *testing.T) []pkt {
			return []pkt{{1, 0, 1, ev(1, false, 0)}, {1, 0, 2, ev(1, false, 160)}, {1, 0, 3, ev(1, true, 320)}}
		}, "1"},
		{"reordered", func(t *testing.T) []pkt {
			p := press(t, 1, 4000, 10, '3')
			for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
				p[i], p[j] = p[j], p[i]
			}
			return p
		}, "3"},
		{"same key twice", func(t *testing.T) []pkt {
			return cat(press(t, 1, 1000, 10, '5'), press(t, 1, 3000, 20, '5'))
		}, "55"},
		{"a sequence of keys", func(t *testing.T) []pkt {
			return cat(press(t, 1, 1000, 1, '3'), press(t, 1, 3000, 9, '6'), press(t, 1, 5000, 17, '5'), press(t, 1, 7000, 25, '#'))
		}, "365#"},
		{"two SSRCs interleaved", func(t *testing.T) []pkt {
			a, b := press(t, 0xaaaa, 1000, 10, '1'), press(t, 0xbbbb, 1000, 500, '2')
			var out []pkt
			for i := range a {
				out = append(out, a[i], b[i])
			}
			return out
		}, "12"},
		{"timestamp wrap-around", func(t *testing.T) []pkt {
			return cat(press(t, 1, 0xffffff00, 10, '4'), press(t, 1, 0x00000100, 20, '2'), press(t, 1, 0xffffff00, 10, '4'))
		}, "42"},
		{"non-digit event ignored", func(t *testing.T) []pkt {
			return []pkt{{1, 100, 1, ev(16, false, 0)}, {1, 100, 2, ev(16, true, 800)}}
		}, ""},
		{"end packets retransmitted after the next key starts", func(t *testing.T) []pkt {
			a, b := press(t, 1, 1000, 10, '1'), press(t, 1, 2000, 20, '2')
			return cat(a[:len(a)-1], b[:1], a[len(a)-1:], b[1:])
		}, "12"},
		{"long-duration event in two segments (§2.5.1.3)", func(t *testing.T) []pkt {
			return []pkt{
				{1, 1000, 1, ev(0, false, 160)}, {1, 1000, 2, ev(0, false, 0xffff)},
				{1, 1000 + 0xffff, 3, ev(0, false, 160)}, {1, 1000 + 0xffff, 4, ev(0, true, 800)},
			}
		}, "0"},
		{"sipp-style end packets with same seq", func(t *testing.T) []pkt {
			return []pkt{{7, 43200, 8155, ev(5, false, 0)}, {7, 43200, 8162, ev(5, true, 2240)}, {7, 43200, 8162, ev(5, true, 2240)}}
		}, "5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := feed(NewReceiver(), tt.pkts(t)); got != tt.want {
				t.Fatalf("digits = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReceiverForgetsOldEvents(t *testing.T) {
	r := NewReceiverSize(4, 2)
	var all []pkt
	for i := 0; i < 6; i++ {
		all = append(all, pkt{1, uint32(1000 + i*1000), uint16(i), ev(uint8(i), true, 800)})
	}
	if got := feed(r, all); got != "012345" {
		t.Fatalf("digits = %q", got)
	}
	// A late copy of the first event: older than every remembered timestamp,
	// so it is dropped instead of reported twice.
	if d, ok := r.Push(1, 1000, 0, ev(0, true, 800)); ok {
		t.Fatalf("stale packet reported %q", d)
	}
	// A late copy of a remembered event.
	if d, ok := r.Push(1, 5000, 4, ev(4, true, 800)); ok {
		t.Fatalf("duplicate reported %q", d)
	}
	// The sender's clock jumps far back (a new epoch): still reported.
	epoch := uint32(1000)
	epoch -= staleHorizon
	if d, ok := r.Push(1, epoch, 9, ev(7, false, 0)); !ok || d != '7' {
		t.Fatalf("new epoch: got %q %v, want '7'", d, ok)
	}
}

func TestReceiverStaleAcrossWrap(t *testing.T) {
	r := NewReceiverSize(2, 1)
	feed(r, []pkt{{1, 0xfffffe00, 1, ev(1, true, 160)}, {1, 0x00000100, 2, ev(2, true, 160)}, {1, 0x00000300, 3, ev(3, true, 160)}})
	if d, ok := r.Push(1, 0xfffffe00, 1, ev(1, true, 160)); ok {
		t.Fatalf("stale packet before the wrap reported %q", d)
	}
}

func TestReceiverBoundsSources(t *testing.T) {
	r := NewReceiver()
	for ssrc := uint32(0); ssrc < 100; ssrc++ {
		if _, ok := r.Push(ssrc, 1000, 1, ev(1, false, 0)); !ok {
			t.Fatalf("ssrc %d: first press not reported", ssrc)
		}
	}
	if len(r.sources) != DefaultSources {
		t.Fatalf("tracking %d sources, want %d", len(r.sources), DefaultSources)
	}
	for i := range r.sources {
		if len(r.sources[i].keys) != DefaultEventsPerSource {
			t.Fatalf("source ring of %d, want %d", len(r.sources[i].keys), DefaultEventsPerSource)
		}
	}
	// The most recent source is still remembered.
	if _, ok := r.Push(99, 1000, 2, ev(1, true, 800)); ok {
		t.Fatal("recent source forgot its event")
	}
}

func TestReceiverAllocatesNothingPerPacket(t *testing.T) {
	r := NewReceiver()
	r.Push(1, 0, 0, ev(1, false, 0))
	ts := uint32(0)
	allocs := testing.AllocsPerRun(100, func() {
		ts += 1000
		r.Push(1, ts, 0, ev(1, false, 0))
		r.Push(1, ts, 1, ev(1, true, 800))
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per press", allocs)
	}
}

func BenchmarkReceiverPush(b *testing.B) {
	r := NewReceiver()
	e := ev(5, false, 160)
	for i := 0; b.Loop(); i++ {
		r.Push(uint32(i&3), uint32(i/8)*1000, uint16(i), e)
	}
}
