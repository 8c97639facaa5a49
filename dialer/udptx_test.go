package dialer

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
)

// rawTrunk is a trunk made of a bare UDP socket: the test sees every
// datagram the dialer sends, retransmissions included, and answers by hand.
type rawTrunk struct {
	t    *testing.T
	conn *net.UDPConn
	from net.Addr
}

func newRawTrunk(t *testing.T) *rawTrunk {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawTrunk{t: t, conn: c}
}

func (r *rawTrunk) addr() string { return r.conn.LocalAddr().String() }

// next returns the next request the dialer sent.
func (r *rawTrunk) next() *sip.Request {
	r.t.Helper()
	buf := make([]byte, 4096)
	_ = r.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, from, err := r.conn.ReadFrom(buf)
	if err != nil {
		r.t.Fatalf("trunk read: %v", err)
	}
	r.from = from
	msg, err := sip.ParseMessage(buf[:n])
	if err != nil {
		r.t.Fatalf("trunk got an unparsable message: %v", err)
	}
	req, ok := msg.(*sip.Request)
	if !ok {
		r.t.Fatalf("trunk got a response: %s", msg.String())
	}
	return req
}

// reply answers req with code, with a To tag.
func (r *rawTrunk) reply(req *sip.Request, code int, reason string) {
	r.t.Helper()
	res := sip.NewResponseFromRequest(req, code, reason, nil)
	res.To().Params.Add("tag", "trunk1") // replaces the tag sipgo made up
	if code >= 200 && code < 300 && req.IsInvite() {
		res.AppendHeader(&sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: "gw", Host: "127.0.0.1", Port: r.conn.LocalAddr().(*net.UDPAddr).Port}})
	}
	if _, err := r.conn.WriteTo([]byte(res.String()), r.from); err != nil {
		r.t.Fatal(err)
	}
}

func branchOf(req *sip.Request) string { b, _ := req.Via().Params.Get("branch"); return b }

func newRawDialer(t *testing.T, r *rawTrunk, t1 time.Duration) *Dialer {
	t.Helper()
	return newRawDialerWindow(t, r, t1, 0)
}

// newRawDialerWindow is newRawDialer with a send window (negative: none, so
// responses reach our transactions through sipgo's read filter instead of
// the send batch's take).
func newRawDialerWindow(t *testing.T, r *rawTrunk, t1, window time.Duration) *Dialer {
	t.Helper()
	d, err := New(Config{Trunks: []Trunk{{Name: "gw1", Addr: r.addr(), CallerID: "02150001234"}}, ListenAddr: "127.0.0.1:0", SendWindow: window})
	if err != nil {
		t.Fatal(err)
	}
	d.t1 = t1
	if err := d.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Stop)
	return d
}

func dialAsync(d *Dialer) <-chan error {
	done := make(chan error, 1)
	go func() {
		c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
		if c != nil {
			_ = c.Hangup(context.Background())
		}
		done <- err
	}()
	return done
}

// RFC 3261 §17.1.1.2: the INVITE is retransmitted (Timer A) until a response
// comes; a non-2xx final is ACKed in the same transaction (same branch,
// the response's To tag), and ACKed again when it is retransmitted.
func TestUDPInviteRetransmissionAndNon2xxAck(t *testing.T) {
	t.Parallel()
	for _, window := range []time.Duration{0, -1} {
		t.Run(fmt.Sprintf("send window %v", window), func(t *testing.T) {
			t.Parallel()
			inviteRetransmissionAndNon2xxAck(t, window)
		})
	}
}

func inviteRetransmissionAndNon2xxAck(t *testing.T, window time.Duration) {
	r := newRawTrunk(t)
	d := newRawDialerWindow(t, r, 20*time.Millisecond, window)
	if _, batched := d.conn.(*sendBatch); batched != (window >= 0) {
		t.Fatalf("send window %v: socket batched %v", window, batched)
	}
	done := dialAsync(d)
	first := r.next()
	for i := range 2 { // ignored: Timer A sends it again
		again := r.next()
		if again.Method != sip.INVITE || branchOf(again) != branchOf(first) {
			t.Fatalf("retransmission %d: %s branch %s, want INVITE branch %s", i+1, again.Method, branchOf(again), branchOf(first))
		}
	}
	r.reply(first, 486, "Busy Here")
	ack := r.next()
	if ack.Method != sip.ACK || branchOf(ack) != branchOf(first) || ack.CSeq().SeqNo != first.CSeq().SeqNo {
		t.Fatalf("got %s branch %s cseq %d, want the ACK of the INVITE's transaction", ack.Method, branchOf(ack), ack.CSeq().SeqNo)
	}
	if tag, _ := ack.To().Params.Get("tag"); tag != "trunk1" {
		t.Errorf("ACK To tag %q, want the response's", tag)
	}
	r.reply(first, 486, "Busy Here") // the 486 again, as if the ACK was lost
	if again := r.next(); again.Method != sip.ACK || branchOf(again) != branchOf(first) {
		t.Fatalf("retransmitted 486 answered with %s, want the ACK again", again.Method)
	}
	if de := dialErr(t, <-done); de.Outcome != Busy || de.Status != 486 {
		t.Fatalf("outcome %v", de)
	}
}

