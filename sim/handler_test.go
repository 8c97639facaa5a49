package sim

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
)

// rawUDP sends hand-written SIP requests to the simulator.
type rawUDP struct {
	t    *testing.T
	conn *net.UDPConn
	to   *net.UDPAddr
}

func newRawUDP(t *testing.T, s *Server) *rawUDP {
	t.Helper()
	to, err := net.ResolveUDPAddr("udp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &rawUDP{t: t, conn: conn, to: to}
}

func (r *rawUDP) request(method, user, callID, branch string, cseq int, extra string) string {
	me := r.conn.LocalAddr().String()
	return fmt.Sprintf("%s sip:%s@%s SIP/2.0\r\n"+
		"Via: SIP/2.0/UDP %s;branch=z9hG4bK%s\r\n"+
		"Max-Forwards: 70\r\n"+
		"From: <sip:robot@%s>;tag=abc\r\n"+
		"To: <sip:%s@%s>\r\n"+
		"Call-ID: %s\r\n"+
		"CSeq: %d %s\r\n"+
		"%s"+
		"Content-Length: 0\r\n\r\n", method, user, r.to, me, branch, me, user, r.to, callID, cseq, method, extra)
}

func (r *rawUDP) send(msg string) {
	r.t.Helper()
	if _, err := r.conn.WriteToUDP([]byte(msg), r.to); err != nil {
		r.t.Fatal(err)
	}
}

// status reads responses until one with a code other than 100 arrives.
func (r *rawUDP) status() int {
	r.t.Helper()
	buf := make([]byte, 4096)
	for {
		r.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := r.conn.Read(buf)
		if err != nil {
			r.t.Fatalf("no response: %v", err)
		}
		var code int
		if _, err := fmt.Sscanf(string(buf[:n]), "SIP/2.0 %d", &code); err != nil {
			r.t.Fatalf("bad response %q", buf[:n])
		}
		if code != 100 {
			return code
		}
	}
}

func TestRawRequests(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Personas: []Rule{rule("13800000001", Persona{Name: "busy", Kind: KindBusy})}})
	r := newRawUDP(t, s)
	contact := "Contact: <sip:robot@" + r.conn.LocalAddr().String() + ">\r\n"

	// An INVITE and its retransmission (same branch): one INVITE counted,
	// 486 sent for both (RFC 3261 §17.2.1).
	inv := r.request("INVITE", "13800000001", "call-1", "aa1", 1, contact)
	r.send(inv)
	if got := r.status(); got != 486 {
		t.Fatalf("INVITE → %d", got)
	}
	r.send(inv)
	if got := r.status(); got != 486 {
		t.Fatalf("retransmitted INVITE → %d", got)
	}
	r.send(strings.Replace(r.request("ACK", "13800000001", "call-1", "aa1", 1, ""), "To: <sip:13800000001@"+r.to.String()+">", "To: <sip:13800000001@"+r.to.String()+">;tag=x", 1))
	// The same Call-ID and CSeq in a new transaction is a merged request.
	r.send(r.request("INVITE", "13800000001", "call-1", "aa2", 1, contact))
	if got := r.status(); got != 482 {
		t.Fatalf("merged INVITE → %d", got)
	}
	if n := s.InviteCount("13800000001"); n != 1 {
		t.Fatalf("InviteCount %d, want 1", n)
	}
	if n := len(s.Calls()); n != 1 {
		t.Fatalf("%d calls logged", n)
	}

	tests := []struct {
		name, msg string
		want      int
	}{
		{"invite without contact", r.request("INVITE", "13800000002", "call-2", "bb1", 1, ""), 400},
		{"options", r.request("OPTIONS", "13800000002", "call-3", "cc1", 1, ""), 200},
		{"bye outside dialog", r.request("BYE", "13800000002", "call-4", "dd1", 2, ""), 481},
		{"cancel of nothing", r.request("CANCEL", "13800000002", "call-5", "ee1", 1, ""), 481},
		{"info outside dialog", r.request("INFO", "13800000002", "call-6", "ff1", 1, ""), 481},
		{"unknown method", r.request("MESSAGE", "13800000002", "call-7", "gg1", 1, ""), 405},
		{"no number", strings.Replace(r.request("INVITE", "", "call-8", "hh1", 1, contact), "sip:@", "sip:", 1), 404},
	}
	for _, tc := range tests {
		r.send(tc.msg)
		if got := r.status(); got != tc.want {
			t.Errorf("%s → %d, want %d", tc.name, got, tc.want)
		}
	}
	if n := s.InviteCount("13800000002"); n != 0 {
		t.Fatalf("bad INVITE counted: %d", n)
	}
}

func TestReInviteKeepsSDP(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	p := newPhone(t, "udp")
	leg, offer := newTestLeg(t)
	defer leg.close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a := p.dial(ctx, s, "13300000001", offer, nil)
	if a.err != nil {
		t.Fatal(a.err)
	}
	req := sip.NewRequest(sip.INVITE, a.sess.InviteResponse.Contact().Address)
	req.SetBody(offer)
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	res, err := a.sess.Do(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || !bytes.Equal(res.Body(), a.sess.InviteResponse.Body()) {
		t.Fatalf("re-INVITE → %d with body %q", res.StatusCode, res.Body())
	}
	if err := a.sess.Bye(ctx); err != nil {
		t.Fatal(err)
	}
}

// fakeTx records the response of a handler.
type fakeTx struct {
	sip.ServerTransaction
	got *sip.Response
}

func (f *fakeTx) Respond(res *sip.Response) error { f.got = res; return nil }

func TestPanicRecovered(t *testing.T) {
	var logs bytes.Buffer
	s, err := New(Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	req := sip.NewRequest(sip.INVITE, sip.Uri{User: "13812345678", Host: "127.0.0.1"})
	tx := &fakeTx{}
	s.safe(func(*sip.Request, sip.ServerTransaction) { panic("boom for 13812345678") })(req, tx)
	if tx.got == nil || tx.got.StatusCode != 500 {
		t.Fatalf("response %v", tx.got)
	}
	if !strings.Contains(logs.String(), "boom") || strings.Contains(logs.String(), "13812345678") {
		t.Fatalf("log not redacted or missing: %s", logs.String())
	}
}

func TestStopHangsUpLiveCalls(t *testing.T) {
	t.Parallel()
	s, err := New(Config{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	p := newPhone(t, "udp")
	leg, offer := newTestLeg(t)
	defer leg.close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if a := p.dial(ctx, s, "13300000002", offer, nil); a.err != nil {
		t.Fatal(a.err)
	}
	s.Stop()
	select {
	case <-p.byeCh:
	case <-ctx.Done():
		t.Fatal("no BYE on Stop")
	}
	c, _ := callLog(s, "13300000002")
	if !c.Finished || c.EndedBy != EndedByCallee {
		t.Fatalf("log %+v", c)
	}
	if now, _ := s.Concurrent(); now != 0 {
		t.Fatalf("%d live after Stop", now)
	}
}
