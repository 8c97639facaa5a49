package dialer

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emiago/sipgo/sip"
)

// Result describes a finished call.
type Result struct {
	Outcome                   Outcome
	SIPStatus                 int
	Reason                    string
	Answered                  bool
	HangupBy                  string // robot, callee or timeout
	CallID                    string
	SetupTime                 time.Duration // INVITE sent → 2xx received
	Duration                  time.Duration // 2xx → end
	InviteAt, AnswerAt, EndAt time.Time
}

// Call is an answered call. All methods are safe for concurrent use.
type Call struct {
	d      *Dialer
	t      *trunk
	leg    mediaLeg
	dl     *dialog
	callID string
	record bool
	maxDur time.Duration

	cseq atomic.Uint32
	ack  func() error // sends the ACK of the 2xx again (a retransmitted 2xx)

	digitsCh chan rune
	life     context.Context // done when the call has ended
	kill     context.CancelFunc
	done     <-chan struct{} // life.Done()
	endOnce  sync.Once
	stops    []func() bool // context.AfterFunc / timer stops

	mu       sync.Mutex
	result   Result
	barge    chan struct{} // closed to interrupt the current barge-in Play
	referred chan int      // NOTIFY sipfrag status codes of a transfer
}

func newCall(a *attempt, dl *dialog, res *sip.Response, answerAt time.Time) *Call {
	c := &Call{
		d: a.d, t: a.t, leg: a.leg, dl: dl, callID: dl.callID, record: a.req.Record, maxDur: a.req.MaxDuration,
		digitsCh: make(chan rune, 32),
		referred: make(chan int, 4),
	}
	c.life, c.kill = context.WithCancel(context.Background())
	c.done = c.life.Done()
	c.cseq.Store(dl.inviteSeq)
	c.result = Result{
		Outcome: Completed, SIPStatus: res.StatusCode, Reason: res.Reason, Answered: true,
		CallID: dl.callID, InviteAt: a.inviteAt, AnswerAt: answerAt, SetupTime: answerAt.Sub(a.inviteAt),
	}
	return c
}

// begin makes the call live: tracked for in-dialog requests, watched for
// ctx cancellation and MaxDuration, and given the media leg's keys and
// media timeout (delivered by the leg's hooks: no goroutine per call).
func (c *Call) begin(ctx context.Context) {
	c.d.trackCall(c)
	c.mu.Lock()
	c.stops = append(c.stops, context.AfterFunc(ctx, func() { c.endAsync(Interrupted, "robot", "context cancelled") }))
	if md := c.maxDur; md > 0 {
		t := time.AfterFunc(md, func() { c.endAsync(Completed, "timeout", "max duration") })
		c.stops = append(c.stops, t.Stop)
	}
	c.mu.Unlock()
	c.leg.attach(c)
}

// pushDigit delivers a digit once and interrupts a barge-in Play. It never
// blocks (the media leg calls it on its pacer's goroutine); false means the
// digit was dropped because the reader is too slow.
func (c *Call) pushDigit(r rune) bool {
	c.mu.Lock()
	if c.barge != nil {
		close(c.barge)
		c.barge = nil
	}
	c.mu.Unlock()
	select {
	case c.digitsCh <- r:
		return true
	default:
		c.d.log.Warn("digit dropped: reader too slow", "call", c.callID)
		return false
	}
}

// mediaTimeout ends the call when no RTP arrived for Config.MediaTimeout.
// It never blocks.
func (c *Call) mediaTimeout() {
	select {
	case <-c.done:
	default:
		c.endAsync(Completed, "timeout", "media timeout")
	}
}

// CallID returns the SIP Call-ID.
func (c *Call) CallID() string { return c.callID }

// Digits returns the keys pressed, each once, from RFC 4733 events and SIP INFO.
func (c *Call) Digits() <-chan rune { return c.digitsCh }

// Frames returns incoming audio in 20 ms frames (nil without media), from
// the answer on; each frame is the reader's to keep. When the reader is
// slow, frames are dropped.
func (c *Call) Frames() <-chan []int16 { return c.leg.frames() }

// EarlyMedia returns the audio heard before the answer (183 early media).
func (c *Call) EarlyMedia() []int16 { return c.leg.earlyAudio() }

// Recording returns both directions mixed at 8 kHz when Request.Record was set.
func (c *Call) Recording() []int16 {
	if !c.record {
		return nil
	}
	return c.leg.recording()
}

// Done is closed when the call has ended.
func (c *Call) Done() <-chan struct{} { return c.done }

// Result returns the call's result; final once Done is closed.
func (c *Call) Result() Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.result
}

