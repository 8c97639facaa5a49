package dialer

import (
	"context"
	"fmt"
	"sync"
	"time"

	"outreach/media"
	"outreach/media/rtp"
	"outreach/media/sdp"
)

// rtpLeg is a call's real media: an rtp.Session negotiated with media/sdp.
// What the session receives reaches the leg's input through the session's
// hooks (see leginput.go), on the session's pacer goroutine.
type rtpLeg struct {
	d      *Dialer
	record bool
	off    sdp.Offer
	in     legInput

	mu      sync.Mutex // never taken by the session's hooks, so held while a session closes
	sess    *rtp.Session
	neg     sdp.Negotiated
	started bool
	answer  []byte // our SDP for refreshes
}

func (d *Dialer) openRTPLeg(req Request) (*rtpLeg, error) {
	codecs := sdp.DefaultCodecs()
	l := &rtpLeg{d: d, record: req.Record, in: legInput{out: make(chan []int16, 64)}}
	l.off = sdp.Offer{Addr: d.host, Codecs: codecs, EventPT: sdp.DefaultEventPT,
		SessionID: uint64(d.now().UnixNano()), SessionVersion: 1}
	s, err := l.listen(codecs[0], codecs[0].PayloadType(), sdp.DefaultEventPT, 0)
	if err != nil {
		return nil, err
	}
	l.sess = s
	l.off.Port = int(s.LocalAddr().Port())
	l.neg = sdp.Negotiated{Codec: codecs[0], AudioPT: codecs[0].PayloadType(), EventPT: sdp.DefaultEventPT}
	return l, nil
}

// listen binds a session whose hooks feed the leg's input; port 0 picks
// one from the configured range.
func (l *rtpLeg) listen(c media.Codec, audioPT, eventPT uint8, port int) (*rtp.Session, error) {
	d := l.d
	cfg := rtp.Config{
		Addr: d.rtpBind, PortMin: d.cfg.RTPPortMin, PortMax: d.cfg.RTPPortMax,
		Codec: c, AudioPT: audioPT, EventPT: eventPT,
		MediaTimeout: d.cfg.MediaTimeout, Logger: d.log, PacerGroup: d.pacers, Now: d.now,
		OnFrame: l.in.frame, OnDigit: l.in.digit, OnTimeout: l.in.timeout,
	}
	if port != 0 {
		cfg.PortMin, cfg.PortMax = port, port
	}
	// An ephemeral port may be odd; RTP wants even ones (RFC 3550 §11) and
	// reopen needs one, so odd ephemeral ports are given back.
	for try := 0; ; try++ {
		s, err := rtp.Listen(cfg)
		if err != nil {
			return nil, fmt.Errorf("rtp: %w", err)
		}
		if s.LocalAddr().Port()%2 == 0 || try == 16 {
			return s, nil
		}
		_ = s.Close()
	}
}

func (l *rtpLeg) offer() []byte { return l.off.Marshal() }

// remote negotiates the answer (RFC 3264 §6.1) and starts the session. If
// the answer chose other payload types than the session was opened with,
// the session is reopened on the same port with the negotiated ones.
func (l *rtpLeg) remote(body []byte, early bool) error {
	if len(body) == 0 {
		return l.confirm()
	}
	desc, err := sdp.Parse(body)
	if err != nil {
		return err
	}
	neg, err := sdp.Negotiate(l.off, desc)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !early {
		l.in.answer()
	}
	if l.started && neg.Codec == l.neg.Codec && neg.AudioPT == l.neg.AudioPT && neg.EventPT == l.neg.EventPT {
		l.sess.SetRemote(neg.Remote)
		return nil
	}
	if l.started || neg.Codec != l.neg.Codec || neg.AudioPT != l.neg.AudioPT || neg.EventPT != l.neg.EventPT {
		if err := l.reopen(neg); err != nil {
			return err
		}
	}
	l.neg = neg
	l.sess.SetRemote(neg.Remote)
	ans := l.off
	ans.Codecs, ans.NoEvents = []media.Codec{neg.Codec}, neg.EventPT == 0
	if neg.EventPT != 0 {
		ans.EventPT = neg.EventPT
	}
	ans.SessionVersion = l.off.SessionVersion + 1
	l.answer = ans.Marshal()
	if !l.started {
		l.start()
	}
	return nil
}

// confirm handles a 2xx without SDP: the answer must then have come in
// early media (a 183), else there is no usable media (RFC 3264 §4).
func (l *rtpLeg) confirm() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.started {
		return fmt.Errorf("no SDP answer")
	}
	l.in.answer()
	return nil
}

// reopen switches the session to the negotiated formats (mu held): in place
// before it started, so the offered port never leaves our hands; else by a
// new session on the same port.
func (l *rtpLeg) reopen(neg sdp.Negotiated) error {
	if !l.started && l.sess.SetFormats(neg.Codec, neg.AudioPT, neg.EventPT) == nil {
		return nil
	}
	port := int(l.sess.LocalAddr().Port())
	wasStarted := l.started
	_ = l.sess.Close() // returns once its hooks have run for the last time
	l.in.reopened()
	s, err := l.listen(neg.Codec, neg.AudioPT, neg.EventPT, port)
	if err != nil {
		return err
	}
	l.sess, l.started = s, false
	if wasStarted {
		l.start()
	}
	return nil
}

// start runs the session (mu held); its hooks deliver what it receives.
func (l *rtpLeg) start() {
	if l.record {
		l.sess.EnableRecording()
	}
	l.sess.Start(context.Background()) // ended by Close, never by a caller's context
	l.started = true
}

func (l *rtpLeg) answerBody() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.answer == nil {
		return l.off.Marshal()
	}
	return l.answer
}

func (l *rtpLeg) play(ctx context.Context, pcm []int16, interrupt <-chan struct{}) (time.Duration, error) {
	l.mu.Lock()
	s, ok := l.sess, l.started
	l.mu.Unlock()
	if !ok {
		return 0, fmt.Errorf("play: media not started")
	}
	return s.Play(ctx, pcm, interrupt)
}

func (l *rtpLeg) frames() <-chan []int16 { return l.in.out }

func (l *rtpLeg) attach(c *Call) { l.in.attach(c) }

func (l *rtpLeg) earlyAudio() []int16 { return l.in.earlyAudio() }

func (l *rtpLeg) recording() []int16 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sess.Recording()
}

func (l *rtpLeg) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	_ = l.sess.Close()
}
