package sim

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"outreach/media"
	"outreach/media/rtp"
	"outreach/media/sdp"
)

// rtpEngine opens RTP sessions (media/rtp) negotiated with media/sdp; all
// sessions of the server share one pacer group (one pacer per CPU).
type rtpEngine struct {
	s      *Server
	bind   netip.Addr
	group  *rtp.PacerGroup
	cancel context.CancelFunc
	sit    []int16 // synthesized not-in-service announcement

	mu   sync.Mutex
	wavs map[string][]int16
}

func newEngine(s *Server) (engine, error) {
	bind, err := netip.ParseAddr(s.sdpHost())
	if err != nil {
		return nil, fmt.Errorf("rtp address %q: %w", s.sdpHost(), err)
	}
	return &rtpEngine{s: s, bind: bind, group: rtp.NewPacerGroup(0, s.log),
		sit: intercept(), wavs: map[string][]int16{}}, nil
}

func (e *rtpEngine) start() {
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	e.group.Start(ctx)
}

func (e *rtpEngine) stop() {
	if e.cancel != nil {
		e.cancel()
		e.group.Stop()
	}
}

// answer implements RFC 3264 §6: pick a codec from the offer, bind an RTP
// port, answer with it and aim the session at the offer's address.
func (e *rtpEngine) answer(offer []byte) ([]byte, leg, error) {
	desc, err := sdp.Parse(offer)
	if err != nil {
		return nil, nil, fmt.Errorf("parse offer: %w", err)
	}
	prefer := []media.Codec{media.CodecPCMA, media.CodecPCMU}
	_, neg, err := sdp.Answer(desc, e.s.sdpHost(), 9, prefer)
	if err != nil {
		return nil, nil, fmt.Errorf("negotiate: %w", err)
	}
	sess, err := rtp.Listen(rtp.Config{
		Addr: e.bind, PortMin: e.s.cfg.RTPPortMin, PortMax: e.s.cfg.RTPPortMax,
		Codec: neg.Codec, AudioPT: neg.AudioPT, EventPT: neg.EventPT,
		Logger: e.s.log, PacerGroup: e.group,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("open rtp: %w", err)
	}
	body, _, err := sdp.Answer(desc, e.s.sdpHost(), int(sess.LocalAddr().Port()), prefer)
	if err != nil {
		sess.Close()
		return nil, nil, fmt.Errorf("negotiate: %w", err)
	}
	if neg.Remote.IsValid() {
		sess.SetRemote(neg.Remote)
	}
	return body, rtpLeg{sess}, nil
}

// announcement returns the WAV at path, or the special information tones.
func (e *rtpEngine) announcement(path string) ([]int16, error) {
	if path != "" {
		return e.wav(path)
	}
	return e.sit, nil
}

// intercept synthesizes the special information tone (ITU-T E.180 §6:
// 950/1400/1800 Hz, 330 ms each) followed by a short pause.
func intercept() []int16 {
	var pcm []int16
	for _, f := range []float64{950, 1400, 1800} {
		pcm = append(pcm, media.Tone([]float64{f}, 330*time.Millisecond, 0.3)...)
	}
	return append(pcm, media.Silence(200*time.Millisecond)...)
}

// wav loads a WAV file once; calls share the samples (read only).
func (e *rtpEngine) wav(path string) ([]int16, error) {
	e.mu.Lock()
	pcm, ok := e.wavs[path]
	e.mu.Unlock()
	if ok {
		return pcm, nil
	}
	pcm, err := media.ReadWAVFile(path)
	if err != nil {
		return nil, fmt.Errorf("read wav: %w", err)
	}
	e.mu.Lock()
	e.wavs[path] = pcm
	e.mu.Unlock()
	return pcm, nil
}

func (e *rtpEngine) writeWAV(path string, pcm []int16) error {
	if err := media.WriteWAVFile(path, pcm, media.SampleRate); err != nil {
		return fmt.Errorf("write wav: %w", err)
	}
	return nil
}

// rtpLeg adapts an rtp.Session to leg.
type rtpLeg struct{ s *rtp.Session }

func (l rtpLeg) Start(ctx context.Context) { l.s.Start(ctx) }
func (l rtpLeg) Play(ctx context.Context, pcm []int16) error {
	_, err := l.s.Play(ctx, pcm, nil)
	return err
}
func (l rtpLeg) SendDigit(ctx context.Context, d rune, dur time.Duration) error {
	return l.s.SendDigit(ctx, d, dur)
}
func (l rtpLeg) Frames() <-chan []int16 { return l.s.Frames() }
func (l rtpLeg) Close() error           { return l.s.Close() }
