package dialer

import (
	"bytes"
	"context"
	"net"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"

	"outreach/media"
	"outreach/media/rtp"
	"outreach/media/sdp"
)

// Frames handed to the reader are its own: kept ones are never rewritten,
// even with the channel kept full; run with -race.
func TestFramesOwnedByReader(t *testing.T) {
	in := legInput{out: make(chan []int16, 64)}
	in.answer()
	const n = 3000
	go func() { // the session's receive goroutine
		var f [media.FrameSamples]int16
		for i := 1; i <= n; i++ {
			for k := range f {
				f[k] = int16(i)
			}
			for !in.frame(f[:]) { // full: retry, so the channel is under pressure
				runtime.Gosched()
			}
		}
	}()
	kept := make([][]int16, 0, n)
	for range n {
		kept = append(kept, <-in.out)
		runtime.Gosched() // let the writer run while we hold them
	}
	for i, f := range kept {
		if f[0] != int16(i+1) || f[len(f)-1] != int16(i+1) {
			t.Fatalf("frame %d reads %d…%d", i+1, f[0], f[len(f)-1])
		}
	}
}

// BenchmarkLegFrame measures the leg's frame hook after the answer: a copy
// the reader owns (one allocation) handed to a reader keeping up.
func BenchmarkLegFrame(b *testing.B) {
	in := legInput{out: make(chan []int16, 64)}
	in.answer()
	f := make([]int16, media.FrameSamples)
	b.ReportAllocs()
	for b.Loop() {
		if !in.frame(f) {
			b.Fatal("frame dropped")
		}
		<-in.out
	}
}

// answerSilent answers with SDP pointing at a socket that never sends RTP.
func answerSilent(u *uas, req *sip.Request, tx sip.ServerTransaction) {
	desc, err := sdp.Parse(req.Body())
	if err != nil {
		u.t.Errorf("uas: offer: %v", err)
		return
	}
	quiet, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		u.t.Errorf("uas: %v", err)
		return
	}
	u.t.Cleanup(func() { quiet.Close() })
	body, _, err := sdp.Answer(desc, "127.0.0.1", quiet.LocalAddr().(*net.UDPAddr).Port, []media.Codec{media.CodecPCMA})
	if err != nil {
		u.t.Errorf("uas: answer: %v", err)
		return
	}
	dtx, _ := u.dialogs.ReadInvite(req, tx)
	u.mu.Lock()
	u.sessions[req.CallID().Value()] = dtx
	u.mu.Unlock()
	ct := sip.ContentTypeHeader("application/sdp")
	_ = dtx.Respond(200, "OK", body, &ct)
}

// No RTP for MediaTimeout ends the call with BYE, hung up by "timeout".
func TestMediaTimeoutEndsCall(t *testing.T) {
	t.Parallel()
	u := newUAS(t, answerSilent)
	d := newTestDialer(t, u, func(c *Config) { c.MediaTimeout = 300 * time.Millisecond })
	c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678"})
	if err != nil {
		t.Fatal(err)
	}
	recv(t, c.Done(), "the call's end")
	if r := c.Result(); r.Outcome != Completed || r.HangupBy != "timeout" || r.Reason != "media timeout" {
		t.Errorf("result %+v", r)
	}
	recv(t, u.byes, "BYE")
}

