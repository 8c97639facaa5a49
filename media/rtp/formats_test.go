package rtp

import (
	"errors"
	"testing"
	"time"

	"outreach/media"
)

// The answer chose telephone-event 96 and PCMA: the session switches in
// place (same port) and then takes events at 96, not 101; once started it
// refuses.
func TestSetFormatsBeforeStart(t *testing.T) {
	s := listen(t, testCfg())
	port := s.LocalAddr()
	if err := s.SetFormats(media.CodecPCMA, 8, 96); err != nil {
		t.Fatal(err)
	}
	s.Start(ctxT(t))
	if s.LocalAddr() != port {
		t.Fatalf("port moved from %v to %v", port, s.LocalAddr())
	}
	if err := s.SetFormats(media.CodecPCMU, 0, 101); !errors.Is(err, ErrStarted) {
		t.Fatalf("SetFormats after Start: %v, want ErrStarted", err)
	}
	r := newRaw(t, s.LocalAddr())
	ev := func(pt uint8, seq uint16, ts uint32, code byte) {
		r.send(rtpPacket(pt, true, seq, ts, 0xbeef, []byte{code, 0x8a, 0x03, 0x20}))
	}
	ev(101, 1, 800, 3) // the old event PT: unknown now
	ev(96, 2, 1600, 7)
	select {
	case d := <-s.Digits():
		if d != '7' {
			t.Fatalf("digit %q, want '7' (PT 101 must be ignored)", d)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no digit at PT 96")
	}
	if st := s.Stats(); st.UnknownPT == 0 {
		t.Errorf("PT 101 not counted as unknown: %+v", st)
	}
	_ = s.Close()
	if err := s.SetFormats(media.CodecPCMU, 0, 101); !errors.Is(err, ErrClosed) {
		t.Fatalf("SetFormats after Close: %v, want ErrClosed", err)
	}
}
