package dialer

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
	"github.com/icholy/digest"
)

// uas is a small sipgo user agent server standing in for a trunk in tests.
// Each INVITE runs behave; ACK, BYE, CANCEL, INFO and REFER are recorded.
type uas struct {
	t       testing.TB
	addr    string
	ua      *sipgo.UserAgent
	srv     *sipgo.Server
	client  *sipgo.Client
	dialogs *sipgo.DialogServerCache
	behave  func(u *uas, req *sip.Request, tx sip.ServerTransaction)

	invites chan *sip.Request
	acks    chan *sip.Request
	byes    chan *sip.Request
	refers  chan *sip.Request

	mu       sync.Mutex
	sessions map[string]*sipgo.DialogServerSession
}

func newUAS(t testing.TB, behave func(u *uas, req *sip.Request, tx sip.ServerTransaction), setup ...func(u *uas)) *uas {
	t.Helper()
	conn, ln := listenPair(t)
	addr := conn.LocalAddr().(*net.UDPAddr)
	ua, err := sipgo.NewUA(sipgo.WithUserAgent("uas"), sipgo.WithUserAgentHostname("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	client, _ := sipgo.NewClient(ua, sipgo.WithClientHostname("127.0.0.1"), sipgo.WithClientPort(addr.Port),
		sipgo.WithClientConnectionAddr(addr.String()))
	srv, _ := sipgo.NewServer(ua)
	u := &uas{
		t: t, addr: addr.String(), ua: ua, srv: srv, client: client, behave: behave,
		invites: make(chan *sip.Request, 16), acks: make(chan *sip.Request, 16),
		byes: make(chan *sip.Request, 16), refers: make(chan *sip.Request, 16),
		sessions: map[string]*sipgo.DialogServerSession{},
	}
	u.dialogs = sipgo.NewDialogServerCache(client, sip.ContactHeader{
		Address: sip.Uri{Scheme: "sip", User: "uas", Host: "127.0.0.1", Port: addr.Port}})
	srv.OnInvite(u.onInvite)
	srv.OnAck(func(req *sip.Request, tx sip.ServerTransaction) {
		_ = u.dialogs.ReadAck(req, tx)
		u.acks <- req
	})
	srv.OnBye(func(req *sip.Request, tx sip.ServerTransaction) {
		if err := u.dialogs.ReadBye(req, tx); err != nil {
			_ = tx.Respond(sip.NewResponseFromRequest(req, 481, "Call/Transaction Does Not Exist", nil))
		}
		u.byes <- req
	})
	srv.OnRefer(func(req *sip.Request, tx sip.ServerTransaction) {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 202, "Accepted", nil))
		u.refers <- req
	})
	for _, f := range setup {
		f(u)
	}
	go func() { _ = srv.ServeUDP(conn) }()
	go func() { _ = srv.ServeTCP(ln) }()
	t.Cleanup(func() { ln.Close() })
	t.Cleanup(func() {
		conn.Close()
		ua.Close()
	})
	return u
}

// listenPair binds UDP and TCP on one ephemeral port.
func listenPair(t testing.TB) (net.PacketConn, net.Listener) {
	for range 10 {
		conn, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", conn.LocalAddr().String())
		if err == nil {
			return conn, ln
		}
		conn.Close()
	}
	t.Fatal("no port free for both UDP and TCP")
	return nil, nil
}

func (u *uas) onInvite(req *sip.Request, tx sip.ServerTransaction) {
	if req.To() != nil {
		if _, ok := req.To().Params.Get("tag"); ok { // re-INVITE: not used by these tests
			_ = tx.Respond(sip.NewResponseFromRequest(req, 200, "OK", nil))
			return
		}
	}
	u.invites <- req.Clone()
	u.behave(u, req, tx)
}

// respond answers the INVITE with a final response (and optional headers).
func respond(code int, reason string, hdrs ...sip.Header) func(u *uas, req *sip.Request, tx sip.ServerTransaction) {
	return func(u *uas, req *sip.Request, tx sip.ServerTransaction) {
		res := sip.NewResponseFromRequest(req, code, reason, nil)
		for _, h := range hdrs {
			res.AppendHeader(h)
		}
		_ = tx.Respond(res)
		waitTx(tx)
	}
}