// Timer B: an INVITE without any response ends after 64·T1, having been
// sent with doubling intervals.
func TestUDPInviteTimerB(t *testing.T) {
	t.Parallel()
	r := newRawTrunk(t)
	d := newRawDialer(t, r, 10*time.Millisecond)
	done := dialAsync(d)
	first := r.next()
	branches := make(chan string, 64)
	go func() { // counts the retransmissions until the socket stays quiet
		buf := make([]byte, 4096)
		for {
			_ = r.conn.SetReadDeadline(time.Now().Add(time.Second))
			n, _, err := r.conn.ReadFrom(buf)
			if err != nil {
				close(branches)
				return
			}
			if msg, err := sip.ParseMessage(buf[:n]); err == nil {
				if req, ok := msg.(*sip.Request); ok && req.Method == sip.INVITE {
					branches <- branchOf(req)
				}
			}
		}
	}()
	err := <-done
	sent := 1
	for b := range branches {
		if b == branchOf(first) {
			sent++
		}
	}
	// At 10 ms, then 20, 40, 80, 160, 320 ms apart: 7 sends before 640 ms.
	if sent < 5 || sent > 7 {
		t.Errorf("INVITE sent %d times before Timer B, want 7", sent)
	}
	if de := dialErr(t, err); de.Outcome != TrunkError || de.Status != 0 {
		t.Fatalf("outcome %v, want trunk_error without status", de)
	}
}

