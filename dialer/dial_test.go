package dialer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
)

// newTestDialer starts a dialer whose trunk "gw1" is u.
func newTestDialer(t *testing.T, u *uas, mod func(*Config)) *Dialer {
	t.Helper()
	cfg := Config{
		Trunks: []Trunk{{Name: "gw1", Addr: u.addr, CallerID: "02150001234", CallerName: "健康随访",
			Username: "robot", Password: "secret"}},
		ListenAddr: "127.0.0.1:0",
	}
	if mod != nil {
		mod(&cfg)
	}
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Stop)
	return d
}

func dialErr(t *testing.T, err error) *Error {
	t.Helper()
	var de *Error
	if !errors.As(err, &de) {
		t.Fatalf("want *Error, got %v", err)
	}
	return de
}

func TestAnswerAckRobotBye(t *testing.T) {
	t.Parallel()
	u := newUAS(t, answer(20*time.Millisecond))
	d := newTestDialer(t, u, nil)
	c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	if err != nil {
		t.Fatal(err)
	}
	inv := recv(t, u.invites, "INVITE")
	if got := inv.From().Address.User; got != "02150001234" {
		t.Errorf("From user = %q", got)
	}
	if h := inv.GetHeader("P-Asserted-Identity"); h == nil || !bytes.Contains([]byte(h.Value()), []byte("02150001234")) {
		t.Errorf("P-Asserted-Identity = %v", h)
	}
	if inv.Recipient.User != "13812345678" {
		t.Errorf("Request-URI user = %q", inv.Recipient.User)
	}
	recv(t, u.acks, "ACK")
	if err := c.Hangup(context.Background()); err != nil {
		t.Fatal(err)
	}
	recv(t, u.byes, "BYE")
	<-c.Done()
	r := c.Result()
	if r.Outcome != Completed || r.HangupBy != "robot" || !r.Answered || r.SIPStatus != 200 {
		t.Errorf("result = %+v", r)
	}
	if r.SetupTime <= 0 || r.CallID == "" {
		t.Errorf("timings = %+v", r)
	}
}

func TestCalleeBye(t *testing.T) {
	t.Parallel()
	u := newUAS(t, answer(0))
	d := newTestDialer(t, u, nil)
	c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	if err != nil {
		t.Fatal(err)
	}
	recv(t, u.acks, "ACK")
	if err := u.bye(context.Background(), c.CallID()); err != nil {
		t.Fatalf("callee BYE: %v", err)
	}
	recv(t, c.Done(), "call end")
	if r := c.Result(); r.HangupBy != "callee" || r.Outcome != Completed {
		t.Errorf("result = %+v", r)
	}
	none(t, u.byes, 100*time.Millisecond, "BYE from robot after callee hung up")
}

func TestFinalResponses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		code    int
		outcome Outcome
	}{
		{486, Busy}, {404, InvalidNumber}, {480, Unreachable}, {603, Rejected}, {488, MediaFailure}, {500, TrunkError},
	}
	for _, tc := range cases {
		t.Run(OutcomeForStatus(tc.code).String(), func(t *testing.T) {
			u := newUAS(t, respond(tc.code, "Reason"))
			d := newTestDialer(t, u, nil)
			_, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
			de := dialErr(t, err)
			if de.Outcome != tc.outcome || de.Status != tc.code {
				t.Errorf("got %v %d, want %v %d", de.Outcome, de.Status, tc.outcome, tc.code)
			}
		})
	}
}

func TestBusyMessage(t *testing.T) {
	t.Parallel()
	u := newUAS(t, respond(486, "Busy Here"))
	d := newTestDialer(t, u, nil)
	_, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	if err == nil || err.Error() != "dial trunk gw1: 486 Busy Here" {
		t.Fatalf("err = %v", err)
	}
	if OutcomeOf(err) != Busy {
		t.Errorf("OutcomeOf = %v", OutcomeOf(err))
	}
}

func TestRingTimeoutCancels(t *testing.T) {
	t.Parallel()
	u := newUAS(t, ringForever)
	d := newTestDialer(t, u, nil)
	start := time.Now()
	_, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", RingTimeout: 200 * time.Millisecond, NoMedia: true})
	de := dialErr(t, err)
	if de.Outcome != NoAnswer || de.Status != 487 {
		t.Fatalf("got %v %d", de.Outcome, de.Status)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("took %s", el)
	}
}

