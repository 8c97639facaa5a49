package dialer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// Request is one call to place.
type Request struct {
	Trunk       string
	Number      string
	RingTimeout time.Duration     // CANCEL after this long without answer; default 45s
	MaxDuration time.Duration     // BYE after this long answered; 0 = unlimited
	Record      bool              // keep a recording of both directions
	Headers     map[string]string // X- headers only, validated
	NoMedia     bool              // offer SDP but open no RTP session (load tests)
}

const (
	defaultRingTimeout = 45 * time.Second
	// cancelGiveUp bounds the wait for any response once we want to cancel
	// an INVITE that got none (8×T1).
	cancelGiveUp = 4 * time.Second
	// cancelFinalWait bounds the wait for the INVITE's final response
	// after our CANCEL: 64*T1 (RFC 3261 §9.1).
	cancelFinalWait = 32 * time.Second
)

// Dial places a call and returns once it is answered. On failure it returns a
// *Error whose Outcome classifies the failure (see OutcomeForStatus). Values
// in req are validated before anything is sent; the trunk's limits (paused by
// 503 Retry-After, MaxCalls, CPS) apply first. Cancelling ctx while ringing
// sends CANCEL (outcome cancelled); cancelling it after the answer hangs the
// call up (outcome interrupted).
func (d *Dialer) Dial(ctx context.Context, req Request) (*Call, error) {
	t, number, err := d.checkRequest(req)
	if err != nil {
		return nil, err
	}
	if err := d.admit(ctx, t); err != nil {
		return nil, err
	}
	leg, err := d.media(req)
	if err != nil {
		t.lim.releaseSlot()
		return nil, &Error{Trunk: t.Name, Outcome: MediaFailure, Reason: "media setup failed", Err: err}
	}
	a := &attempt{d: d, t: t, req: req, leg: leg}
	a.invite = d.buildInvite(t, number, leg.offer(), req.Headers)
	c, err := a.run(ctx)
	if err != nil {
		leg.close()
		t.lim.releaseSlot()
		return nil, err
	}
	return c, nil
}

// checkRequest validates a request: no control characters anywhere, a
// dialable number, known trunk, X- headers only.
func (d *Dialer) checkRequest(req Request) (*trunk, string, error) {
	if err := checkText("trunk", req.Trunk, 64); err != nil {
		return nil, "", &Error{Trunk: "?", Outcome: TrunkError, Reason: "invalid request", Err: err}
	}
	t, ok := d.trunks[req.Trunk]
	if !ok {
		return nil, "", &Error{Trunk: req.Trunk, Outcome: TrunkError, Reason: "unknown trunk"}
	}
	if err := checkNumber("number", req.Number); err != nil {
		return nil, "", &Error{Trunk: t.Name, Outcome: InvalidNumber, Reason: "invalid number", Err: err}
	}
	if err := checkHeaders(req.Headers); err != nil {
		return nil, "", &Error{Trunk: t.Name, Outcome: TrunkError, Reason: "invalid request", Err: err}
	}
	if req.RingTimeout < 0 || req.MaxDuration < 0 {
		return nil, "", &Error{Trunk: t.Name, Outcome: TrunkError, Reason: "invalid request", Err: errors.New("negative timeout")}
	}
	n, err := rewriteNumber(t.rules, req.Number)
	if err != nil {
		return nil, "", &Error{Trunk: t.Name, Outcome: InvalidNumber, Reason: "invalid number", Err: err}
	}
	d.mu.Lock()
	running := d.started && !d.stopped
	d.mu.Unlock()
	if !running {
		return nil, "", &Error{Trunk: t.Name, Outcome: TrunkError, Reason: "dialer not running"}
	}
	return t, n, nil
}

