package sim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
)

// answer plays the answering kinds: 180, RingFor, 200 OK with the SDP
// answer (RFC 3264 §6), then the persona's script until someone hangs up.
func (c *call) answer(ctx context.Context) {
	sdp, err := c.openLeg(ctx)
	if err != nil {
		c.fail(err)
		c.final(sip.StatusNotAcceptableHere, "Not Acceptable Here")
		return
	}
	if !c.ring(ctx, c.persona.RingFor) {
		if ctx.Err() != nil && c.dlg.Context().Err() == nil {
			c.final(sip.StatusServiceUnavailable, "Service Unavailable")
		}
		return
	}
	at := c.s.now()
	// RespondSDP retransmits the 2xx until the ACK arrives (RFC 3261
	// §13.3.1.4), at most until Timer L ends the transaction.
	err = c.dlg.RespondSDP(sdp)
	if err != nil && errors.Is(context.Cause(c.dlg.Context()), sip.ErrTransactionCanceled) {
		return // the CANCEL won the race against the 200: 487 went out
	}
	c.s.reg.update(c.rec, func(r *CallLog) { r.AnswerAt, r.Answered, r.Status = at, true, sip.StatusOK })
	c.log.Info("sim answered")
	if err != nil {
		if c.dlg.Context().Err() == nil { // else the caller's BYE overtook its ACK
			c.fail(fmt.Errorf("answer: %w", err))
			c.hangup(ctx)
		}
		return
	}
	c.talk(ctx, at)
}

// talk runs the persona's digits and speech and waits for the end: the
// caller's BYE, the persona's HangupAfter, MaxDuration or server stop.
func (c *call) talk(ctx context.Context, answeredAt time.Time) {
	sctx, cancel := c.dialogScope(ctx)
	var wg sync.WaitGroup
	var legMu sync.Mutex // Play and SendDigit never overlap on the leg
	if c.persona.Kind != KindSilent {
		c.goSafe(&wg, func() { c.pressDigits(sctx, answeredAt, &legMu) })
		c.goSafe(&wg, func() { c.speak(sctx, answeredAt, &legMu) })
	}
	limit := c.s.cfg.MaxDuration
	if c.persona.HangupAfter > 0 {
		limit = min(limit, c.persona.HangupAfter)
	}
	t := time.NewTimer(limit - c.s.now().Sub(answeredAt))
	select {
	case <-c.dlg.Context().Done():
	case <-t.C:
		c.hangup(ctx)
	case <-ctx.Done():
		c.hangup(context.Background())
	}
	t.Stop()
	cancel()
	wg.Wait()
}

// hangup sends BYE (RFC 3261 §15.1.1); the call stops counting as live first.
func (c *call) hangup(ctx context.Context) {
	c.byeSent = true
	c.s.reg.end(c.rec, c.s.now(), EndedByCallee)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := c.dlg.Bye(ctx); err != nil {
		c.fail(fmt.Errorf("bye: %w", err))
	}
	c.dlg.Close()
}

// pressDigits sends the persona's key presses in order.
func (c *call) pressDigits(ctx context.Context, answeredAt time.Time, legMu *sync.Mutex) {
	last := answeredAt
	prompts := 0
	for _, d := range c.persona.Digits {
		if d.AfterPrompt {
			wctx, cancel := context.WithTimeout(ctx, c.persona.promptWait())
			ok := c.hear.waitPromptEnd(wctx, prompts)
			cancel()
			if !ok && ctx.Err() == nil {
				c.log.Warn("sim no prompt end heard, pressing anyway", "digit", string(d.Digit))
			}
			last = c.s.now()
		}
		base := answeredAt
		if d.Relative || d.AfterPrompt {
			base = last
		}
		if !c.sleepUntil(ctx, base.Add(d.At)) {
			return
		}
		if d.Say != "" {
			c.s.reg.update(c.rec, func(r *CallLog) { r.Said++ })
		} else {
			c.s.reg.update(c.rec, func(r *CallLog) { r.DigitsSent += string(d.Digit) })
		}
		if err := c.press(ctx, d, legMu); err != nil {
			if ctx.Err() == nil {
				c.fail(fmt.Errorf("press %c: %w", d.Digit, err))
			}
			return
		}
		last = c.s.now()
		prompts = c.hear.prompts()
	}
}