// Play sends pcm to the callee. With bargeIn, the first digit (or Interrupt)
// stops it early and interrupted is true. It returns when the audio is sent,
// ctx is cancelled or the call ends.
func (c *Call) Play(ctx context.Context, pcm []int16, bargeIn bool) (interrupted bool, err error) {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	unhook := context.AfterFunc(c.life, stop) // the call's end stops the play
	defer unhook()
	var intr chan struct{}
	if bargeIn {
		intr = make(chan struct{})
		c.mu.Lock()
		c.barge = intr
		c.mu.Unlock()
		defer func() {
			c.mu.Lock()
			if c.barge == intr {
				c.barge = nil
			}
			c.mu.Unlock()
		}()
	}
	played, err := c.leg.play(ctx, pcm, intr)
	if intr != nil {
		select {
		case <-intr:
			return true, nil
		default:
		}
	}
	if err == nil && played == 0 && len(pcm) > 0 && ctx.Err() != nil {
		err = ctx.Err()
	}
	return false, err
}

// Interrupt stops the current barge-in Play, if any.
func (c *Call) Interrupt() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.barge != nil {
		close(c.barge)
		c.barge = nil
	}
}

// Hangup ends the call with BYE (RFC 3261 §15.1.1).
func (c *Call) Hangup(ctx context.Context) error {
	return c.end(ctx, Completed, "robot", "")
}

// end finishes the call once: BYE unless the callee hung up, then cleanup.
func (c *Call) end(ctx context.Context, o Outcome, by, reason string) error {
	var err error
	ran := false
	c.endOnce.Do(func() {
		ran = true
		if by != "callee" {
			err = c.sendBye(ctx)
		}
		c.finishLocked(o, by, reason, true)
	})
	if !ran {
		<-c.done
	}
	return err
}

func (c *Call) endAsync(o Outcome, by, reason string) {
	c.d.wg.Add(1)
	go func() {
		defer c.d.wg.Done()
		ctx, stop := context.WithTimeout(context.Background(), 5*time.Second)
		defer stop()
		_ = c.end(ctx, o, by, reason)
	}()
}

// finish ends a call that never became live (answered after CANCEL): its
// media leg and trunk slot stay with Dial, which releases them.
func (c *Call) finish(o Outcome, by, reason string) {
	c.endOnce.Do(func() { c.finishLocked(o, by, reason, false) })
}

// finishLocked records the end once; live calls also free media and slot.
func (c *Call) finishLocked(o Outcome, by, reason string, live bool) {
	c.mu.Lock()
	stops := c.stops
	c.mu.Unlock()
	for _, s := range stops {
		s()
	}
	c.d.untrackCall(c)
	end := c.d.now()
	c.mu.Lock()
	c.result.Outcome, c.result.HangupBy, c.result.EndAt = o, by, end
	c.result.Duration = end.Sub(c.result.AnswerAt)
	if reason != "" {
		c.result.Reason = reason
	}
	c.mu.Unlock()
	if live {
		c.leg.close()
		c.t.lim.releaseSlot()
	}
	c.kill()
}

// byeTimeout bounds the wait for the BYE's response when ctx has none:
// the call is over for us either way (RFC 3261 §15.1.1).
const byeTimeout = 8 * time.Second

// sendBye sends BYE in the dialog and waits for its final response.
func (c *Call) sendBye(ctx context.Context) error {
	ctx, stop := context.WithTimeout(ctx, byeTimeout)
	defer stop()
	res, err := c.do(ctx, sip.BYE, nil)
	if err != nil {
		return fmt.Errorf("hangup: %w", err)
	}
	if res.StatusCode >= 300 && res.StatusCode != 481 {
		return fmt.Errorf("hangup: BYE answered %d %s", res.StatusCode, res.Reason)
	}
	return nil
}

// do sends an in-dialog request and waits for its final response.
func (c *Call) do(ctx context.Context, m sip.RequestMethod, hdrs []sip.Header) (*sip.Response, error) {
	seq := c.cseq.Add(1)
	if to := c.t.udpAddr; to != nil && len(hdrs) == 0 {
		branch := sip.GenerateBranchN(16)
		return c.d.doWire(ctx, m, branch, c.d.wireRequest(c.dl, m, seq, branch), to)
	}
	req := c.dl.request(m, seq)
	req.PrependHeader(c.d.via(c.t))
	for _, h := range hdrs {
		req.AppendHeader(h)
	}
	req.SetBody(nil)
	c.d.prepareOut(req, c.t)
	if to := c.t.udpAddr; to != nil {
		return c.d.doUDP(ctx, req, to)
	}
	res, err := c.d.client.Do(ctx, req, noBuild)
	if err != nil {
		return nil, err
	}
	return res, nil
}
