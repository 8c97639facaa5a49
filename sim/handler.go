package sim

import (
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"outreach/mask"
)

// routes installs the SIP request handlers, each wrapped in panic recovery
// (sipgo has none).
func (s *Server) routes() {
	s.srv.OnInvite(s.safe(s.onInvite))
	s.srv.OnAck(s.safe(s.onAck))
	s.srv.OnBye(s.safe(s.onBye))
	s.srv.OnCancel(s.safe(s.onCancel))
	s.srv.OnOptions(s.safe(s.onOptions))
	s.srv.OnInfo(s.safe(s.onInDialog))
	s.srv.OnUpdate(s.safe(s.onInDialog))
	s.srv.OnNoRoute(s.safe(s.onNoRoute))
}

// safe recovers a panicking handler, logs it (masked) and answers 500
// when the transaction still allows it.
func (s *Server) safe(h sipgo.RequestHandler) sipgo.RequestHandler {
	return func(req *sip.Request, tx sip.ServerTransaction) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("sim handler panic", "method", string(req.Method),
					"panic", mask.Text(fmt.Sprint(r)), "stack", mask.Text(string(debug.Stack())))
				if tx != nil && !req.IsAck() {
					_ = tx.Respond(sip.NewResponseFromRequest(req, sip.StatusInternalServerError, "Server Internal Error", nil))
				}
			}
		}()
		h(req, tx)
	}
}

func respond(tx sip.ServerTransaction, req *sip.Request, code int, reason string) {
	_ = tx.Respond(sip.NewResponseFromRequest(req, code, reason, nil))
}

// validInvite checks the headers a UAS needs (RFC 3261 §8.1.1); sipgo
// accepts requests without them.
func validInvite(req *sip.Request) error {
	switch {
	case req.CallID() == nil || req.CallID().Value() == "":
		return errors.New("no Call-ID")
	case req.CSeq() == nil:
		return errors.New("no CSeq")
	case req.From() == nil:
		return errors.New("no From")
	case req.To() == nil:
		return errors.New("no To")
	case req.Contact() == nil:
		return errors.New("no Contact")
	}
	return nil
}

func (s *Server) onInvite(req *sip.Request, tx sip.ServerTransaction) {
	if err := validInvite(req); err != nil {
		s.log.Warn("sim bad INVITE", "err", err)
		respond(tx, req, sip.StatusBadRequest, "Bad Request")
		return
	}
	if _, ok := req.To().Params.Get("tag"); ok {
		s.onReInvite(req, tx)
		return
	}
	if req.Recipient.User == "" {
		respond(tx, req, sip.StatusNotFound, "Not Found") // no number dialed
		return
	}
	if !s.track() {
		respond(tx, req, sip.StatusServiceUnavailable, "Service Unavailable")
		return
	}
	defer s.calls.Done()
	number := req.Recipient.User
	callID := req.CallID().Value()
	if !s.reg.countInvite(number, callID, req.CSeq().SeqNo) {
		// Same Call-ID and CSeq in a new transaction: a merged request
		// (RFC 3261 §8.2.2.2) or a retransmission outliving its transaction.
		respond(tx, req, sip.StatusLoopDetected, "Loop Detected")
		return
	}
	s.handleCall(req, tx, number, callID)
}

// onReInvite answers a re-INVITE with the SDP of the dialog's 200 OK
// (session unchanged, RFC 3264 §8: same version is allowed when nothing changes).
func (s *Server) onReInvite(req *sip.Request, tx sip.ServerTransaction) {
	dlg, err := s.dialogs.MatchDialogRequest(req)
	if err != nil || dlg.InviteResponse == nil {
		respond(tx, req, sip.StatusCallTransactionDoesNotExists, "Call/Transaction Does Not Exist")
		return
	}
	if err := dlg.ReadRequest(req, tx); err != nil {
		respond(tx, req, sip.StatusInternalServerError, "Server Internal Error")
		return
	}
	res := sip.NewSDPResponseFromRequest(req, dlg.InviteResponse.Body())
	if c := dlg.InviteResponse.Contact(); c != nil {
		res.AppendHeader(sip.HeaderClone(c))
	}
	if err := tx.Respond(res); err != nil {
		s.log.Warn("sim re-INVITE response", "err", err)
	}
}

func (s *Server) onAck(req *sip.Request, tx sip.ServerTransaction) {
	// ACKs for 2xx reach us as their own request (RFC 3261 §13.2.2.4);
	// ACKs that match no dialog are dropped (§17.2.3).
	_ = s.dialogs.ReadAck(req, tx)
}

func (s *Server) onBye(req *sip.Request, tx sip.ServerTransaction) {
	dlg, err := s.dialogs.MatchDialogRequest(req)
	if err != nil {
		// RFC 3261 §15.1.2: a BYE for an unknown dialog gets 481.
		respond(tx, req, sip.StatusCallTransactionDoesNotExists, "Call/Transaction Does Not Exist")
		return
	}
	// The call stops counting as live before the 200 leaves, so a caller
	// that starts its next call on the 200 never sees an inflated gauge.
	s.reg.endByCallID(req.CallID().Value(), s.now(), EndedByCaller)
	if err := dlg.ReadBye(req, tx); err != nil {
		respond(tx, req, sip.StatusBadRequest, "Bad Request")
	}
}

// onCancel sees only CANCELs that matched no INVITE transaction (sipgo
// answers matched ones with 200 and the INVITE with 487, RFC 3261 §9.2).
func (s *Server) onCancel(req *sip.Request, tx sip.ServerTransaction) {
	respond(tx, req, sip.StatusCallTransactionDoesNotExists, "Call/Transaction Does Not Exist")
}

func (s *Server) onOptions(req *sip.Request, tx sip.ServerTransaction) {
	res := sip.NewResponseFromRequest(req, sip.StatusOK, "OK", nil)
	res.AppendHeader(sip.NewHeader("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE"))
	res.AppendHeader(sip.NewHeader("Accept", "application/sdp"))
	_ = tx.Respond(res)
}

// onInDialog accepts INFO/UPDATE inside a known dialog with 200.
func (s *Server) onInDialog(req *sip.Request, tx sip.ServerTransaction) {
	if _, err := s.dialogs.MatchDialogRequest(req); err != nil {
		respond(tx, req, sip.StatusCallTransactionDoesNotExists, "Call/Transaction Does Not Exist")
		return
	}
	respond(tx, req, sip.StatusOK, "OK")
}

func (s *Server) onNoRoute(req *sip.Request, tx sip.ServerTransaction) {
	if req.IsAck() {
		return
	}
	res := sip.NewResponseFromRequest(req, sip.StatusMethodNotAllowed, "Method Not Allowed", nil)
	res.AppendHeader(sip.NewHeader("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE"))
	_ = tx.Respond(res)
}
