package dialer

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"

	"outreach/media"
	"outreach/media/rtp"
	"outreach/media/sdp"
)

// startMedia answers an SDP offer as a callee and runs its RTP session.
func (u *uas) startMedia(offer []byte) ([]byte, *rtp.Session) {
	return u.startMediaCodec(offer, media.CodecPCMA, 8)
}

// startMediaCodec answers with codec (payload type pt) as the callee's choice.
func (u *uas) startMediaCodec(offer []byte, codec media.Codec, pt uint8) ([]byte, *rtp.Session) {
	u.t.Helper()
	desc, err := sdp.Parse(offer)
	if err != nil {
		u.t.Errorf("uas: offer: %v", err)
		return nil, nil
	}
	s, err := rtp.Listen(rtp.Config{Addr: netip.MustParseAddr("127.0.0.1"), Codec: codec, AudioPT: pt, EventPT: 101})
	if err != nil {
		u.t.Errorf("uas: rtp: %v", err)
		return nil, nil
	}
	body, neg, err := sdp.Answer(desc, "127.0.0.1", int(s.LocalAddr().Port()), []media.Codec{codec})
	if err != nil {
		u.t.Errorf("uas: answer: %v", err)
		return nil, nil
	}
	s.SetRemote(neg.Remote)
	s.Start(context.Background())
	u.t.Cleanup(func() { s.Close() })
	return body, s
}

const toneHz = 425 // the Chinese ring/announcement tone frequency

// earlyThen404 plays an announcement in 183 early media, then fails with 404.
func earlyThen404(u *uas, req *sip.Request, tx sip.ServerTransaction) {
	body, s := u.startMedia(req.Body())
	if s == nil {
		return
	}
	res := sip.NewResponseFromRequest(req, 183, "Session Progress", body)
	res.To().Params.Add("tag", "early1")
	ct := sip.ContentTypeHeader("application/sdp")
	res.AppendHeader(&ct)
	_ = tx.Respond(res)
	_, _ = s.Play(context.Background(), media.Tone([]float64{toneHz}, 400*time.Millisecond, 0.5), nil)
	_ = tx.Respond(sip.NewResponseFromRequest(req, 404, "Not Found", nil))
	waitTx(tx)
}

func TestEarlyMediaThen404(t *testing.T) {
	t.Parallel()
	u := newUAS(t, earlyThen404)
	d := newTestDialer(t, u, nil)
	_, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678"})
	de := dialErr(t, err)
	if de.Outcome != InvalidNumber || de.Status != 404 {
		t.Fatalf("got %v %d", de.Outcome, de.Status)
	}
	if len(de.EarlyMedia) < media.SampleRate/10 {
		t.Fatalf("early media: %d samples", len(de.EarlyMedia))
	}
	if lv := media.ToneLevel(de.EarlyMedia, toneHz); lv < 0.3 {
		t.Errorf("early media tone level %.2f", lv)
	}
}

// answerMedia answers with real SDP and keeps the callee's RTP session.
func answerMedia(sessions chan<- *rtp.Session) func(u *uas, req *sip.Request, tx sip.ServerTransaction) {
	return func(u *uas, req *sip.Request, tx sip.ServerTransaction) {
		body, s := u.startMedia(req.Body())
		if s == nil {
			return
		}
		dtx, _ := u.dialogs.ReadInvite(req, tx)
		u.mu.Lock()
		u.sessions[req.CallID().Value()] = dtx
		u.mu.Unlock()
		sessions <- s
		ct := sip.ContentTypeHeader("application/sdp")
		_ = dtx.Respond(200, "OK", body, &ct)
	}
}

