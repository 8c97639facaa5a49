package rtp

import (
	"sync/atomic"
	"testing"
	"time"
)

// hookRecorder is what a test's hooks saw, on the pacer's goroutine.
type hookRecorder struct {
	accept   bool
	frames   atomic.Int64
	digits   chan rune
	timeouts atomic.Int64
	timedOut chan struct{}
}

func (h *hookRecorder) install(cfg *Config) {
	h.digits, h.timedOut = make(chan rune, 8), make(chan struct{}, 2)
	cfg.OnFrame = func(f []int16) bool {
		if len(f) != 160 {
			panic("frame of wrong length")
		}
		h.frames.Add(1)
		return h.accept
	}
	cfg.OnDigit = func(d rune) bool {
		h.digits <- d
		return h.accept
	}
	cfg.OnTimeout = func() {
		h.timeouts.Add(1)
		h.timedOut <- struct{}{}
	}
}

// With hooks set, frames, keys (each once) and the media timeout reach the
// hooks and not the channels; a hook's refusal is counted as a drop.
func TestHooksReplaceChannels(t *testing.T) {
	tests := []struct {
		name                  string
		accept                bool
		droppedF, droppedKeys uint64
	}{
		{"accepting", true, 0, 0},
		{"refusing", false, 5, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &hookRecorder{accept: tt.accept}
			cfg := testCfg()
			cfg.MediaTimeout = 300 * time.Millisecond
			h.install(&cfg)
			s := listen(t, cfg)
			s.Start(ctxT(t))
			r := newRaw(t, s.LocalAddr())
			for i := range 5 {
				r.send(rtpPacket(0, i == 0, uint16(100+i), uint32(160*i), 7, fill(byte(i))))
			}
			key := []byte{5, 0x0a, 0, 160}
			r.send(rtpPacket(101, true, 200, 8000, 9, key))
			r.send(rtpPacket(101, true, 200, 8000, 9, key)) // duplicate
			end := []byte{5, 0x8a, 0x02, 0x80}
			for i := range 3 { // end ×3 (RFC 4733 §2.5.1.4)
				r.send(rtpPacket(101, false, uint16(201+i), 8000, 9, end))
			}
			if d := recvT(t, h.digits, "digit"); d != '5' {
				t.Fatalf("digit %q", d)
			}
			recvT(t, h.timedOut, "OnTimeout")
			select {
			case <-s.Timeout():
			default:
				t.Error("Timeout() not closed with OnTimeout set")
			}
			st := s.Stats()
			if h.frames.Load() != 5 || st.Digits != 1 || len(h.digits) != 0 || h.timeouts.Load() != 1 {
				t.Fatalf("hooks saw %d frames, %d more digits, %d timeouts; stats %+v",
					h.frames.Load(), len(h.digits), h.timeouts.Load(), st)
			}
			if st.DroppedFrames != tt.droppedF || st.DroppedDigits != tt.droppedKeys {
				t.Errorf("dropped frames %d digits %d, want %d and %d", st.DroppedFrames, st.DroppedDigits,
					tt.droppedF, tt.droppedKeys)
			}
			if len(s.Frames()) != 0 || len(s.Digits()) != 0 {
				t.Errorf("channels used: %d frames, %d digits", len(s.Frames()), len(s.Digits()))
			}
		})
	}
}

func recvT[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(3 * time.Second):
		t.Fatalf("no %s", what)
	}
	var zero T
	return zero
}
