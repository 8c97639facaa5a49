package dialer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
)

// SIP timers for UDP (RFC 3261 §17.1.1.1, §17.1.2.1, Table 4).
const (
	timerT1 = 500 * time.Millisecond
	timerT2 = 4 * time.Second
)

// errTxTimeout ends a client transaction that got no final response in
// 64·T1 (Timer B for INVITE, Timer F otherwise).
var errTxTimeout = errors.New("transaction timed out (64*T1 without a final response)")

// udpTx is a client transaction over UDP that the dialer runs itself (RFC
// 3261 §17.1) rather than through sipgo's transaction layer: the request is
// written straight to the socket and retransmitted on Timer A or E, and its
// responses, matched by top Via branch and CSeq method as the socket is read
// (dispatchResponse), come on a channel. No goroutine runs per transaction or per response; on
// a busy trunk sipgo's layer cost a goroutine per response, a channel and
// two timers per transaction, and a second parse-and-route pass.
//
// It implements sip.ClientTransaction, so an attempt drives a UDP INVITE
// and a TCP or TLS one (sipgo's) the same way.
type udpTx struct {
	d      *Dialer
	key    string
	method sip.RequestMethod
	invite bool
	req    *sip.Request // the INVITE (for the ACK of a non-2xx); nil for requests written directly
	msg    []byte       // the request as sent, for retransmissions
	to     net.Addr     // the trunk
	res    chan *sip.Response
	done   chan struct{}

	mu       sync.Mutex
	interval time.Duration // retransmission interval (Timer A or E)
	timer    *time.Timer   // the next retransmission (A or E) or the timeout (B or F), whichever is first
	next     time.Time     // when the next retransmission is due
	deadline time.Time     // Timer B or F: 64·T1 after the request
	retx     bool          // retransmitting (an INVITE stops at its first response)
	final    int           // status of the first final response, 0 before it
	ack      []byte        // ACK of a non-2xx final (§17.1.1.3), resent for each retransmission
	onTerm   []sip.FnTxTerminate
	err      error
	ended    bool
}

// txKey identifies a client transaction by top Via branch and CSeq method
// (§17.1.3: a CANCEL shares its INVITE's branch).
func txKey(branch string, method sip.RequestMethod) string { return branch + " " + string(method) }

// startUDPTx writes req to the trunk and starts its transaction.
func (d *Dialer) startUDPTx(req *sip.Request, to net.Addr) (*udpTx, error) {
	branch, _ := req.Via().Params.Get("branch")
	return d.startTx(req.Method, branch, d.render(req), req, to)
}

// startTx writes msg, a request of method with top Via branch, to the trunk
// and starts its transaction; req is the request built (an INVITE needs it).
func (d *Dialer) startTx(method sip.RequestMethod, branch string, msg []byte, req *sip.Request, to net.Addr) (*udpTx, error) {
	tx := &udpTx{
		d: d, key: txKey(branch, method), method: method, invite: method == sip.INVITE, to: to, req: req,
		msg: msg, res: make(chan *sip.Response, 4), done: make(chan struct{}),
		interval: d.t1,
	}
	// Timers and table entry first, under mu: a response may come back
	// before WriteTo returns, and it waits for mu.
	tx.mu.Lock()
	d.txs.add(tx)
	now := time.Now()
	tx.next, tx.deadline, tx.retx = now.Add(tx.interval), now.Add(64*d.t1), true
	tx.timer = time.AfterFunc(tx.interval, tx.fire)
	_, err := d.conn.WriteTo(tx.msg, to)
	tx.mu.Unlock()
	if err != nil {
		tx.end(err)
		return nil, err
	}
	return tx, nil
}

// fire runs the transaction's one timer: Timer B or F ends it (64·T1
// without a final response); else Timer A (INVITE: doubling, until a
// response) or E (others: doubling up to T2, every T2 once a provisional
// came) retransmits the request.
func (tx *udpTx) fire() {
	tx.mu.Lock()
	// A proceeding INVITE has no timer left (§17.1.1.2): this run of the
	// callback began before a provisional stopped the timer, and must not
	// arm Timer B again.
	if tx.ended || tx.final != 0 || (tx.invite && !tx.retx) {
		tx.mu.Unlock()
		return
	}
	now := time.Now()
	if !now.Before(tx.deadline) {
		tx.mu.Unlock()
		tx.end(errTxTimeout)
		return
	}
	if tx.retx && !now.Before(tx.next) {
		_, _ = tx.d.conn.WriteTo(tx.msg, tx.to)
		tx.interval *= 2
		if !tx.invite {
			tx.interval = min(tx.interval, timerT2)
		}
		tx.next = now.Add(tx.interval)
	}
	tx.arm(now)
	tx.mu.Unlock()
}