// admit applies the trunk's pause, MaxCalls and CPS limits. Dials during a
// 503 Retry-After pause and beyond MaxCalls fail fast; CPS waits for a token.
func (d *Dialer) admit(ctx context.Context, t *trunk) error {
	if p := t.lim.paused(d.now()); p > 0 {
		return &Error{Trunk: t.Name, Outcome: TrunkError, Reason: "trunk paused by 503 Retry-After", RetryAfter: p}
	}
	if !t.lim.acquireSlot() {
		return &Error{Trunk: t.Name, Outcome: TrunkError, Reason: fmt.Sprintf("max calls (%d) reached", t.MaxCalls)}
	}
	wait := t.lim.reserve(d.now())
	if wait <= 0 {
		return nil
	}
	tm := time.NewTimer(wait)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		t.lim.cancelReservation()
		t.lim.releaseSlot()
		return &Error{Trunk: t.Name, Outcome: Cancelled, Reason: "cancelled waiting for CPS", Err: ctx.Err()}
	}
}

// attempt drives one INVITE client transaction to an answer or a failure.
type attempt struct {
	d      *Dialer
	t      *trunk
	req    Request
	leg    mediaLeg
	invite *sip.Request
	tx     sip.ClientTransaction

	inviteAt   time.Time
	authTried  bool
	gotProv    bool    // a provisional response arrived (CANCEL allowed, §9.1)
	cancelWhy  Outcome // NoAnswer or Cancelled once we decided to cancel
	cancelling bool
	cancelSent bool
}

func (a *attempt) run(ctx context.Context) (*Call, error) {
	a.inviteAt = a.d.now()
	if err := a.send(ctx); err != nil {
		return nil, a.fail(0, "send INVITE failed", err)
	}
	ring := a.req.RingTimeout
	if ring == 0 {
		ring = defaultRingTimeout
	}
	timer := time.NewTimer(ring)
	defer timer.Stop()
	ctxDone := ctx.Done()
	var giveUp <-chan time.Time // cancelling: the trunk never answered, or no final response
	giveUpProv := false         // giveUp was armed after a provisional response
	for {
		if a.cancelling && (giveUp == nil || a.gotProv && !giveUpProv) {
			// Without any response no CANCEL may go out: wait briefly. Once
			// CANCEL is sent, a final response must follow within 64*T1, or
			// the INVITE is taken as cancelled (RFC 3261 §9.1).
			wait := a.d.giveUp
			if a.gotProv {
				wait, giveUpProv = a.d.finalW, true
			}
			t := time.NewTimer(wait)
			defer t.Stop()
			giveUp = t.C
		}
		select {
		case res := <-a.tx.Responses():
			if c, done, err := a.onResponse(ctx, res); done {
				return c, err
			}
		case <-a.tx.Done():
			if a.cancelling {
				return nil, a.failOutcome(a.cancelWhy, 0, "no response after CANCEL", a.tx.Err())
			}
			return nil, a.fail(0, "no final response", a.tx.Err())
		case <-timer.C:
			a.startCancel(NoAnswer)
		case <-ctxDone:
			ctxDone = nil
			a.startCancel(Cancelled)
		case <-giveUp:
			// Not even 100 Trying: no CANCEL may be sent (§9.1). Stop waiting
			// for Timer B; a late 2xx will not be ACKed and the far side ends
			// that dialog itself (§13.3.1.4). Or CANCEL went out and no final
			// response followed within 64*T1 (§9.1).
			a.tx.Terminate()
			why := "no response to INVITE"
			if a.gotProv {
				why = "no final response after CANCEL"
			}
			return nil, a.failOutcome(a.cancelWhy, 0, why, nil)
		}
	}
}

// send starts the INVITE client transaction (RFC 3261 §17.1.1): our own
// over UDP (udptx.go), sipgo's over TCP and TLS.
func (a *attempt) send(ctx context.Context) error {
	if a.t.udpAddr != nil {
		tx, err := a.d.startUDPTx(a.invite, a.t.udpAddr)
		if err != nil {
			return err
		}
		a.tx = tx
		return nil
	}
	tx, err := a.d.client.TransactionRequest(context.WithoutCancel(ctx), a.invite, noBuild)
	if err != nil {
		return err
	}
	a.tx = tx
	return nil
}

// noBuild stops sipgo from adding headers: our requests are complete.
func noBuild(*sipgo.Client, *sip.Request) error { return nil }