func TestContextCancelWhileRinging(t *testing.T) {
	t.Parallel()
	u := newUAS(t, ringForever)
	d := newTestDialer(t, u, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		recv(t, u.invites, "INVITE")
		time.AfterFunc(100*time.Millisecond, cancel) // let the 180 arrive first
	}()
	_, err := d.Dial(ctx, Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	de := dialErr(t, err)
	if de.Outcome != Cancelled || de.Status != 487 {
		t.Fatalf("got %v %d (%v)", de.Outcome, de.Status, err)
	}
	if OutcomeOf(err) != Cancelled {
		t.Error("OutcomeOf")
	}
}

func TestContextCancelAfterAnswerSendsBye(t *testing.T) {
	t.Parallel()
	u := newUAS(t, answer(0))
	d := newTestDialer(t, u, nil)
	ctx, cancel := context.WithCancel(context.Background())
	c, err := d.Dial(ctx, Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	recv(t, u.byes, "BYE")
	recv(t, c.Done(), "end")
	if r := c.Result(); r.Outcome != Interrupted || r.HangupBy != "robot" {
		t.Errorf("result %+v", r)
	}
}

func TestMaxDurationBye(t *testing.T) {
	t.Parallel()
	u := newUAS(t, answer(0))
	d := newTestDialer(t, u, nil)
	c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true, MaxDuration: 150 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	recv(t, u.byes, "BYE")
	recv(t, c.Done(), "end")
	if r := c.Result(); r.HangupBy != "timeout" {
		t.Errorf("result %+v", r)
	}
}

// A 200 that crosses our CANCEL is ACKed, then the call is ended with BYE.
func TestAnswerRacingCancel(t *testing.T) {
	t.Parallel()
	u := newUAS(t, func(u *uas, req *sip.Request, tx sip.ServerTransaction) {
		dtx, _ := u.dialogs.ReadInvite(req, tx)
		_ = dtx.Respond(180, "Ringing", nil)
		tx.OnCancel(func(*sip.Request) {
			// Answer on the wire before sipgo sends its 487.
			res := sip.NewResponseFromRequest(req, 200, "OK", minimalSDP("127.0.0.1", 40000, 1, 1))
			res.To().Params.Add("tag", "race")
			res.AppendHeader(&sip.ContactHeader{Address: sip.Uri{Scheme: "sip", Host: "127.0.0.1", Port: portOf(u.addr)}})
			_ = u.srv.WriteResponse(res)
			// Hold sipgo's 487 until our 200 was ACKed, so the 200 wins.
			select {
			case a := <-u.acks:
				u.acks <- a
			case <-time.After(2 * time.Second):
			}
		})
		waitTx(tx)
	})
	d := newTestDialer(t, u, nil)
	_, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", RingTimeout: 150 * time.Millisecond, NoMedia: true})
	de := dialErr(t, err)
	if de.Outcome != NoAnswer || de.Status != 200 {
		t.Fatalf("got %v %d", de.Outcome, de.Status)
	}
	recv(t, u.acks, "ACK of the racing 200")
	bye := recv(t, u.byes, "BYE after racing 200")
	if tag, _ := bye.To().Params.Get("tag"); tag != "race" {
		t.Errorf("BYE To tag = %q", tag)
	}
	if st, _ := d.TrunkStatus("gw1"); st.Active != 0 {
		t.Errorf("slot leaked or double freed: %+v", st)
	}
}

func TestDigestAuth(t *testing.T) {
	t.Parallel()
	for _, code := range []int{401, 407} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			u := newUAS(t, challenge(code, "robot", "secret"))
			d := newTestDialer(t, u, nil)
			c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
			if err != nil {
				t.Fatal(err)
			}
			first, second := recv(t, u.invites, "INVITE"), recv(t, u.invites, "INVITE with credentials")
			if second.CSeq().SeqNo != first.CSeq().SeqNo+1 || second.CallID().Value() != first.CallID().Value() {
				t.Errorf("retry CSeq %d→%d", first.CSeq().SeqNo, second.CSeq().SeqNo)
			}
			if b1, b2 := first.Via().Params, second.Via().Params; b1.GetOr("branch", "") == b2.GetOr("branch", "") {
				t.Error("retry reused the Via branch")
			}
			_ = c.Hangup(context.Background())
		})
	}
}

func TestSecondChallengeIsTrunkError(t *testing.T) {
	t.Parallel()
	u := newUAS(t, challenge(401, "", ""))
	d := newTestDialer(t, u, nil)
	_, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	de := dialErr(t, err)
	if de.Outcome != TrunkError || de.Status != 401 {
		t.Fatalf("got %v %d", de.Outcome, de.Status)
	}
	recv(t, u.invites, "INVITE")
	recv(t, u.invites, "INVITE with credentials")
	none(t, u.invites, 100*time.Millisecond, "third INVITE")
}