// arm sets the timer to the next retransmission or the deadline.
func (tx *udpTx) arm(now time.Time) {
	at := tx.deadline
	if tx.retx && tx.next.Before(at) {
		at = tx.next
	}
	tx.timer.Reset(at.Sub(now))
}

// receive takes a response matched to this transaction (on the reader's
// goroutine: it never blocks).
func (tx *udpTx) receive(res *sip.Response) {
	tx.mu.Lock()
	if tx.ended && tx.final == 0 {
		tx.mu.Unlock()
		return
	}
	if tx.final != 0 { // a retransmitted non-2xx: only those stay (see below)
		ack := tx.ack
		tx.mu.Unlock()
		_, _ = tx.d.conn.WriteTo(ack, tx.to) // §17.1.1.2: ACK each retransmission
		return
	}
	if res.IsProvisional() {
		tx.proceeding()
		tx.mu.Unlock()
		tx.deliver(res)
		return
	}
	tx.final = res.StatusCode
	tx.stopTimers()
	if tx.invite && !res.IsSuccess() {
		tx.ack = tx.d.render(buildNon2xxAck(tx.req, res))
		_, _ = tx.d.conn.WriteTo(tx.ack, tx.to)
	}
	// A non-2xx INVITE stays for Timer D (64·T1 here) to ACK each
	// retransmission of its final response, keeping only its key and ACK.
	// A 2xx ends the transaction (RFC 6026 §8.4 leaves its retransmissions
	// to the TU): the live call ACKs them again (unhandledResponse).
	tx.req, tx.msg = nil, nil
	keep := tx.invite && !res.IsSuccess()
	tx.mu.Unlock()
	tx.deliver(res)
	if keep {
		tx.d.txs.expire(tx, tx.d.now().Add(64*tx.d.t1))
	} else {
		tx.d.txs.remove(tx.key)
	}
}

// proceeding handles a provisional response: an INVITE stops retransmitting
// and waits for the TU (Timer B stops, §17.1.1.2); others retransmit every T2.
func (tx *udpTx) proceeding() {
	if tx.invite {
		tx.retx = false
		tx.stopTimers()
		return
	}
	tx.interval = timerT2
}

func (tx *udpTx) stopTimers() {
	if tx.timer != nil {
		tx.timer.Stop()
	}
}

// deliver hands a response to the transaction's user without blocking the
// reader. A provisional one is dropped if the user is that far behind; a
// final one never is: it takes the place of the oldest provisional waiting
// (the reader is the only sender, so there is room after one receive).
func (tx *udpTx) deliver(res *sip.Response) {
	for {
		select {
		case tx.res <- res:
			return
		default:
		}
		if res.IsProvisional() {
			tx.d.log.Warn("SIP provisional response dropped: transaction not reading", "status", res.StatusCode)
			return
		}
		select {
		case old := <-tx.res:
			tx.d.log.Debug("SIP provisional response replaced by the final one", "status", old.StatusCode)
		default:
		}
	}
}

// end terminates the transaction with err (nil: terminated by the TU).
func (tx *udpTx) end(err error) {
	tx.mu.Lock()
	if tx.ended {
		tx.mu.Unlock()
		return
	}
	tx.ended, tx.err = true, err
	tx.stopTimers()
	hooks, final := tx.onTerm, tx.final
	tx.mu.Unlock()
	if final == 0 {
		tx.d.txs.remove(tx.key)
	}
	close(tx.done)
	for _, f := range hooks {
		f(tx.key, err)
	}
}

// Responses, Done, Err, Terminate, OnTerminate and OnRetransmission
// implement sip.ClientTransaction.
func (tx *udpTx) Responses() <-chan *sip.Response { return tx.res }
func (tx *udpTx) Done() <-chan struct{}           { return tx.done }
func (tx *udpTx) Terminate()                      { tx.end(nil) }

func (tx *udpTx) Err() error {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	return tx.err
}

func (tx *udpTx) OnTerminate(f sip.FnTxTerminate) bool {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	if tx.ended {
		return false
	}
	tx.onTerm = append(tx.onTerm, f)
	return true
}

// OnRetransmission keeps no hook: a 2xx ends the transaction, and its
// retransmissions reach the live call (Dialer.unhandledResponse).
func (tx *udpTx) OnRetransmission(sip.FnTxResponse) bool { return false }