func waitTx(tx sip.ServerTransaction) {
	select {
	case <-tx.Acks():
	case <-tx.Done():
	case <-time.After(5 * time.Second):
	}
}

// answer rings for ring, then answers 200 with SDP and keeps the session.
func answer(ring time.Duration) func(u *uas, req *sip.Request, tx sip.ServerTransaction) {
	return func(u *uas, req *sip.Request, tx sip.ServerTransaction) {
		dtx, err := u.dialogs.ReadInvite(req, tx)
		if err != nil {
			u.t.Errorf("uas ReadInvite: %v", err)
			return
		}
		_ = dtx.Respond(180, "Ringing", nil)
		if ring > 0 {
			select {
			case <-time.After(ring):
			case <-tx.Done():
				return
			}
		}
		u.mu.Lock()
		u.sessions[req.CallID().Value()] = dtx
		u.mu.Unlock()
		ct := sip.ContentTypeHeader("application/sdp")
		if err := dtx.Respond(200, "OK", minimalSDP("127.0.0.1", 40000, 1, 1), &ct); err != nil {
			u.t.Logf("uas 200: %v", err)
		}
	}
}

// ringForever sends 180 and waits; sipgo answers a CANCEL with 200 and 487.
func ringForever(u *uas, req *sip.Request, tx sip.ServerTransaction) {
	_ = tx.Respond(sip.NewResponseFromRequest(req, 180, "Ringing", nil))
	waitTx(tx)
}

// bye sends BYE from the callee side in the dialog of callID.
func (u *uas) bye(ctx context.Context, callID string) error {
	u.mu.Lock()
	dtx := u.sessions[callID]
	u.mu.Unlock()
	if dtx == nil {
		return fmt.Errorf("no session %s", callID)
	}
	return dtx.Bye(ctx)
}

// challenge answers the first INVITE with 401 (or 407) and accepts the
// second only when its digest response is right.
func challenge(code int, user, pass string) func(u *uas, req *sip.Request, tx sip.ServerTransaction) {
	var mu sync.Mutex
	n := 0
	chName, authName := "WWW-Authenticate", "Authorization"
	if code == 407 {
		chName, authName = "Proxy-Authenticate", "Proxy-Authorization"
	}
	return func(u *uas, req *sip.Request, tx sip.ServerTransaction) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first || user == "" {
			res := sip.NewResponseFromRequest(req, code, "Auth", nil)
			res.AppendHeader(sip.NewHeader(chName, `Digest realm="test", nonce="abc123", qop="auth", algorithm=MD5`))
			_ = tx.Respond(res)
			waitTx(tx)
			return
		}
		h := req.GetHeader(authName)
		if h == nil || !checkDigest(h.Value(), "INVITE", user, pass) {
			_ = tx.Respond(sip.NewResponseFromRequest(req, 403, "Bad Credentials", nil))
			waitTx(tx)
			return
		}
		answer(0)(u, req, tx)
	}
}

func checkDigest(value, method, user, pass string) bool {
	cred, err := digest.ParseCredentials(value)
	if err != nil || cred.Username != user {
		return false
	}
	h := func(s string) string { x := md5.Sum([]byte(s)); return hex.EncodeToString(x[:]) }
	ha1 := h(user + ":" + cred.Realm + ":" + pass)
	ha2 := h(method + ":" + cred.URI)
	want := h(strings.Join([]string{ha1, cred.Nonce, fmt.Sprintf("%08x", cred.Nc), cred.Cnonce, cred.QOP, ha2}, ":"))
	return want == cred.Response
}

// recv waits for one item or fails the test.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatalf("timeout waiting for %s", what)
	}
	var zero T
	return zero
}

// none asserts nothing arrives on ch within d.
func none[T any](t *testing.T, ch <-chan T, d time.Duration, what string) {
	t.Helper()
	select {
	case <-ch:
		t.Fatalf("unexpected %s", what)
	case <-time.After(d):
	}
}
