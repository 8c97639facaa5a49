package dialer

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
)

func TestRetransmitted200IsAckedAgain(t *testing.T) {
	t.Parallel()
	acked := make(chan bool, 1)
	u := newUAS(t, func(u *uas, req *sip.Request, tx sip.ServerTransaction) {
		res := sip.NewResponseFromRequest(req, 200, "OK", minimalSDP("127.0.0.1", 40000, 1, 1))
		res.To().Params.Add("tag", "rtx")
		res.AppendHeader(&sip.ContactHeader{Address: sip.Uri{Scheme: "sip", Host: "127.0.0.1", Port: portOf(u.addr)}})
		_ = tx.Respond(res)
		recv(t, u.acks, "first ACK")
		// The 200 again, as if our ACK was lost, retransmitted like a UAS does
		// (§13.3.1.4); sipgo may swallow one ACK as a retransmission.
		for range 5 {
			_ = u.srv.WriteResponse(res)
			select {
			case <-u.acks:
				acked <- true
				return
			case <-time.After(500 * time.Millisecond):
			}
		}
	})
	d := newTestDialer(t, u, nil)
	c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	if err != nil {
		t.Fatal(err)
	}
	recv(t, acked, "ACK of the retransmitted 200")
	_ = c.Hangup(context.Background())
}

func TestSessionRefreshAndTransfer(t *testing.T) {
	t.Parallel()
	u := newUAS(t, answer(0))
	d := newTestDialer(t, u, nil)
	c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	if err != nil {
		t.Fatal(err)
	}
	recv(t, u.acks, "ACK")
	u.mu.Lock()
	dtx := u.sessions[c.CallID()]
	u.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	for _, m := range []sip.RequestMethod{sip.INVITE, sip.UPDATE} {
		req := sip.NewRequest(m, dtx.InviteRequest.Contact().Address)
		ct := sip.ContentTypeHeader("application/sdp")
		req.AppendHeader(&ct)
		req.SetBody(minimalSDP("127.0.0.1", 40000, 1, 2))
		res, err := dtx.Do(ctx, req)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if res.StatusCode != 200 || !strings.Contains(string(res.Body()), "m=audio") {
			t.Fatalf("%s answered %d %q", m, res.StatusCode, res.Body())
		}
		if m == sip.INVITE {
			ack := sip.NewRequest(sip.ACK, dtx.InviteRequest.Contact().Address)
			ack.AppendHeader(res.CSeq())
			ack.CSeq().MethodName = sip.ACK
			_ = dtx.WriteRequest(ack)
		}
	}
	if err := c.Transfer(ctx, "13900001111"); err != nil {
		t.Fatal(err)
	}
	refer := recv(t, u.refers, "REFER")
	if rt := headerValue(refer, "Refer-To"); !strings.Contains(rt, "13900001111") {
		t.Errorf("Refer-To %q", rt)
	}
	if err := c.Transfer(ctx, "1390\r\nX: y"); err == nil {
		t.Error("CRLF transfer target accepted")
	}
	// NOTIFY with the transfer's progress is answered and reported.
	n := sip.NewRequest(sip.NOTIFY, dtx.InviteRequest.Contact().Address)
	n.AppendHeader(sip.NewHeader("Event", "refer"))
	ct := sip.ContentTypeHeader("message/sipfrag")
	n.AppendHeader(&ct)
	n.SetBody([]byte("SIP/2.0 200 OK\r\n"))
	if res, err := dtx.Do(ctx, n); err != nil || res.StatusCode != 200 {
		t.Fatalf("NOTIFY: %v %v", res, err)
	}
	if code := recv(t, c.TransferProgress(), "progress"); code != 200 {
		t.Errorf("progress %d", code)
	}
	_ = c.Hangup(context.Background())
}