// Timer E: a BYE is retransmitted until answered; the provisional 100
// neither ends it nor stops it.
func TestUDPByeRetransmission(t *testing.T) {
	t.Parallel()
	r := newRawTrunk(t)
	d := newRawDialer(t, r, 20*time.Millisecond)
	done := dialAsync(d)
	inv := r.next()
	r.reply(inv, 200, "OK")
	if ack := r.next(); ack.Method != sip.ACK {
		t.Fatalf("got %s, want ACK", ack.Method)
	}
	bye := r.next()
	if bye.Method != sip.BYE {
		t.Fatalf("got %s, want BYE", bye.Method)
	}
	r.reply(bye, 100, "Trying")
	again := r.next()
	if again.Method != sip.BYE || branchOf(again) != branchOf(bye) {
		t.Fatalf("got %s branch %s, want the BYE again", again.Method, branchOf(again))
	}
	r.reply(again, 200, "OK")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// Only responses of our own transactions are taken from sipgo: an unknown
// branch, or our INVITE's branch with CSeq CANCEL (the CANCEL is sipgo's
// transaction, §9.1), are left to it.
func TestDispatchResponseMatchesBranchAndMethod(t *testing.T) {
	d, err := New(Config{Trunks: []Trunk{{Name: "gw1", Addr: "127.0.0.1:5060", CallerID: "1"}}})
	if err != nil {
		t.Fatal(err)
	}
	tx := &udpTx{d: d, key: txKey("z9hG4bKours", sip.INVITE), invite: true, res: make(chan *sip.Response, 1), done: make(chan struct{})}
	d.txs.add(tx)
	msg := func(branch, method string) []byte {
		return []byte("SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=" + branch +
			"\r\nFrom: <sip:1@x>;tag=a\r\nTo: <sip:2@x>;tag=b\r\nCall-ID: c1\r\nCSeq: 1 " + method + "\r\nContent-Length: 0\r\n\r\n")
	}
	for _, tc := range []struct {
		branch, method string
		ours           bool
	}{
		{"z9hG4bKours", "INVITE", true},
		{"z9hG4bKother", "INVITE", false},
		{"z9hG4bKours", "CANCEL", false},
	} {
		if got := d.dispatchResponse(msg(tc.branch, tc.method)); got != tc.ours {
			t.Errorf("branch %s %s: taken %v, want %v", tc.branch, tc.method, got, tc.ours)
		}
	}
	if d.dispatchResponse([]byte("SIP/2.0 180 garbage")) {
		t.Error("an unparsable response was taken")
	}
	if len(tx.res) != 1 {
		t.Errorf("%d responses delivered, want 1", len(tx.res))
	}
}

// The expiry queue drops what is due, in order, and never a newer
// transaction that reuses a key.
func TestTxTableSweep(t *testing.T) {
	tab := newTxTable()
	t0 := time.Unix(1000, 0)
	var txs []*udpTx
	for i := range 3 {
		tx := &udpTx{key: fmt.Sprint("k", i)}
		tab.add(tx)
		tab.expire(tx, t0.Add(time.Duration(i+1)*time.Second))
		txs = append(txs, tx)
	}
	newer := &udpTx{key: "k1"} // k1 ended early and its key came back
	tab.remove("k1")
	tab.add(newer)
	tab.sweep(t0.Add(2 * time.Second))
	if tab.get("k0") != nil || tab.get("k1") != newer || tab.get("k2") != txs[2] {
		t.Fatalf("after the sweep: k0 %v, k1 %v (want the newer), k2 %v", tab.get("k0"), tab.get("k1"), tab.get("k2"))
	}
	tab.sweep(t0.Add(time.Hour))
	if tab.get("k2") != nil || len(tab.queue)-tab.head != 0 {
		t.Fatalf("k2 %v, %d queued, want none", tab.get("k2"), len(tab.queue)-tab.head)
	}
}

// A final response is never lost behind provisional ones the user has not
// read yet: it takes the place of the oldest.
func TestUDPFinalNotDroppedBehindProvisionals(t *testing.T) {
	r := newRawTrunk(t)
	d := newRawDialer(t, r, time.Hour)
	inv := d.buildInvite(d.trunks["gw1"], "13812345678", nil, nil)
	tx, err := d.startUDPTx(inv, d.trunks["gw1"].udpAddr)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []int{100, 180, 183, 183, 183} { // the user is busy: not reading
		tx.receive(&sip.Response{StatusCode: code})
	}
	ok := sip.NewResponseFromRequest(inv, 200, "OK", nil)
	ok.To().Params.Add("tag", "x")
	tx.receive(ok)
	var got []int
	for len(tx.res) > 0 {
		got = append(got, (<-tx.res).StatusCode)
	}
	if len(got) == 0 || got[len(got)-1] != 200 {
		t.Errorf("responses delivered %v, want the 200 last", got)
	}
}

// Timer A's callback, already running when the first provisional came
// (time.Timer.Stop cannot stop it), must not arm Timer B again: a ringing
// INVITE waits for its ring timeout, not 64·T1 (§17.1.1.2).
func TestUDPProceedingInviteHasNoTimerB(t *testing.T) {
	r := newRawTrunk(t)
	d := newRawDialer(t, r, 10*time.Millisecond)
	inv := d.buildInvite(d.trunks["gw1"], "13812345678", nil, nil)
	tx, err := d.startUDPTx(inv, d.trunks["gw1"].udpAddr)
	if err != nil {
		t.Fatal(err)
	}
	tx.receive(&sip.Response{StatusCode: 180, Reason: "Ringing"})
	tx.fire() // as the timer goroutine blocked on tx.mu would run it
	select {
	case <-tx.Done():
		t.Fatalf("a ringing INVITE ended: %v", tx.Err())
	case <-time.After(64 * 10 * time.Millisecond * 2):
	}
	tx.Terminate()
}

// The route set is the same whether the trunk writes Record-Route as two
// headers or as one comma-joined list (RFC 3261 §7.3.1, §12.1.2).
func TestUDPRecordRouteCommaList(t *testing.T) {
	ackRoutes := func(rr string) string {
		r := newRawTrunk(t)
		d := newRawDialer(t, r, time.Hour)
		done := dialAsync(d)
		inv := r.next()
		res := sip.NewResponseFromRequest(inv, 200, "OK", nil)
		res.To().Params.Add("tag", "trunk1")
		res.AppendHeader(&sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: "gw", Host: "127.0.0.1", Port: r.conn.LocalAddr().(*net.UDPAddr).Port}})
		b := strings.Replace(res.String(), "\r\n\r\n", "\r\n"+rr+"\r\n\r\n", 1)
		if _, err := r.conn.WriteTo([]byte(b), r.from); err != nil {
			t.Fatal(err)
		}
		ack := r.next()
		var got []string
		for _, h := range ack.GetHeaders("Route") {
			got = append(got, h.Value())
		}
		r.reply(r.next(), 200, "OK") // the BYE of dialAsync's hangup
		<-done
		return strings.Join(got, " | ")
	}
	two := ackRoutes("Record-Route: <sip:p1.example;lr>\r\nRecord-Route: <sip:p2.example;lr>")
	one := ackRoutes("Record-Route: <sip:p1.example;lr>, <sip:p2.example;lr>")
	if want := "<sip:p2.example;lr> | <sip:p1.example;lr>"; two != want || one != want {
		t.Errorf("ACK routes: two headers %q, one list %q, want %q", two, one, want)
	}
}

// Our UDP transactions go to the trunk's first IPv4 address, where sipgo
// sends the CANCEL.
func TestPreferIPv4(t *testing.T) {
	ips := []netip.Addr{netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("192.0.2.7"), netip.MustParseAddr("192.0.2.8")}
	if got := preferIPv4(ips); got != netip.MustParseAddr("192.0.2.7") {
		t.Errorf("got %v", got)
	}
	if got := preferIPv4(ips[:1]); got != ips[0] {
		t.Errorf("IPv6 only: got %v", got)
	}
}
