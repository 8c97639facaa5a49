package sim

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// phone is the test's caller: a small sipgo UAC that also serves the
// in-dialog requests the simulator sends (BYE, INFO).
type phone struct {
	t      testing.TB
	client *sipgo.Client
	dc     *sipgo.DialogClientCache
	addr   string
	mu     sync.Mutex
	infos  []string // INFO bodies
	byes   int
	byeCh  chan struct{}
	ringCh chan int // statuses of the provisional responses above 100, as they come
}

func newPhone(t testing.TB, network string) *phone {
	t.Helper()
	quiet := slog.New(slog.DiscardHandler)
	ua, err := sipgo.NewUA(sipgo.WithUserAgentHostname("127.0.0.1"),
		sipgo.WithUserAgentTransportLayerOptions(sip.WithTransportLayerLogger(quiet)),
		sipgo.WithUserAgentTransactionLayerOptions(sip.WithTransactionLayerLogger(quiet)))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sipgo.NewServer(ua, sipgo.WithServerLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	addr, stop := serveLoopback(t, srv, network)
	_, portS, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portS)
	client, err := sipgo.NewClient(ua, sipgo.WithClientLogger(quiet), sipgo.WithClientHostname("127.0.0.1"), sipgo.WithClientPort(port))
	if err != nil {
		t.Fatal(err)
	}
	contact := sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: "phone", Host: "127.0.0.1", Port: port}}
	if network == "tcp" {
		contact.Address.UriParams = sip.NewParams()
		contact.Address.UriParams.Add("transport", "tcp")
	}
	p := &phone{t: t, client: client, addr: addr, byeCh: make(chan struct{}, 16), ringCh: make(chan int, 16),
		dc: sipgo.NewDialogClientCache(client, contact)}
	srv.OnBye(func(req *sip.Request, tx sip.ServerTransaction) {
		if err := p.dc.ReadBye(req, tx); err != nil {
			_ = tx.Respond(sip.NewResponseFromRequest(req, 481, "No Dialog", nil))
			return
		}
		p.mu.Lock()
		p.byes++
		p.mu.Unlock()
		p.byeCh <- struct{}{}
	})
	srv.OnInfo(func(req *sip.Request, tx sip.ServerTransaction) {
		p.mu.Lock()
		p.infos = append(p.infos, string(req.Body()))
		p.mu.Unlock()
		_ = tx.Respond(sip.NewResponseFromRequest(req, 200, "OK", nil))
	})
	t.Cleanup(func() {
		stop()
		ua.Close()
	})
	return p
}

// serveLoopback serves srv on an ephemeral 127.0.0.1 port; stop closes
// the socket and waits for the serve loop.
func serveLoopback(t testing.TB, srv *sipgo.Server, network string) (addr string, stop func()) {
	t.Helper()
	done := make(chan struct{})
	if network == "tcp" {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { defer close(done); _ = srv.ServeTCP(l) }()
		return l.Addr().String(), func() { l.Close(); <-done }
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { defer close(done); _ = srv.ServeUDP(pc) }()
	return pc.LocalAddr().String(), func() { pc.Close(); <-done }
}

// attempt is one call placed by the phone.
type attempt struct {
	sess     *sipgo.DialogClientSession
	mu       sync.Mutex
	statuses []int
	finalAt  time.Time // when the final response arrived
	err      error
}

func (a *attempt) codes() []int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]int(nil), a.statuses...)
}

// dial sends an INVITE with offer to number at the simulator and waits for
// the final response (or ctx). onSDP runs on a 183 or 200 with SDP, before
// the ACK goes out.
func (p *phone) dial(ctx context.Context, sim *Server, number string, offer []byte, onSDP func([]byte)) *attempt {
	p.t.Helper()
	host, portS, _ := net.SplitHostPort(sim.Addr())
	port, _ := strconv.Atoi(portS)
	uri := sip.Uri{Scheme: "sip", User: number, Host: host, Port: port}
	var hdrs []sip.Header
	if offer != nil {
		hdrs = append(hdrs, sip.NewHeader("Content-Type", "application/sdp"))
	}
	if sim.Network() == "tcp" {
		uri.UriParams = sip.NewParams()
		uri.UriParams.Add("transport", "tcp")
	}
	a := &attempt{}
	sess, err := p.dc.Invite(context.Background(), uri, offer, hdrs...)
	if err != nil {
		a.err = err
		return a
	}
	a.sess = sess
	a.err = sess.WaitAnswer(ctx, sipgo.AnswerOptions{OnResponse: func(res *sip.Response) error {
		a.mu.Lock()
		a.statuses = append(a.statuses, res.StatusCode)
		if res.StatusCode >= 200 {
			a.finalAt = time.Now()
		}
		a.mu.Unlock()
		if res.StatusCode > 100 && res.StatusCode < 200 {
			select {
			case p.ringCh <- res.StatusCode:
			default:
			}
		}
		if (res.StatusCode == 183 || res.StatusCode == 200) && len(res.Body()) > 0 && onSDP != nil {
			onSDP(res.Body())
		}
		return nil
	}})
	if a.err == nil {
		a.err = sess.Ack(context.Background())
	}
	return a
}

// finalStatus returns the final status of a failed attempt.
func (a *attempt) finalStatus() int {
	var de *sipgo.ErrDialogResponse
	if errors.As(a.err, &de) {
		return de.Res.StatusCode
	}
	if a.sess != nil && a.sess.InviteResponse != nil {
		return a.sess.InviteResponse.StatusCode
	}
	return 0
}

func (p *phone) infoBodies() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.infos...)
}

// eventually polls cond every 5 ms until it holds or d passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		<-tick.C
	}
}

// startSim starts a simulator with the given rules and stops it at cleanup.
func startSim(t *testing.T, cfg Config) *Server {
	t.Helper()
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// callLog returns the log of callID.
func callLog(s *Server, number string) (CallLog, bool) {
	for _, c := range s.Calls() {
		if c.Number == number {
			return c, true
		}
	}
	return CallLog{}, false
}