// onResponse handles one response; done reports the attempt is over.
func (a *attempt) onResponse(ctx context.Context, res *sip.Response) (c *Call, done bool, err error) {
	switch {
	case res.IsProvisional():
		a.onProvisional(res)
		return nil, false, nil
	case res.IsSuccess():
		c, err := a.onAnswer(ctx, res)
		return c, true, err
	}
	if (res.StatusCode == 401 || res.StatusCode == 407) && !a.authTried && !a.cancelling {
		a.authTried = true
		if err := a.retryWithAuth(ctx, res); err != nil {
			return nil, true, a.fail(res.StatusCode, res.Reason, err)
		}
		return nil, false, nil
	}
	if res.StatusCode == 503 {
		a.pauseTrunk(res)
	}
	if a.cancelling && res.StatusCode == 487 {
		return nil, true, a.failOutcome(a.cancelWhy, res.StatusCode, res.Reason, nil)
	}
	return nil, true, a.fail(res.StatusCode, res.Reason, nil)
}

// onProvisional handles 1xx: 180/183 mean ringing; an SDP body (usually in
// 183 Session Progress) starts early media (RFC 3960 §3).
func (a *attempt) onProvisional(res *sip.Response) {
	a.gotProv = true // any 1xx, 100 Trying included: CANCEL is hop-by-hop (§9.1)
	if a.cancelling && !a.cancelSent {
		a.sendCancel()
	}
	if body := res.Body(); len(body) > 0 && isSDP(res) {
		if err := a.leg.remote(body, true); err != nil {
			a.d.log.Warn("early media SDP refused", "trunk", a.t.Name, "status", res.StatusCode, "error", err)
		}
	}
}

// startCancel decides to cancel; the CANCEL itself waits for a provisional
// response (RFC 3261 §9.1: "if no provisional response has been received,
// the CANCEL request MUST NOT be sent").
func (a *attempt) startCancel(why Outcome) {
	if a.cancelling {
		return
	}
	a.cancelling, a.cancelWhy = true, why
	if a.gotProv {
		a.sendCancel()
	}
}

func (a *attempt) sendCancel() {
	a.cancelSent = true
	cancel := buildCancel(a.invite)
	a.d.wg.Add(1)
	go func() { // the CANCEL transaction runs beside the INVITE's (§9.1)
		defer a.d.wg.Done()
		ctx, stop := a.d.bounded(32 * time.Second)
		defer stop()
		res, err := a.d.client.Do(ctx, cancel, noBuild)
		if err != nil {
			a.d.log.Debug("CANCEL failed", "trunk", a.t.Name, "error", err)
		} else if res.StatusCode != 200 {
			a.d.log.Debug("CANCEL refused", "trunk", a.t.Name, "status", res.StatusCode)
		}
	}()
}

func (a *attempt) pauseTrunk(res *sip.Response) {
	d, ok := parseRetryAfter(headerValue(res, "Retry-After"))
	if !ok || d <= 0 {
		return
	}
	d = min(d, a.d.cfg.MaxRetryAfter)
	a.t.lim.pause(a.d.now(), d)
	a.d.log.Warn("trunk paused by 503 Retry-After", "trunk", a.t.Name, "for", d.String())
}

func (a *attempt) fail(status int, reason string, err error) error {
	o := TrunkError
	if status != 0 {
		o = OutcomeForStatus(status)
	}
	return a.failOutcome(o, status, reason, err)
}

func (a *attempt) failOutcome(o Outcome, status int, reason string, err error) error {
	e := &Error{Trunk: a.t.Name, Outcome: o, Status: status, Reason: reason, Err: err,
		CallID: a.invite.CallID().Value(), EarlyMedia: a.leg.earlyAudio()}
	if status == 503 {
		e.RetryAfter = a.t.lim.paused(a.d.now())
	}
	return e
}

func isSDP(m interface{ GetHeader(string) sip.Header }) bool {
	ct := headerValue(m, "Content-Type")
	return len(ct) >= 15 && equalFoldPrefix(ct, "application/sdp")
}

func equalFoldPrefix(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		a, b := s[i], prefix[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}
