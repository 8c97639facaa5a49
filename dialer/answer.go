package dialer

import (
	"context"
	"time"

	"github.com/emiago/sipgo/sip"
)

// onAnswer handles a 2xx to the INVITE: ACK it (RFC 3261 §13.2.2.4, and again
// for every retransmitted 2xx), apply the SDP answer, and hand back the call.
// A 2xx that crosses our CANCEL is ACKed and then ended with BYE (§15).
func (a *attempt) onAnswer(ctx context.Context, res *sip.Response) (*Call, error) {
	answerAt := a.d.now()
	dl, err := newDialog(a.invite, res)
	if err != nil {
		return nil, a.failOutcome(TrunkError, res.StatusCode, "bad 2xx", err)
	}
	send := a.ackSender(dl, res)
	// Retransmitted 2xx: sipgo's transactions (TCP, TLS) hand them to this
	// hook; ours (UDP) end at the 2xx, and the live call ACKs them again
	// through c.ack (Dialer.unhandledResponse).
	a.tx.OnRetransmission(func(r *sip.Response) {
		if r.IsSuccess() {
			if err := send(); err != nil {
				a.d.log.Debug("ACK retransmission failed", "error", err)
			}
		}
	})
	if err := send(); err != nil {
		a.d.log.Warn("ACK failed", "trunk", a.t.Name, "error", err)
	}
	c := newCall(a, dl, res, answerAt)
	c.ack = send
	if a.cancelling {
		// Answered although we cancelled (the 200 raced our CANCEL): the
		// dialog exists, so end it properly and report why we gave up.
		endCtx, stop := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer stop()
		c.sendBye(endCtx)
		c.finish(a.cancelWhy, "robot", "answered after CANCEL")
		return nil, a.failOutcome(a.cancelWhy, res.StatusCode, "answered after CANCEL; hung up", nil)
	}
	if body := res.Body(); len(body) == 0 || isSDP(res) {
		if err := a.leg.remote(body, false); err != nil {
			endCtx, stop := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer stop()
			c.sendBye(endCtx)
			c.finish(MediaFailure, "robot", "SDP answer refused")
			return nil, a.failOutcome(MediaFailure, res.StatusCode, "SDP answer refused", err)
		}
	}
	c.begin(ctx)
	return c, nil
}

// buildAck creates the ACK for a 2xx: a new transaction sent to the remote
// target with the dialog's route set and the INVITE's CSeq number (§13.2.2.4).
func (a *attempt) buildAck(dl *dialog, res *sip.Response) *sip.Request {
	ack := dl.request(sip.ACK, dl.inviteSeq)
	ack.PrependHeader(a.d.via(a.t))
	ack.SetBody(nil)
	a.d.prepareOut(ack, a.t)
	return ack
}

// ackSender returns what sends the ACK of a 2xx, again for each
// retransmitted 2xx: over UDP written once and straight to the socket,
// otherwise built and sent through sipgo's transport.
func (a *attempt) ackSender(dl *dialog, res *sip.Response) func() error {
	if to := a.t.udpAddr; to != nil {
		// The closure outlives the attempt (the transaction keeps it for
		// 64·T1): it holds the ACK and the socket, not the attempt.
		b, conn := a.d.wireRequest(dl, sip.ACK, dl.inviteSeq, sip.GenerateBranchN(16)), a.d.conn
		return func() error {
			_, err := conn.WriteTo(b, to)
			return err
		}
	}
	ack := a.buildAck(dl, res)
	return func() error { return a.d.client.WriteRequest(ack.Clone(), noBuild) }
}
