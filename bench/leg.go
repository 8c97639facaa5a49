package bench

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"sync/atomic"

	"outreach/dialer"
	"outreach/media"
	"outreach/media/rtp"
)

// leg is one media bench call: the dialer's call (signalling only) and our
// RTP session towards sipp's echo port.
type leg struct {
	c      *dialer.Call
	s      *rtp.Session
	frames atomic.Uint64 // decoded frames read
	done   chan struct{} // the frame reader ended
}

// openLeg opens and starts the RTP session of call c on pacer group g;
// decode reads (and so decodes) every frame that comes back, like a robot
// listening for speech and keys.
func openLeg(ctx context.Context, c *dialer.Call, g *rtp.PacerGroup, remote netip.AddrPort, decode bool, cfg Config) (*leg, error) {
	s, err := rtp.Listen(rtp.Config{
		Addr: netip.MustParseAddr("127.0.0.1"), Codec: media.CodecPCMU, AudioPT: media.CodecPCMU.PayloadType(),
		PacerGroup: g, Silence: rtp.SilenceNone, Logger: cfg.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("open rtp: %w", err)
	}
	s.SetRemote(remote)
	l := &leg{c: c, s: s, done: make(chan struct{})}
	if decode {
		frames := s.Frames()
		go func() { // owned by the leg: ends when the session closes Frames
			defer close(l.done)
			for range frames {
				l.frames.Add(1)
			}
		}()
	} else {
		close(l.done)
	}
	s.Start(ctx)
	return l, nil
}

// close hangs the call up and closes the session.
func (l *leg) close(ctx context.Context) error {
	err := l.c.Hangup(ctx)
	_ = l.s.Close()
	<-l.done
	return err
}

// closeLegs closes every leg, rampConc at a time.
func closeLegs(ctx context.Context, legs []*leg) {
	var wg sync.WaitGroup
	ch := make(chan *leg)
	for range rampConc {
		wg.Add(1)
		go func() { // owned here: ends when ch closes
			defer wg.Done()
			for l := range ch {
				_ = l.close(ctx)
			}
		}()
	}
	for _, l := range legs {
		if l != nil {
			ch <- l
		}
	}
	close(ch)
	wg.Wait()
}