func TestAnsweredMediaDigitsAndRecording(t *testing.T) {
	t.Parallel()
	u, c, callee := answeredCall(t, Request{Trunk: "gw1", Number: "13812345678", Record: true})
	defer c.Hangup(context.Background())
	// Callee → robot: audio and an RFC 4733 key press.
	go func() {
		_, _ = callee.Play(context.Background(), media.Tone([]float64{toneHz}, 200*time.Millisecond, 0.5), nil)
		_ = callee.SendDigit(context.Background(), '5', 100*time.Millisecond)
	}()
	recv(t, c.Frames(), "audio frame")
	if dg := recv(t, c.Digits(), "digit"); dg != '5' {
		t.Errorf("digit %q", dg)
	}
	// SIP INFO dtmf-relay is answered 200 and delivered once.
	if code := u.info(t, c.CallID(), "application/dtmf-relay", "Signal=#\r\nDuration=160\r\n"); code != 200 {
		t.Errorf("INFO answered %d", code)
	}
	if dg := recv(t, c.Digits(), "INFO digit"); dg != '#' {
		t.Errorf("INFO digit %q", dg)
	}
	if code := u.info(t, c.CallID(), "application/x-unknown", "x"); code != 415 {
		t.Errorf("unknown INFO answered %d", code)
	}
	// Robot → callee, with barge-in interrupted by a digit.
	cf := callee.Frames()
	done := make(chan bool, 1)
	go func() {
		intr, _ := c.Play(context.Background(), media.Tone([]float64{toneHz}, 3*time.Second, 0.5), true)
		done <- intr
	}()
	recv(t, cf, "robot audio at callee")
	_ = callee.SendDigit(context.Background(), '1', 60*time.Millisecond)
	if !recv(t, done, "barge-in") {
		t.Error("Play not interrupted by DTMF")
	}
	if dg := recv(t, c.Digits(), "barge digit"); dg != '1' {
		t.Errorf("barge digit %q", dg)
	}
	if err := c.Hangup(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(c.Recording()) == 0 {
		t.Error("no recording")
	}
}

// info sends an in-dialog INFO from the callee and returns the status.
func (u *uas) info(t *testing.T, callID, ctype, body string) int {
	t.Helper()
	u.mu.Lock()
	dtx := u.sessions[callID]
	u.mu.Unlock()
	req := sip.NewRequest(sip.INFO, dtx.InviteRequest.Contact().Address)
	ct := sip.ContentTypeHeader(ctype)
	req.AppendHeader(&ct)
	req.SetBody([]byte(body))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	res, err := dtx.Do(ctx, req)
	if err != nil {
		t.Fatalf("INFO: %v", err)
	}
	return res.StatusCode
}

func TestReinviteWithBadSDPRefused(t *testing.T) {
	t.Parallel()
	u, c, _ := answeredCall(t, Request{Trunk: "gw1", Number: "13812345678"})
	defer c.Hangup(context.Background())
	u.mu.Lock()
	dtx := u.sessions[c.CallID()]
	u.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	for body, want := range map[string]int{"v=0\r\nm=garbage\r\n": 488, string(minimalSDP("127.0.0.1", 40002, 1, 2)): 200} {
		req := sip.NewRequest(sip.UPDATE, dtx.InviteRequest.Contact().Address)
		ct := sip.ContentTypeHeader("application/sdp")
		req.AppendHeader(&ct)
		req.SetBody([]byte(body))
		res, err := dtx.Do(ctx, req)
		if err != nil || res.StatusCode != want {
			t.Errorf("UPDATE: %v %v, want %d", res, err, want)
		}
	}
}

// 183 with SDP, an announcement, then 200 without SDP: the early answer
// stands, the announcement is kept, and audio after the answer is delivered.
func TestEarlyMediaThenAnswerWithoutSDP(t *testing.T) {
	t.Parallel()
	sessions := make(chan *rtp.Session, 1)
	u := newUAS(t, func(u *uas, req *sip.Request, tx sip.ServerTransaction) {
		body, s := u.startMedia(req.Body())
		dtx, _ := u.dialogs.ReadInvite(req, tx)
		ct := sip.ContentTypeHeader("application/sdp")
		_ = dtx.Respond(183, "Session Progress", body, &ct)
		_, _ = s.Play(context.Background(), media.Tone([]float64{toneHz}, 300*time.Millisecond, 0.5), nil)
		u.mu.Lock()
		u.sessions[req.CallID().Value()] = dtx
		u.mu.Unlock()
		sessions <- s
		_ = dtx.Respond(200, "OK", nil)
	})
	d := newTestDialer(t, u, nil)
	c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Hangup(context.Background())
	if n := len(c.EarlyMedia()); n < media.SampleRate/10 {
		t.Errorf("early media %d samples", n)
	}
	callee := recv(t, sessions, "callee")
	go func() {
		_, _ = callee.Play(context.Background(), media.Tone([]float64{toneHz}, 200*time.Millisecond, 0.5), nil)
	}()
	recv(t, c.Frames(), "frame after answer")
}

// A callee answering PCMU (as sipp and many softphones do) makes the dialer
// reopen its session with the negotiated format; audio and digits still flow.
func TestAnswerInPCMU(t *testing.T) {
	t.Parallel()
	sessions := make(chan *rtp.Session, 1)
	u := newUAS(t, func(u *uas, req *sip.Request, tx sip.ServerTransaction) {
		body, s := u.startMediaCodec(req.Body(), media.CodecPCMU, 0)
		dtx, _ := u.dialogs.ReadInvite(req, tx)
		sessions <- s
		ct := sip.ContentTypeHeader("application/sdp")
		_ = dtx.Respond(200, "OK", body, &ct)
	})
	d := newTestDialer(t, u, nil)
	c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Hangup(context.Background())
	callee := recv(t, sessions, "callee")
	go func() {
		_, _ = callee.Play(context.Background(), media.Tone([]float64{toneHz}, 300*time.Millisecond, 0.5), nil)
		_ = callee.SendDigit(context.Background(), '9', 100*time.Millisecond)
	}()
	var heard []int16
	for len(heard) < 8*media.FrameSamples {
		heard = append(heard, recv(t, c.Frames(), "frame")...)
	}
	if lv := media.ToneLevel(heard, toneHz); lv < 0.3 {
		t.Errorf("PCMU audio decoded wrong: tone level %.2f", lv)
	}
	if dg := recv(t, c.Digits(), "digit"); dg != '9' {
		t.Errorf("digit %q", dg)
	}
}

// answeredCall dials req through a UAS that answers with media and returns
// the UAS, the live call and the callee's RTP session, once the ACK is in.
func answeredCall(t *testing.T, req Request) (*uas, *Call, *rtp.Session) {
	t.Helper()
	sessions := make(chan *rtp.Session, 1)
	u := newUAS(t, answerMedia(sessions))
	d := newTestDialer(t, u, nil)
	c, err := d.Dial(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	callee := recv(t, sessions, "callee media")
	recv(t, u.acks, "ACK")
	return u, c, callee
}

// The offer of a media-less call, byte for byte (RFC 4566 §5).
func TestMinimalSDP(t *testing.T) {
	want := "v=0\r\no=outreach 42 7 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n" +
		"m=audio 9 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n" +
		"a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n"
	if got := string(minimalSDP("10.0.0.5", 9, 42, 7)); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}
