package sim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"outreach/mask"
)

// call is one incoming call played by a persona.
type call struct {
	s       *Server
	rec     *CallLog
	persona Persona
	dlg     *sipgo.DialogServerSession
	tx      sip.ServerTransaction
	log     *slog.Logger
	leg     leg
	hear    *hearing
	byeSent bool
}

// handleCall runs a new INVITE to its end; it blocks for the call's life.
func (s *Server) handleCall(req *sip.Request, tx sip.ServerTransaction, number, callID string) {
	p := s.chooser.pick(number)
	rec := &CallLog{Number: number, CallID: callID, Persona: p.Name, Kind: p.Kind, InviteAt: s.now()}
	if !s.reg.begin(rec) {
		// Same Call-ID already live with another CSeq: RFC 3261 §8.2.2.2.
		respond(tx, req, sip.StatusLoopDetected, "Loop Detected")
		return
	}
	lg := s.log.With("number", mask.Phone(number), "call_id", callID, "persona", p.Name)
	lg.Info("sim INVITE", "kind", p.Kind.String())
	// Count the call as ended the moment a CANCEL arrives, before sipgo's
	// 487 goes out, so Concurrent never lags behind the caller.
	// The transaction layer answers the INVITE 487 (RFC 3261 §9.2): log it.
	tx.OnCancel(func(*sip.Request) {
		s.reg.update(rec, func(c *CallLog) {
			if c.Status == 0 {
				c.Status = sip.StatusRequestTerminated
			}
		})
		s.reg.end(rec, s.now(), EndedByCancel)
	})
	dlg, err := s.dialogs.ReadInvite(req, tx)
	if err != nil {
		s.reg.update(rec, func(c *CallLog) { c.Err = err.Error() })
		s.reg.end(rec, s.now(), EndedByCallee)
		respond(tx, req, sip.StatusBadRequest, "Bad Request")
		return
	}
	c := &call{s: s, rec: rec, persona: p, dlg: dlg, tx: tx, log: lg}
	ctx, cancel := s.callContext()
	defer cancel()
	defer c.finish() // also when run panics: the log ends, the gauge drops
	c.run(ctx)
}

// goSafe runs f on a goroutine counted by wg; a panic in f is logged and
// ends the call instead of the process.
func (c *call) goSafe(wg *sync.WaitGroup, f func()) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() {
			if r := recover(); r != nil {
				c.log.Error("sim call panic", "panic", mask.Text(fmt.Sprint(r)), "stack", mask.Text(string(debug.Stack())))
				c.fail(fmt.Errorf("panic: %v", r))
				c.dlg.Close()
			}
		}()
		f()
	}()
}

// callContext returns a context cancelled when the server stops.
func (s *Server) callContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-s.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

func (c *call) run(ctx context.Context) {
	switch c.persona.Kind {
	case KindBusy:
		c.final(sip.StatusBusyHere, "Busy Here")
	case KindReject:
		c.final(sip.StatusGlobalDecline, "Decline")
	case KindNoAnswer:
		c.ringUntilCancel(ctx)
	case KindNotInService:
		c.notInService(ctx)
	default:
		c.answer(ctx)
	}
}

// final ends the call with a non-2xx final response (RFC 3261 §13.3.1.3);
// the call stops counting as live before the response leaves.
func (c *call) final(code int, reason string) {
	c.s.reg.update(c.rec, func(r *CallLog) { r.Status = code })
	c.s.reg.end(c.rec, c.s.now(), EndedByCallee)
	if err := c.dlg.Respond(code, reason, nil); err != nil {
		c.fail(fmt.Errorf("respond %d: %w", code, err))
	}
}

func (c *call) fail(err error) {
	c.log.Warn("sim call failed", "err", err)
	c.s.reg.update(c.rec, func(r *CallLog) {
		if r.Err == "" {
			r.Err = mask.Text(err.Error())
		}
	})
}

// ring sends 180 Ringing and waits d; false if the caller cancelled, hung
// up or the server stopped meanwhile.
func (c *call) ring(ctx context.Context, d time.Duration) bool {
	if err := c.dlg.Respond(sip.StatusRinging, "Ringing", nil); err != nil {
		c.fail(fmt.Errorf("respond 180: %w", err))
		return false
	}
	return c.wait(ctx, d)
}

// wait sleeps d unless the dialog or ctx ends first.
func (c *call) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c.dlg.Context().Done():
		return false
	case <-ctx.Done():
		return false
	}
}

func (c *call) ringUntilCancel(ctx context.Context) {
	if c.ring(ctx, c.s.cfg.MaxRing) {
		c.final(sip.StatusTemporarilyUnavailable, "Temporarily Unavailable")
		return
	}
	if ctx.Err() != nil {
		c.final(sip.StatusServiceUnavailable, "Service Unavailable")
	}
}

// notInService plays an announcement as early media in a 183 Session
// Progress (RFC 3261 §21.1.5, RFC 3960) and then fails with 404 or 480.
func (c *call) notInService(ctx context.Context) {
	if c.persona.RingFor > 0 && !c.ring(ctx, c.persona.RingFor) {
		return
	}
	pcm, err := c.s.eng.announcement(c.persona.Announcement)
	if err != nil {
		c.fail(err)
		c.final(c.persona.finalStatus(), "Not Found")
		return
	}
	sdp, err := c.openLeg(ctx)
	if err != nil {
		c.fail(err)
		c.final(sip.StatusNotAcceptableHere, "Not Acceptable Here")
		return
	}
	res := sip.NewResponseFromRequest(c.dlg.InviteRequest, sip.StatusSessionInProgress, "Session Progress", sdp)
	res.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	if err := c.dlg.WriteResponse(res); err != nil {
		c.fail(fmt.Errorf("respond 183: %w", err))
		return
	}
	pctx, cancel := c.dialogScope(ctx)
	err = c.leg.Play(pctx, pcm)
	cancel()
	if err != nil && pctx.Err() == nil {
		c.fail(fmt.Errorf("play announcement: %w", err))
	}
	if c.dlg.Context().Err() != nil {
		return // cancelled during the announcement
	}
	reason := "Not Found"
	if c.persona.finalStatus() == sip.StatusTemporarilyUnavailable {
		reason = "Temporarily Unavailable"
	}
	c.final(c.persona.finalStatus(), reason)
}

// dialogScope derives a context that also ends with the dialog.
func (c *call) dialogScope(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(c.dlg.Context(), cancel)
	return ctx, func() { stop(); cancel() }
}

// openLeg negotiates media from the INVITE's offer and starts receiving.
func (c *call) openLeg(ctx context.Context) ([]byte, error) {
	body := c.dlg.InviteRequest.Body()
	if len(body) == 0 {
		return nil, errNoOffer
	}
	sdp, l, err := c.s.eng.answer(body)
	if err != nil {
		return nil, fmt.Errorf("answer sdp: %w", err)
	}
	c.leg = l
	cfg := c.s.cfg
	c.hear = newHearing(cfg.AudibleDBFS, c.persona.promptGap(), cfg.Record || cfg.RecordDir != "")
	l.Start(ctx)
	c.goSafe(&c.s.calls, func() {
		hctx, cancel := c.dialogScope(ctx)
		defer cancel()
		c.hear.run(hctx, l.Frames())
	})
	return sdp, nil
}

// endedBy classifies how the dialog ended.
func (c *call) endedBy() string {
	if c.byeSent {
		return EndedByCallee
	}
	if errors.Is(context.Cause(c.dlg.Context()), sip.ErrTransactionCanceled) {
		return EndedByCancel
	}
	return EndedByCaller
}
