package robot

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"outreach/asr/meaning"
	"outreach/dialer"
	"outreach/ivr"
	"outreach/mask"
)

// Dialer places calls; *dialer.Dialer implements it.
type Dialer interface {
	Dial(ctx context.Context, req dialer.Request) (*dialer.Call, error)
}

// Robot places calls and runs scripts over them. Fields are set before the
// first Run and not changed afterwards; Run is safe for concurrent use.
type Robot struct {
	Dialer      Dialer
	Voice       Voice
	Interpreter ivr.Interpreter  // speech → answer; nil: asr/meaning (Chinese and English)
	Ears        *Ears            // speech recognition; nil: keys only
	LeadIn      []int16          // silence (or a tone) played right after answer
	Now         func() time.Time // nil: time.Now
	Logger      *slog.Logger
}

// Job is one call to place.
type Job struct {
	Trunk       string
	Number      string
	RingTimeout time.Duration
	MaxDuration time.Duration
	Record      bool

	// Script mode: run the script (Play and Digits are ignored).
	Script *ivr.Script
	Data   ivr.Data

	// Simple mode: play this audio (barge-in off), then collect up to
	// Digits keys ended by Terminator, waiting DigitTimeout for each.
	Play         []int16
	Digits       int
	Terminator   string
	DigitTimeout time.Duration
}

// Run places the call and returns its report. It never returns an error:
// every failure is an outcome in the report.
func (r *Robot) Run(ctx context.Context, job Job) *Report {
	log := r.logger().With("number", mask.Phone(job.Number), "trunk", job.Trunk)
	defer r.prerender(ctx, job, log)()
	start := r.now()
	call, err := r.Dialer.Dial(ctx, dialer.Request{Trunk: job.Trunk, Number: job.Number,
		RingTimeout: job.RingTimeout, MaxDuration: job.MaxDuration, Record: job.Record})
	if err != nil {
		rep := failedReport(err)
		rep.InviteAt, rep.EndAt = start, r.now() // on the robot's clock, like answered calls
		log.Info("call not answered", "outcome", rep.Outcome, "sip_status", rep.SIPStatus, "reason", rep.Reason)
		return rep
	}
	rep := &Report{}
	sess := NewSession(call, r.Voice, log).WithEars(r.Ears)
	if len(r.LeadIn) > 0 {
		_, _ = call.Play(ctx, r.LeadIn, false)
	}
	if job.Script != nil {
		rep.Script, rep.ScriptErr = r.runScript(ctx, sess, job)
	} else {
		rep.DTMF, rep.ScriptErr = r.playAndCollect(ctx, call, sess, job)
	}
	_ = sess.Hangup(ctx, "done")
	select {
	case <-call.Done():
	case <-ctx.Done():
	}
	rep.fill(call.Result(), call.Recording())
	if rep.EndAt.IsZero() { // ctx ended before the call did
		rep.EndAt = r.now()
	}
	if rep.Script != nil {
		rep.DTMF = scriptDigits(rep.Script)
	}
	log.Info("call ended", "outcome", rep.Outcome, "duration_ms", rep.DurationMS)
	return rep
}

func (r *Robot) runScript(ctx context.Context, sess *Session, job Job) (*ivr.Result, error) {
	interp := r.Interpreter
	if interp == nil {
		interp = meaning.Interpreter{}
	}
	eng := ivr.NewEngine(job.Script, ivr.Options{Interpreter: interp, Now: r.Now, Logger: r.logger()})
	res, err := eng.Run(ctx, sess, job.Data)
	if err != nil && !errors.Is(err, ivr.ErrHangup) {
		return res, err
	}
	return res, nil
}

func (r *Robot) playAndCollect(ctx context.Context, call *dialer.Call, sess *Session, job Job) (string, error) {
	if len(job.Play) > 0 {
		if _, err := call.Play(ctx, job.Play, job.Digits > 0); err != nil {
			return "", err
		}
	}
	if job.Digits <= 0 {
		return "", nil
	}
	wait := job.DigitTimeout
	if wait <= 0 {
		wait = 5 * time.Second
	}
	in, err := sess.Collect(ctx, ivr.Collect{Timeout: wait, InterDigitTimeout: wait,
		MaxDigits: job.Digits, Terminator: job.Terminator})
	if err != nil && !errors.Is(err, ivr.ErrHangup) {
		return "", err
	}
	return in.Digits, nil
}

// residentPrerenderer is a Voice that can synthesise a resident's prompts ahead.
type residentPrerenderer interface {
	PrerenderResident(ctx context.Context, s *ivr.Script, texts []string) error
}

// openingPrompts is how many of a resident's own prompts (in script order)
// are synthesised before dialing: the greeting and the first question, heard
// within seconds of the answer. The rest (reprompts, later questions) are
// rendered while the call rings and the opening plays, so a campaign starting
// 50 lines dials its first residents after two renders each, not all of them.
const openingPrompts = 2

// prerender synthesises the resident's own prompts: the opening ones before
// it returns, the others in a goroutine that the returned wait joins (Run
// defers it). A failure is logged and the call goes on: the prompt is then
// rendered when it is played.
func (r *Robot) prerender(ctx context.Context, job Job, log *slog.Logger) (wait func()) {
	pr, ok := r.Voice.(residentPrerenderer)
	if job.Script == nil || !ok {
		return func() {}
	}
	texts := ivr.NewEngine(job.Script, ivr.Options{}).ResidentPrompts(job.Data, r.now())
	first := min(len(texts), openingPrompts)
	if err := pr.PrerenderResident(ctx, job.Script, texts[:first]); err != nil {
		log.Warn("pre-render resident prompts", "err", err)
	}
	if first == len(texts) {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := pr.PrerenderResident(ctx, job.Script, texts[first:]); err != nil && ctx.Err() == nil {
			log.Warn("pre-render resident prompts", "err", err)
		}
	}()
	return func() { <-done }
}

func (r *Robot) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Robot) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}