// buildNon2xxAck builds the ACK of a non-2xx final response from the INVITE
// as sent (§17.1.1.3): its Request-URI, top Via, From, Call-ID and Route, the
// response's To (with the tag), CSeq with the INVITE's number and ACK.
func buildNon2xxAck(req *sip.Request, res *sip.Response) *sip.Request {
	ack := sip.NewRequest(sip.ACK, *req.Recipient.Clone())
	ack.AppendHeader(sip.HeaderClone(req.Via()))
	mf := sip.MaxForwardsHeader(70)
	ack.AppendHeader(&mf)
	ack.AppendHeader(sip.HeaderClone(req.From()))
	if to := res.To(); to != nil {
		ack.AppendHeader(sip.HeaderClone(to))
	} else {
		ack.AppendHeader(sip.HeaderClone(req.To()))
	}
	ack.AppendHeader(sip.HeaderClone(req.CallID()))
	ack.AppendHeader(&sip.CSeqHeader{SeqNo: req.CSeq().SeqNo, MethodName: sip.ACK})
	sip.CopyHeaders("Route", req, ack)
	ack.SetBody(nil)
	return ack
}

// doUDP sends a request that is not an INVITE in its own UDP transaction
// and waits for its final response (RFC 3261 §17.1.2).
func (d *Dialer) doUDP(ctx context.Context, req *sip.Request, to net.Addr) (*sip.Response, error) {
	tx, err := d.startUDPTx(req, to)
	if err != nil {
		return nil, err
	}
	return tx.wait(ctx)
}

// doWire is doUDP for a request already rendered (wireRequest).
func (d *Dialer) doWire(ctx context.Context, method sip.RequestMethod, branch string, msg []byte, to net.Addr) (*sip.Response, error) {
	tx, err := d.startTx(method, branch, msg, nil, to)
	if err != nil {
		return nil, err
	}
	return tx.wait(ctx)
}

// wait returns the final response of a transaction that is not an INVITE.
func (tx *udpTx) wait(ctx context.Context) (*sip.Response, error) {
	defer tx.Terminate()
	for {
		select {
		case res := <-tx.res:
			if !res.IsProvisional() {
				return res, nil
			}
		case <-tx.done:
			return nil, fmt.Errorf("%s: %w", tx.method, tx.Err())
		case <-ctx.Done():
			return nil, fmt.Errorf("%s: %w", tx.method, ctx.Err())
		}
	}
}

// dispatchResponse hands a UDP response to the dialer's own transaction it
// belongs to; false leaves it to sipgo (OPTIONS, REGISTER, CANCEL, strays).
// Provisional responses without a body, and the final response to a BYE,
// are only scanned: their transaction and its user read the status alone.
// Every other response of ours is parsed in full.
func (d *Dialer) dispatchResponse(data []byte) bool {
	if len(data) < 8 || string(data[:8]) != "SIP/2.0 " {
		return false
	}
	s, ok := scanResponse(data)
	if !ok {
		return d.dispatchParsed(data)
	}
	tx := d.txs.get(txKey(s.branch, sip.RequestMethod(s.method)))
	if tx == nil {
		return false
	}
	if (s.code < 200 && !s.body) || (s.code >= 200 && tx.method == sip.BYE) {
		// What the transaction and its user read of these is the status
		// line: a response without headers will do.
		tx.receive(&sip.Response{StatusCode: s.code, Reason: s.reason})
		return true
	}
	// Matched already: parsed once, for an INVITE only in what its user
	// reads (To, Contact, Record-Route, CSeq, the body and its type).
	p := d.parser
	if tx.invite {
		p = d.answerP
	}
	msg, err := p.ParseSIP(data)
	res, isRes := msg.(*sip.Response)
	if err != nil || !isRes {
		return false // sipgo parses it again and reports it
	}
	tx.receive(res)
	return true
}

// newAnswerParser returns a parser that builds only the headers the
// dialer reads from the responses to its INVITEs.
func newAnswerParser() *sip.Parser {
	all, some := sip.DefaultHeadersParser(), sip.HeadersParser{}
	// Record-Route too: a comma-joined list must be split to be reversed
	// into the route set (RFC 3261 §12.1.2, §7.3.1).
	for _, name := range []string{"to", "t", "contact", "m", "cseq", "content-type", "c", "content-length", "l", "record-route"} {
		some[name] = all[name]
	}
	return sip.NewParser(sip.WithHeadersParsers(some))
}

// dispatchParsed parses a response in full and hands it to its transaction.
func (d *Dialer) dispatchParsed(data []byte) bool {
	msg, err := d.parser.ParseSIP(data)
	if err != nil {
		return false // sipgo parses it again and reports it
	}
	res, ok := msg.(*sip.Response)
	if !ok || res.Via() == nil || res.CSeq() == nil {
		return false
	}
	branch, _ := res.Via().Params.Get("branch")
	tx := d.txs.get(txKey(branch, res.CSeq().MethodName))
	if tx == nil {
		return false
	}
	tx.receive(res)
	return true
}
