package ivr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"time"

	"outreach/mask"
)

// Options configure an Engine.
type Options struct {
	Interpreter Interpreter      // speech → answer; nil means BasicInterpreter
	Now         func() time.Time // clock; nil means time.Now
	Logger      *slog.Logger     // nil discards
	MaxSteps    int              // nodes entered before a run is cut short; 0 means 200
}

// Engine runs one script; it is immutable and safe for concurrent runs.
type Engine struct {
	s      *Script
	interp Interpreter
	now    func() time.Time
	log    *slog.Logger
	max    int
}

// NewEngine prepares a script for running.
func NewEngine(s *Script, opt Options) *Engine {
	e := &Engine{s: s, interp: opt.Interpreter, now: opt.Now, log: opt.Logger, max: opt.MaxSteps}
	if e.interp == nil {
		e.interp = BasicInterpreter{}
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.log == nil {
		e.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if e.max <= 0 {
		e.max = 200
	}
	return e
}

// Data is what prompts may speak about.
type Data struct {
	Org      string
	Resident Resident
	Campaign Campaign
	Today    time.Time // zero means the engine clock's date
}

// Resident is the person called.
type Resident struct{ Name string }

// Campaign is the campaign calling.
type Campaign struct{ Name string }

type promptData struct {
	Org      string
	Today    string
	Resident struct{ Name, MaskedName string }
	Campaign Campaign
	Answers  map[string]any
	Vars     map[string]any
}

// run is the state of one call.
type run struct {
	e        *Engine
	s        *Script
	sess     Session
	start    time.Time
	data     promptData
	res      *Result
	env      map[string]any
	answered map[string]bool
}

// Run runs the script over a call. It always returns a Result (partial when
// the call ended early); the error is non-nil only when the session failed
// for a reason other than the resident hanging up.
func (e *Engine) Run(ctx context.Context, sess Session, d Data) (*Result, error) {
	r := e.newRun(sess, d)
	r.event(EventStart, "", "", fmt.Sprintf("%s v%d", e.s.ID, e.s.Version))
	err := r.loop(ctx)
	r.rules()
	r.res.Duration = r.since()
	r.event(EventEnd, r.res.EndNode, "", r.res.Status.String())
	return r.res, err
}

func (e *Engine) newRun(sess Session, d Data) *run {
	r := &run{e: e, s: e.s, sess: sess, start: e.now(), env: exprEnv(e.s), answered: map[string]bool{}}
	r.res = &Result{ScriptID: e.s.ID, ScriptVersion: e.s.Version, ScriptDigest: e.s.Digest(), Vars: map[string]any{}}
	today := d.Today
	if today.IsZero() {
		today = r.start
	}
	r.data.Org, r.data.Today, r.data.Campaign = d.Org, formatDate(e.s.Language, today), d.Campaign
	r.data.Resident.Name, r.data.Resident.MaskedName = d.Resident.Name, spokenMask(d.Resident.Name)
	r.data.Answers, r.data.Vars = map[string]any{}, map[string]any{}
	for k := range e.s.answers {
		r.data.Answers[k] = ""
	}
	for k, v := range e.s.Vars {
		r.data.Vars[k], r.res.Vars[k] = v, v
	}
	return r
}

func formatDate(lang string, t time.Time) string {
	if len(lang) >= 2 && lang[:2] == "zh" {
		return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
	}
	return t.Format("2 January")
}

func (r *run) since() time.Duration { return r.e.now().Sub(r.start) }

func (r *run) event(k EventKind, node, text, detail string) {
	r.res.Transcript = append(r.res.Transcript, Event{At: r.since(), Kind: k, Node: node, Text: text, Detail: detail})
}

func (r *run) loop(ctx context.Context) error {
	cur, label := r.s.Start, "start"
	for step := 0; ; step++ {
		n := r.s.Nodes[cur]
		if n == nil || step >= r.e.max {
			r.event(EventError, cur, "", "no way on: branch missing or too many steps")
			return r.end(ctx, cur, "error", StatusPartial)
		}
		if err := ctx.Err(); err != nil {
			return r.fail(ctx, n, err)
		}
		r.event(EventEnter, n.ID, "", label)
		r.e.log.Debug("ivr node", "script", r.s.ID, "node", n.ID, "via", label)
		next, via, done, err := r.node(ctx, n)
		if err != nil {
			return r.fail(ctx, n, err)
		}
		if done {
			return nil
		}
		cur, label = next, via
	}
}

// fail ends the run after a session error.
func (r *run) fail(ctx context.Context, n *Node, err error) error {
	r.res.Status, r.res.EndNode = StatusPartial, n.ID
	if errors.Is(err, ErrHangup) {
		r.event(EventCalleeHangup, n.ID, "", "")
		return nil
	}
	r.event(EventError, n.ID, "", err.Error())
	if ctx.Err() == nil {
		_ = r.sess.Hangup(ctx, "error")
	}
	return fmt.Errorf("run script %s at node %s: %w", r.s.ID, n.ID, err)
}

// end hangs up and records how the run ended.
func (r *run) end(ctx context.Context, node, reason string, st Status) error {
	r.res.Status, r.res.EndNode = st, node
	if err := r.sess.Hangup(ctx, reason); err != nil && !errors.Is(err, ErrHangup) {
		return fmt.Errorf("hang up: %w", err)
	}
	r.event(EventHangup, node, "", reason)
	return nil
}

func (r *run) node(ctx context.Context, n *Node) (next, via string, done bool, err error) {
	switch n.Kind {
	case KindAsk:
		return r.askNode(ctx, n)
	case KindTransfer:
		return r.transferNode(ctx, n)
	case KindHangup:
		if _, err := r.play(ctx, n, n.say, n.Say, n.Audio, false); err != nil {
			return "", "", false, err
		}
		return "", "", true, r.end(ctx, n.ID, n.Status.String(), n.Status)
	}
	optOut, err := r.sayNode(ctx, n)
	if err != nil || optOut {
		return "", "", optOut, err
	}
	r.applySet(n)
	next, via = r.route(n, nil)
	return next, via, false, nil
}

// sayNode plays a statement; the repeat key replays it and the opt-out key
// works here too.
func (r *run) sayNode(ctx context.Context, n *Node) (optOut bool, err error) {
	for repeats := 0; ; repeats++ {
		pr, err := r.play(ctx, n, n.say, n.Say, n.Audio, n.BargeIn)
		if err != nil || !pr.Interrupted || pr.Digit == 0 {
			return false, err
		}
		switch string(pr.Digit) {
		case r.s.Keys.OptOut:
			return true, r.optOut(ctx, n)
		case r.s.Keys.Repeat:
			if repeats < r.s.Keys.MaxRepeats {
				r.event(EventRepeat, n.ID, "", "")
				continue
			}
		}
		return false, nil
	}
}

func (r *run) transferNode(ctx context.Context, n *Node) (string, string, bool, error) {
	if n.Say != "" || n.Audio != "" {
		if _, err := r.play(ctx, n, n.say, n.Say, n.Audio, false); err != nil {
			return "", "", false, err
		}
	}
	err := r.sess.Transfer(ctx, n.Transfer)
	if err == nil {
		r.res.Transferred, r.res.TransferTo = true, n.Transfer
		r.res.Status, r.res.EndNode = StatusCompleted, n.ID
		r.event(EventTransfer, n.ID, "", mask.Text(n.Transfer))
		return "", "", true, nil
	}
	if errors.Is(err, ErrHangup) {
		return "", "", false, err
	}
	r.event(EventTransferFailed, n.ID, "", err.Error())
	r.applySet(n)
	if next, via := r.route(n, nil); next != "" {
		return next, via, false, nil
	}
	return "", "", true, r.end(ctx, n.ID, "transfer_failed", StatusPartial)
}

func (r *run) optOut(ctx context.Context, n *Node) error {
	r.res.OptOut = true
	r.event(EventOptOut, n.ID, "", "")
	if _, err := r.play(ctx, n, r.s.Keys.optOutSay, r.s.Keys.OptOutSay, "", false); err != nil {
		r.res.Status, r.res.EndNode = StatusOptedOut, n.ID
		return err
	}
	return r.end(ctx, n.ID, "opt_out", StatusOptedOut)
}

// play renders and says a prompt and records it in the transcript.
func (r *run) play(ctx context.Context, n *Node, t *template.Template, raw, audio string, bargeIn bool) (PlayResult, error) {
	text, err := render(t, raw, r.data)
	if err != nil {
		return PlayResult{}, err
	}
	if audio != "" {
		audio = filepath.Join(r.s.Dir, r.s.Voice.AudioDir, audio)
	}
	p := Prompt{Node: n.ID, Text: text, Audio: audio, Language: r.s.Language, Voice: r.s.Voice, BargeIn: bargeIn}
	pr, err := r.sess.Play(ctx, p)
	if err != nil {
		return pr, err
	}
	switch {
	case pr.Interrupted && pr.Digit != 0:
		r.event(EventBargeIn, n.ID, text, "key "+string(pr.Digit))
	case pr.Interrupted:
		r.event(EventBargeIn, n.ID, text, "speech")
	default:
		r.event(EventPrompt, n.ID, text, "")
	}
	return pr, nil
}

// display is how an answer reads inside a prompt.
func display(lang string, v any) any {
	switch v := v.(type) {
	case bool:
		zh := len(lang) >= 2 && lang[:2] == "zh"
		switch {
		case v && zh:
			return "是"
		case zh:
			return "否"
		case v:
			return "yes"
		}
		return "no"
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return v
}

// spokenMask masks a name so it can still be spoken: 张三华 → 张*华 (the
// prompt engine reads * as 某), Alice Smith → Alice S.
func spokenMask(name string) string {
	f := strings.Fields(name)
	if len(f) >= 2 && isASCII(name) {
		return f[0] + " " + f[len(f)-1][:1] + "."
	}
	return mask.Name(name)
}