// A key pressed in early media, before the answer, is delivered once the
// call is live, exactly once.
func TestEarlyDigitDeliveredOnce(t *testing.T) {
	t.Parallel()
	u := newUAS(t, func(u *uas, req *sip.Request, tx sip.ServerTransaction) {
		body, s := u.startMedia(req.Body())
		dtx, _ := u.dialogs.ReadInvite(req, tx)
		ct := sip.ContentTypeHeader("application/sdp")
		_ = dtx.Respond(183, "Session Progress", body, &ct)
		_ = s.SendDigit(context.Background(), '7', 60*time.Millisecond)
		_ = dtx.Respond(200, "OK", body, &ct)
	})
	d := newTestDialer(t, u, nil)
	c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678"})
	if err != nil {
		t.Fatal(err)
	}
	if dg := recv(t, c.Digits(), "early digit"); dg != '7' {
		t.Errorf("digit %q", dg)
	}
	if err := c.Hangup(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(c.Digits()); n != 0 {
		t.Errorf("%d more digits after the one key press", n)
	}
}

// The callee changes codec during the call (UPDATE offering PCMU only):
// the dialer reopens its session, and audio and keys keep flowing from the
// callee's new session.
func TestCodecChangeMidCall(t *testing.T) {
	t.Parallel()
	u, c, first := answeredCall(t, Request{Trunk: "gw1", Number: "13812345678"})
	defer c.Hangup(context.Background())
	callee := switchToPCMU(t, u, c.CallID(), first)
	go func() {
		_, _ = callee.Play(context.Background(), media.Tone([]float64{toneHz}, 400*time.Millisecond, 0.5), nil)
		_ = callee.SendDigit(context.Background(), '3', 100*time.Millisecond)
	}()
	if lv := media.ToneLevel(loudFrames(t, c.Frames(), 8), toneHz); lv < 0.3 {
		t.Errorf("audio after the codec change decoded wrong: tone level %.2f", lv)
	}
	if dg := recv(t, c.Digits(), "digit after the codec change"); dg != '3' {
		t.Errorf("digit %q", dg)
	}
}

// switchToPCMU opens a PCMU callee session and offers it by UPDATE.
func switchToPCMU(t *testing.T, u *uas, callID string, first *rtp.Session) *rtp.Session {
	t.Helper()
	s, err := rtp.Listen(rtp.Config{Addr: first.LocalAddr().Addr(), Codec: media.CodecPCMU, AudioPT: 0, EventPT: 101})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.SetRemote(first.Remote()) // the dialer keeps its port when it reopens
	s.Start(context.Background())
	off := sdp.Offer{Addr: "127.0.0.1", Port: int(s.LocalAddr().Port()), Codecs: []media.Codec{media.CodecPCMU},
		EventPT: 101, SessionID: 77, SessionVersion: 2}
	u.mu.Lock()
	dtx := u.sessions[callID]
	u.mu.Unlock()
	req := sip.NewRequest(sip.UPDATE, dtx.InviteRequest.Contact().Address)
	ct := sip.ContentTypeHeader("application/sdp")
	req.AppendHeader(&ct)
	req.SetBody(off.Marshal())
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if res, err := dtx.Do(ctx, req); err != nil || res.StatusCode != 200 {
		t.Fatalf("UPDATE: %v %v", res, err)
	}
	return s
}

// loudFrames skips quiet frames (comfort silence) and returns n loud ones.
func loudFrames(t *testing.T, frames <-chan []int16, n int) []int16 {
	t.Helper()
	var pcm []int16
	for len(pcm) < n*media.FrameSamples {
		f := recv(t, frames, "frame")
		if peak(f) > 2000 {
			pcm = append(pcm, f...)
		}
	}
	return pcm
}

func peak(f []int16) int {
	m := 0
	for _, v := range f {
		m = max(m, int(v), -int(v))
	}
	return m
}

// A live call with media, keys and a Play in progress runs no goroutine of
// the dialer's own: keys, frames and the media timeout come through the RTP
// session's hooks, and Play stops with the call without a watcher.
func TestLiveCallNeedsNoGoroutine(t *testing.T) {
	sessions := make(chan *rtp.Session, 2)
	u := newUAS(t, answerMedia(sessions))
	d := newTestDialer(t, u, func(c *Config) { c.MediaTimeout = time.Minute })
	base := dialerGoroutines()
	var calls []*Call
	for range 2 {
		c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678"})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Hangup(context.Background())
		calls = append(calls, c)
		callee := recv(t, sessions, "callee media")
		go func() {
			_, _ = callee.Play(context.Background(), media.Tone([]float64{toneHz}, 200*time.Millisecond, 0.5), nil)
			_ = callee.SendDigit(context.Background(), '4', 60*time.Millisecond)
		}()
		recv(t, c.Frames(), "frame")
		recv(t, c.Digits(), "digit")
	}
	played := make(chan error, 1)
	go func() {
		_, err := calls[0].Play(context.Background(), media.Silence(time.Minute), false)
		played <- err
	}()
	if n := dialerGoroutines(); n > base {
		t.Errorf("%d goroutines started by the dialer with 2 live calls, %d without", n, base)
	}
	if err := calls[0].Hangup(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, played, "Play's end with the call"); err == nil {
		t.Error("Play cut short by the call's end returned no error")
	}
}

// dialerGoroutines counts the goroutines created by the dialer's own code
// (not by its tests).
func dialerGoroutines() int {
	var b bytes.Buffer
	_ = pprof.Lookup("goroutine").WriteTo(&b, 2)
	lines := strings.Split(b.String(), "\n")
	n := 0
	for i, l := range lines[:len(lines)-1] {
		if strings.HasPrefix(l, "created by outreach/dialer.") && !strings.Contains(lines[i+1], "_test.go:") {
			n++
		}
	}
	return n
}
