package dialer

import (
	"fmt"
	"runtime/debug"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// handler answers one validated request that passed the guard.
type handler func(req *sip.Request, tx sip.ServerTransaction)

// routeRequests registers the only requests we act on. Everything else,
// including any out-of-dialog INVITE, is dropped without a response.
func (d *Dialer) routeRequests() {
	d.srv.OnBye(d.guard(d.inDialog(d.onBye)))
	d.srv.OnInvite(d.guard(d.inDialog(d.onRefresh)))
	d.srv.OnUpdate(d.guard(d.inDialog(d.onRefresh)))
	d.srv.OnInfo(d.guard(d.inDialog(d.onInfo)))
	d.srv.OnNotify(d.guard(d.inDialog(d.onNotify)))
	d.srv.OnOptions(d.guard(d.onOptions))
	d.srv.OnAck(d.guard(func(*sip.Request, sip.ServerTransaction) {})) // ACK of our 2xx to a re-INVITE
	d.srv.OnNoRoute(d.guard(func(req *sip.Request, _ sip.ServerTransaction) {
		d.log.Debug("request dropped", "method", string(req.Method))
	}))
}

// guard recovers from panics, re-checks the source against the trunks and
// drops malformed requests, all without responding.
func (d *Dialer) guard(h handler) sipgo.RequestHandler {
	return func(req *sip.Request, tx sip.ServerTransaction) {
		defer func() {
			if r := recover(); r != nil {
				d.log.Error("panic in SIP handler; request dropped",
					"method", string(req.Method), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			}
		}()
		if !d.allowedSource(req.Source()) {
			d.log.Debug("request from unknown source dropped", "method", string(req.Method))
			return
		}
		if err := wellFormed(req); err != nil {
			d.log.Debug("malformed request dropped", "method", string(req.Method), "error", err.Error())
			return
		}
		h(req, tx)
	}
}

func (d *Dialer) allowedSource(src string) bool {
	addr, err := parseAddr(src)
	if err != nil {
		return false
	}
	return d.allowedAddr(addr)
}

// wellFormed checks the headers every request must carry (RFC 3261 §8.1.1)
// and that the CSeq method matches the request line (§8.2.2.3 is not
// relaxed for us: such a request is dropped).
func wellFormed(req *sip.Request) error {
	switch {
	case req.Via() == nil:
		return fmt.Errorf("no Via")
	case req.From() == nil || req.To() == nil:
		return fmt.Errorf("no From/To")
	case req.CallID() == nil || req.CallID().Value() == "":
		return fmt.Errorf("no Call-ID")
	case req.CSeq() == nil:
		return fmt.Errorf("no CSeq")
	case req.CSeq().MethodName != req.Method:
		return fmt.Errorf("CSeq method mismatch")
	case len(req.Body()) > 64*1024:
		return fmt.Errorf("body too large")
	}
	return nil
}

// inDialog resolves the dialog of a request from the far side: its Call-ID,
// its From tag (their tag) and its To tag (ours) must match a live call
// (RFC 3261 §12.2.2). No match: dropped without a response.
func (d *Dialer) inDialog(h func(c *Call, req *sip.Request, tx sip.ServerTransaction)) handler {
	return func(req *sip.Request, tx sip.ServerTransaction) {
		c := d.lookupCall(req.CallID().Value())
		if c == nil {
			d.log.Debug("out-of-dialog request dropped", "method", string(req.Method))
			return
		}
		fromTag, _ := req.From().Params.Get("tag")
		toTag, _ := req.To().Params.Get("tag")
		if fromTag != c.dl.remoteTag() || toTag != c.dl.localTag() {
			d.log.Debug("request with foreign tags dropped", "method", string(req.Method))
			return
		}
		h(c, req, tx)
	}
}

func (d *Dialer) respond(tx sip.ServerTransaction, req *sip.Request, code int, reason string, body []byte, hdrs ...sip.Header) {
	res := sip.NewResponseFromRequest(req, code, reason, body)
	for _, h := range hdrs {
		res.AppendHeader(h)
	}
	if err := tx.Respond(res); err != nil {
		d.log.Debug("respond failed", "status", code, "error", err)
	}
}

// onBye: the callee hung up (RFC 3261 §15.1.2): 200 OK, then end the call.
// The 200 leaves before the end frees the trunk line: the trunk counts the
// call until it sees the 200, and another robot may take the line at once.
func (d *Dialer) onBye(c *Call, req *sip.Request, tx sip.ServerTransaction) {
	d.respond(tx, req, 200, "OK", nil)
	d.flushSends()
	c.endAsync(Completed, "callee", "")
}

// flushSends sends what the SIP socket holds in its send window now.
func (d *Dialer) flushSends() {
	if sb, ok := d.conn.(*sendBatch); ok {
		sb.flush()
	}
}

// onRefresh answers a re-INVITE (RFC 3261 §14.2) or UPDATE (RFC 3311 §5.2)
// from the far side with 200 and our current SDP, keeping the session alive.
func (d *Dialer) onRefresh(c *Call, req *sip.Request, tx sip.ServerTransaction) {
	var body []byte
	hdrs := []sip.Header{d.contact(c.t)}
	if offer := req.Body(); len(offer) > 0 {
		if !isSDP(req) {
			d.respond(tx, req, 415, "Unsupported Media Type", nil, sip.NewHeader("Accept", "application/sdp"))
			return
		}
		// A new offer may move the far side's media (a relay change):
		// renegotiate; an unusable offer is refused (RFC 3261 §14.2: 488).
		if err := c.leg.remote(offer, false); err != nil {
			d.respond(tx, req, 488, "Not Acceptable Here", nil)
			return
		}
	}
	if len(req.Body()) > 0 || req.IsInvite() {
		body = c.leg.answerBody()
		ct := sip.ContentTypeHeader("application/sdp")
		hdrs = append(hdrs, &ct)
	}
	d.respond(tx, req, 200, "OK", body, hdrs...)
}

// onInfo takes DTMF sent as SIP INFO (application/dtmf-relay or
// application/dtmf) and answers 200; other INFO packages get 415 (RFC 6086 §4.2.2).
func (d *Dialer) onInfo(c *Call, req *sip.Request, tx sip.ServerTransaction) {
	digit, err := parseInfoDigit(headerValue(req, "Content-Type"), req.Body())
	if err != nil {
		d.respond(tx, req, 415, "Unsupported Media Type", nil)
		return
	}
	d.respond(tx, req, 200, "OK", nil)
	c.pushDigit(digit)
}

// onNotify receives the progress of a REFER (RFC 3515 §2.4.5): a
// message/sipfrag body whose status line says how the transfer went.
func (d *Dialer) onNotify(c *Call, req *sip.Request, tx sip.ServerTransaction) {
	d.respond(tx, req, 200, "OK", nil)
	if code, ok := parseSipfragStatus(req.Body()); ok {
		select {
		case c.referred <- code:
		default:
		}
	}
}

// onOptions answers a trunk's keepalive OPTIONS (RFC 3261 §11.2).
func (d *Dialer) onOptions(req *sip.Request, tx sip.ServerTransaction) {
	d.respond(tx, req, 200, "OK", nil,
		sip.NewHeader("Allow", allowMethods),
		sip.NewHeader("Accept", "application/sdp, application/dtmf-relay, application/dtmf"))
}