func TestOptionsHealthAndRegister(t *testing.T) {
	t.Parallel()
	regs := make(chan *sip.Request, 8)
	u := newUAS(t, answer(0), func(u *uas) { u.srv.OnRegister(registrar(regs)); u.srv.OnOptions(optionsOK) })
	d := newTestDialer(t, u, func(c *Config) {
		c.Trunks[0].Register = true
		c.Trunks[0].OptionsInterval = 50 * time.Millisecond
	})
	reg := recv(t, regs, "REGISTER with credentials")
	if reg.CSeq().SeqNo != 2 || headerValue(reg, "Expires") != "3600" {
		t.Errorf("REGISTER CSeq %d Expires %q", reg.CSeq().SeqNo, headerValue(reg, "Expires"))
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		st, _ := d.TrunkStatus("gw1")
		if st.Up && st.Registered && st.RTT > 0 {
			if until := time.Until(st.RegisteredUntil); until < 100*time.Second || until > 121*time.Second {
				t.Errorf("registered until %s", until)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("status %+v", st)
		}
		<-time.After(10 * time.Millisecond)
	}
}

func optionsOK(req *sip.Request, tx sip.ServerTransaction) {
	_ = tx.Respond(sip.NewResponseFromRequest(req, 200, "OK", nil))
}

// registrar challenges a REGISTER without credentials, then grants 120 s.
func registrar(regs chan<- *sip.Request) func(req *sip.Request, tx sip.ServerTransaction) {
	return func(req *sip.Request, tx sip.ServerTransaction) {
		if req.GetHeader("Authorization") == nil {
			res := sip.NewResponseFromRequest(req, 401, "Unauthorized", nil)
			res.AppendHeader(sip.NewHeader("WWW-Authenticate", `Digest realm="test", nonce="r1", algorithm=MD5`))
			_ = tx.Respond(res)
			return
		}
		regs <- req
		res := sip.NewResponseFromRequest(req, 200, "OK", nil)
		res.AppendHeader(sip.NewHeader("Expires", "120"))
		_ = tx.Respond(res)
	}
}

func TestOptionsDown(t *testing.T) {
	t.Parallel()
	u := newUAS(t, answer(0), func(u *uas) {
		u.srv.OnOptions(func(req *sip.Request, tx sip.ServerTransaction) {}) // never answers
	})
	d := newTestDialer(t, u, func(c *Config) { c.Trunks[0].OptionsInterval = 100 * time.Millisecond })
	deadline := time.Now().Add(3 * time.Second)
	for {
		st, _ := d.TrunkStatus("gw1")
		if !st.Checked.IsZero() {
			if st.Up {
				t.Errorf("silent trunk reported up: %+v", st)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("never checked")
		}
		<-time.After(10 * time.Millisecond)
	}
}

func TestTCPTrunk(t *testing.T) {
	t.Parallel()
	u := newUAS(t, answer(0))
	d := newTestDialer(t, u, func(c *Config) { c.Trunks[0].Transport = "tcp" })
	c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	if err != nil {
		t.Fatal(err)
	}
	inv := recv(t, u.invites, "INVITE")
	if inv.Transport() != "TCP" {
		t.Errorf("INVITE over %s", inv.Transport())
	}
	recv(t, u.acks, "ACK")
	if err := u.bye(context.Background(), c.CallID()); err != nil {
		t.Fatalf("callee BYE over TCP: %v", err)
	}
	recv(t, c.Done(), "end")
	if r := c.Result(); r.HangupBy != "callee" {
		t.Errorf("result %+v", r)
	}
}

// wireRequest writes the same in-dialog request as dl.request rendered by
// sipgo: compared field by field after parsing both.
func TestWireRequestMatchesBuiltRequest(t *testing.T) {
	d := newRawDialer(t, newRawTrunk(t), timerT1)
	inv := d.buildInvite(d.trunks["gw1"], "13812345678", nil, nil)
	res := sip.NewResponseFromRequest(inv, 200, "OK", nil)
	res.To().Params.Add("tag", "callee")
	res.AppendHeader(&sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: "gw", Host: "10.0.0.9", Port: 5080}})
	res.AppendHeader(sip.NewHeader("Record-Route", "<sip:10.0.0.1;lr>"))
	res.AppendHeader(sip.NewHeader("Record-Route", "<sip:10.0.0.2;lr>"))
	dl, err := newDialog(inv, res)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []sip.RequestMethod{sip.ACK, sip.BYE} {
		built := dl.request(m, 7)
		v := d.via(d.trunks["gw1"])
		v.Params.Add("branch", "z9hG4bKfixed")
		built.PrependHeader(v)
		built.SetBody(nil)
		wm, err := sip.ParseMessage(d.wireRequest(dl, m, 7, "z9hG4bKfixed"))
		if err != nil {
			t.Fatalf("%s: wire request does not parse: %v", m, err)
		}
		w := wm.(*sip.Request)
		for _, c := range []struct{ what, got, want string }{
			{"request line", w.StartLine(), built.StartLine()},
			{"Via", w.Via().Value(), built.Via().Value()},
			{"From", w.From().Value(), built.From().Value()},
			{"To", w.To().Value(), built.To().Value()},
			{"Call-ID", w.CallID().Value(), built.CallID().Value()},
			{"CSeq", w.CSeq().Value(), built.CSeq().Value()},
			{"Max-Forwards", headerValue(w, "Max-Forwards"), headerValue(built, "Max-Forwards")},
			{"Content-Length", headerValue(w, "Content-Length"), "0"},
			{"Route", fmt.Sprint(headerValues(w, "Route")), fmt.Sprint(headerValues(built, "Route"))},
		} {
			if c.got != c.want {
				t.Errorf("%s %s: %q, built %q", m, c.what, c.got, c.want)
			}
		}
	}
}

func headerValues(m *sip.Request, name string) []string {
	var out []string
	for _, h := range m.GetHeaders(name) {
		out = append(out, h.Value())
	}
	return out
}