func TestRetryAfterPausesTrunk(t *testing.T) {
	t.Parallel()
	u := newUAS(t, respond(503, "Service Unavailable", sip.NewHeader("Retry-After", "600 (maintenance)")))
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	d := newTestDialer(t, u, func(c *Config) { c.Now = clock; c.MaxRetryAfter = 2 * time.Minute })
	_, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	de := dialErr(t, err)
	if de.Outcome != TrunkError || de.Status != 503 || de.RetryAfter != 2*time.Minute {
		t.Fatalf("got %+v", de)
	}
	_, err = d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	de = dialErr(t, err)
	if de.Status != 0 || de.RetryAfter != 2*time.Minute || de.Outcome != TrunkError {
		t.Fatalf("paused dial: %+v", de)
	}
	recv(t, u.invites, "INVITE")
	none(t, u.invites, 50*time.Millisecond, "INVITE while paused")
	st, _ := d.TrunkStatus("gw1")
	if st.PausedFor != 2*time.Minute {
		t.Errorf("status %+v", st)
	}
}

func TestCRLFInjectionRefused(t *testing.T) {
	t.Parallel()
	u := newUAS(t, answer(0))
	d := newTestDialer(t, u, nil)
	reqs := []Request{
		{Trunk: "gw1", Number: "138\r\nX-Evil: 1"},
		{Trunk: "gw1", Number: "13812345678", Headers: map[string]string{"X-Task": "a\r\nVia: evil"}},
		{Trunk: "gw1", Number: "13812345678", Headers: map[string]string{"From": "x"}},
		{Trunk: "gw1", Number: "13812345678", Headers: map[string]string{"X-Bad\nName": "x"}},
		{Trunk: "gw\x00", Number: "13812345678"},
	}
	for _, r := range reqs {
		if _, err := d.Dial(context.Background(), r); err == nil {
			t.Errorf("accepted %q", r.Number)
		}
	}
	none(t, u.invites, 100*time.Millisecond, "INVITE")
	if _, err := New(Config{Trunks: []Trunk{{Name: "x", Addr: "127.0.0.1", CallerID: "1", CallerName: "a\r\nb"}}}); err == nil {
		t.Error("caller name with CRLF accepted")
	}
}

func portOf(addr string) int {
	ap := regexp.MustCompile(`:(\d+)$`).FindStringSubmatch(addr)
	n := 0
	for _, c := range ap[1] {
		n = n*10 + int(c-'0')
	}
	return n
}

var _ = slog.LevelDebug

func TestMaxCallsAndCPS(t *testing.T) {
	t.Parallel()
	u := newUAS(t, answer(0))
	now := time.Unix(1000, 0)
	d := newTestDialer(t, u, func(c *Config) {
		c.Trunks[0].MaxCalls, c.Trunks[0].CPS = 1, 0.5
		c.Now = func() time.Time { return now } // frozen: no token refills
	})
	c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	if de := dialErr(t, err); de.Outcome != TrunkError || !strings.Contains(de.Error(), "max calls") {
		t.Fatalf("second concurrent dial: %v", err)
	}
	_ = c.Hangup(context.Background())
	// The slot is free again, but the CPS bucket is empty: the dial waits
	// for a token and gives up with its context.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = d.Dial(ctx, Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	if de := dialErr(t, err); de.Outcome != Cancelled {
		t.Fatalf("CPS-limited dial: %v", err)
	}
	if st, _ := d.TrunkStatus("gw1"); st.Active != 0 {
		t.Errorf("slots leaked: %+v", st)
	}
}

// A trunk that never answers at all: cancelling cannot send CANCEL (§9.1),
// so Dial gives up after a bounded wait instead of Timer B's 32 s.
func TestCancelSilentTrunk(t *testing.T) {
	t.Parallel()
	sink, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	d, err := New(Config{Trunks: []Trunk{{Name: "gw1", Addr: sink.LocalAddr().String(), CallerID: "1"}}})
	if err != nil {
		t.Fatal(err)
	}
	d.giveUp = 100 * time.Millisecond
	if err := d.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer d.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = d.Dial(ctx, Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	if de := dialErr(t, err); de.Outcome != Cancelled || de.Status != 0 {
		t.Fatalf("got %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %s", el)
	}
}
