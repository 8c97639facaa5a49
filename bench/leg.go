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
	frames atomic.Uint64 // decoded frames handed to the hook
}

// openLeg opens and starts the RTP session of call c on pacer group g;
// decode decodes every frame that comes back into 20 ms frames handed to a
// hook (as the dialer's media legs take them), counted here.
func openLeg(ctx context.Context, c *dialer.Call, g *rtp.PacerGroup, remote netip.AddrPort, decode bool, cfg Config) (*leg, error) {
	l := &leg{c: c}
	rc := rtp.Config{
		Addr: netip.MustParseAddr("127.0.0.1"), Codec: media.CodecPCMU, AudioPT: media.CodecPCMU.PayloadType(),
		PacerGroup: g, Silence: rtp.SilenceNone, Logger: cfg.Logger,
	}
	if decode {
		rc.OnFrame = func([]int16) bool { l.frames.Add(1); return true }
	}
	s, err := rtp.Listen(rc)
	if err != nil {
		return nil, fmt.Errorf("open rtp: %w", err)
	}
	s.SetRemote(remote)
	l.s = s
	s.Start(ctx)
	return l, nil
}

// close hangs the call up and closes the session.
func (l *leg) close(ctx context.Context) error {
	err := l.c.Hangup(ctx)
	_ = l.s.Close()
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
