package rtp

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestJitterTable(t *testing.T) {
	tests := []struct {
		name  string
		seqs  []uint16
		flush bool
		want  []uint16
		lost  uint64
	}{
		{"in order", []uint16{5, 6, 7}, false, []uint16{5, 6, 7}, 0},
		{"gap waits", []uint16{5, 7}, false, []uint16{5}, 0},
		{"gap flushed", []uint16{5, 7}, true, []uint16{5, 7}, 1},
		{"gap given up after depth", []uint16{5, 7, 8, 9}, false, []uint16{5, 7, 8, 9}, 1},
		{"wrap", []uint16{65535, 0, 1}, false, []uint16{65535, 0, 1}, 0},
		{"far jump restarts", []uint16{5, 6, 40000, 40001}, false, []uint16{5, 6, 40000, 40001}, 0},
		{"jump beyond window", []uint16{5, 20}, true, []uint16{5, 20}, 14},
		{"late dropped", []uint16{5, 7, 8, 9, 6}, false, []uint16{5, 7, 8, 9}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []uint16
			var lost atomic.Uint64
			j := jitter{depth: 3, lost: &lost}
			j.out = deliverFunc(func(ts uint32, p []byte) { got = append(got, uint16(ts)) })
			for _, q := range tt.seqs {
				j.push(q, uint32(q), []byte{1})
			}
			if tt.flush {
				j.flush()
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
			if lost.Load() != tt.lost {
				t.Fatalf("lost %d, want %d", lost.Load(), tt.lost)
			}
		})
	}
}

func TestHistogramPercentiles(t *testing.T) {
	var h histogram
	for i := range 100 {
		h.add(time.Duration(i)*10*time.Microsecond, 1) // 0..990 µs
	}
	h.add(50*time.Millisecond, 1)
	h.add(time.Hour, 1) // overflow bucket
	l := h.summary()
	if l.Count != 102 || l.Max != time.Hour {
		t.Fatalf("%+v", l)
	}
	if l.P50 < 475*time.Microsecond || l.P50 > 525*time.Microsecond {
		t.Fatalf("p50 %v", l.P50)
	}
	if l.P99 < 975*time.Microsecond || l.P99 > 51*time.Millisecond {
		t.Fatalf("p99 %v", l.P99)
	}
	if m := mergeLateness([]*histogram{&h, &h}); m.Count != 204 || m.P50 != l.P50 {
		t.Fatalf("merge %+v", m)
	}
	if (&histogram{}).summary() != (Lateness{}) {
		t.Fatal("empty histogram")
	}
}

func TestSilenceModeString(t *testing.T) {
	for m, want := range map[SilenceMode]string{SilenceComfort: "comfort", SilenceNone: "none", 9: "SilenceMode(9)"} {
		if m.String() != want {
			t.Errorf("%d: %q", m, m.String())
		}
	}
}

// deliverFunc adapts a func to payloadSink.
type deliverFunc func(ts uint32, payload []byte)

func (f deliverFunc) deliver(ts uint32, payload []byte) { f(ts, payload) }