func (c *call) press(ctx context.Context, d DigitAt, legMu *sync.Mutex) error {
	if d.Say != "" {
		pcm, err := c.s.eng.wav(d.Say)
		if err != nil {
			return fmt.Errorf("say: %w", err)
		}
		legMu.Lock()
		defer legMu.Unlock()
		return c.leg.Play(ctx, pcm)
	}
	dur := d.Duration
	if dur <= 0 {
		dur = 100 * time.Millisecond
	}
	if d.Method == MethodInfo {
		return c.sendInfo(ctx, d.Digit, dur)
	}
	legMu.Lock()
	defer legMu.Unlock()
	return c.leg.SendDigit(ctx, d.Digit, dur)
}

// sendInfo sends one key as SIP INFO application/dtmf-relay (the de facto
// format, as in draft-kaplan-dispatch-info-dtmf-package §2).
func (c *call) sendInfo(ctx context.Context, digit rune, d time.Duration) error {
	contact := c.dlg.InviteRequest.Contact()
	req := sip.NewRequest(sip.INFO, *contact.Address.Clone())
	body := fmt.Sprintf("Signal=%c\r\nDuration=%d\r\n", digit, d.Milliseconds())
	req.SetBody([]byte(body))
	req.AppendHeader(sip.NewHeader("Content-Type", "application/dtmf-relay"))
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	res, err := c.dlg.Do(ctx, req)
	if err != nil {
		return fmt.Errorf("info: %w", err)
	}
	if !res.IsSuccess() {
		return fmt.Errorf("info: %d %s", res.StatusCode, res.Reason)
	}
	return nil
}

// speak plays the persona's WAV SpeakAt after the answer.
func (c *call) speak(ctx context.Context, answeredAt time.Time, legMu *sync.Mutex) {
	if c.persona.Speak == "" {
		return
	}
	pcm, err := c.s.eng.wav(c.persona.Speak)
	if err != nil {
		c.fail(fmt.Errorf("speak: %w", err))
		return
	}
	if !c.sleepUntil(ctx, answeredAt.Add(c.persona.SpeakAt)) {
		return
	}
	legMu.Lock()
	defer legMu.Unlock()
	if err := c.leg.Play(ctx, pcm); err != nil && ctx.Err() == nil {
		c.fail(fmt.Errorf("speak: %w", err))
	}
}

// sleepUntil waits for the wall-clock moment at; false if ctx ends first.
func (c *call) sleepUntil(ctx context.Context, at time.Time) bool {
	d := at.Sub(c.s.now())
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// finish closes media, collects what was heard and logs the call.
func (c *call) finish() {
	c.s.reg.end(c.rec, c.s.now(), c.endedBy())
	if c.leg != nil {
		c.leg.Close()
	}
	c.dlg.Close()
	if c.hear != nil {
		c.s.reg.update(c.rec, c.hear.stats)
	}
	if dir := c.s.cfg.RecordDir; dir != "" && c.hear != nil {
		c.writeWAV(dir)
	}
	var r CallLog
	c.s.reg.update(c.rec, func(rec *CallLog) {
		if !c.s.cfg.Record {
			rec.Heard = nil
		}
		rec.Finished = true
		r = *rec
	})
	c.log.Info("sim call end", "status", r.Status, "answered", r.Answered, "ended_by", r.EndedBy,
		"digits", r.DigitsSent, "heard", r.HeardDuration, "heard_dbfs", r.HeardEnergyDBFS)
}

func (c *call) writeWAV(dir string) {
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, c.rec.CallID)
	path := dir + "/" + name + ".wav"
	var pcm []int16
	c.s.reg.update(c.rec, func(r *CallLog) { pcm = r.Heard })
	if err := c.s.eng.writeWAV(path, pcm); err != nil {
		c.fail(fmt.Errorf("record: %w", err))
		return
	}
	c.s.reg.update(c.rec, func(r *CallLog) { r.WAVPath = path })
}
