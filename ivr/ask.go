package ivr

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// outcome of one question.
type outcome uint8

const (
	answered outcome = iota
	noInput
	noMatch
	optedOut
)

func (r *run) askNode(ctx context.Context, n *Node) (string, string, bool, error) {
	out, err := r.ask(ctx, n)
	if err != nil {
		return "", "", false, err
	}
	switch out {
	case optedOut:
		return "", "", true, r.optOut(ctx, n)
	case noInput:
		r.applySet(n)
		return r.s.noInputTarget(n), "no_input", false, nil
	case noMatch:
		r.applySet(n)
		return r.s.noMatchTarget(n), "no_match", false, nil
	}
	r.applySet(n)
	a, _ := r.res.Answer(n.Ask.Key)
	next, via := r.route(n, &a)
	return next, via, false, nil
}

// ask asks a question until it is answered or its retries run out. A
// repeat request replays the question without using up an attempt.
func (r *run) ask(ctx context.Context, n *Node) (outcome, error) {
	a := n.Ask
	attempts, repeats, retry := 1, 0, false
	for {
		in, err := r.prompted(ctx, n, retry)
		if err != nil {
			return 0, err
		}
		out := noMatch
		switch r.global(n, in) {
		case optedOut:
			return optedOut, nil
		case answered: // the repeat key or words
			repeats++
			r.event(EventRepeat, n.ID, "", fmt.Sprintf("%d/%d", repeats, r.s.Keys.MaxRepeats))
			if repeats <= r.s.Keys.MaxRepeats {
				retry = false
				continue
			}
		default:
			out = r.interpret(n, in, attempts)
		}
		if out == answered {
			return answered, nil
		}
		if out == noInput {
			r.event(EventNoInput, n.ID, "", a.Timeout.String())
		} else {
			r.event(EventNoMatch, n.ID, "", "")
		}
		if attempts > a.Retries {
			return out, nil
		}
		attempts++
		retry = true
		r.event(EventRetry, n.ID, "", fmt.Sprintf("attempt %d/%d", attempts, a.Retries+1))
	}
}

// prompted plays the question (or its reprompt) and collects the input,
// starting from a key pressed during the prompt.
func (r *run) prompted(ctx context.Context, n *Node, retry bool) (Input, error) {
	a := n.Ask
	t, raw, audio := n.say, n.Say, n.Audio
	if retry && a.Reprompt != "" {
		t, raw, audio = a.reprompt, a.Reprompt, ""
	}
	pr, err := r.play(ctx, n, t, raw, audio, n.BargeIn)
	if err != nil {
		return Input{}, err
	}
	c := r.collectSpec(n)
	if pr.Interrupted && pr.Digit != 0 {
		d := string(pr.Digit)
		if d == r.s.Keys.Repeat || a.Type == TypeYesNo || a.Type == TypeChoice ||
			(d == r.s.Keys.OptOut && r.optOutApplies(a)) || d == a.Terminator {
			in := Input{Kind: InputDigits, Digits: d, Confidence: 1}
			r.event(EventInput, n.ID, "", "keys "+d)
			return in, nil
		}
		c.Prefix = d
	}
	in, err := r.sess.Collect(ctx, c)
	if err != nil {
		return Input{}, err
	}
	switch in.Kind {
	case InputDigits:
		r.event(EventInput, n.ID, "", "keys "+in.Digits)
	case InputSpeech:
		r.event(EventInput, n.ID, in.Text, fmt.Sprintf("speech %.2f", in.Confidence))
	}
	return in, nil
}

func (r *run) collectSpec(n *Node) Collect {
	a := n.Ask
	c := Collect{Node: n.ID, Type: a.Type, Timeout: a.Timeout, InterDigitTimeout: a.InterDigitTimeout,
		Terminator: a.Terminator, MaxDigits: 1, Speech: a.Speech, Language: r.s.Language}
	switch a.Type {
	case TypeNumber:
		c.MaxDigits = a.MaxDigits
	case TypeDigits:
		c.MaxDigits = a.Length
	case TypeSpeech:
		c.MaxDigits = 32
	case TypeYesNo:
		c.Hints = append(append(c.Hints, a.Words["yes"]...), a.Words["no"]...)
	case TypeChoice:
		for _, o := range a.Options {
			c.Hints = append(c.Hints, o.Words...)
		}
	}
	c.Hints = append(append(c.Hints, r.s.Keys.RepeatWords...), r.s.Keys.OptOutWords...)
	return c
}

// optOutApplies: the opt-out key is data in questions answered by digits.
func (r *run) optOutApplies(a *Ask) bool {
	return a.Type == TypeYesNo || a.Type == TypeChoice
}

// global recognises the keys and words that work in every question:
// answered means "repeat", optedOut means "opt out", noMatch means neither.
func (r *run) global(n *Node, in Input) outcome {
	k := r.s.Keys
	switch in.Kind {
	case InputDigits:
		d := strings.TrimSuffix(in.Digits, n.Ask.Terminator)
		if d != "" && d == k.Repeat {
			return answered
		}
		if d != "" && d == k.OptOut && r.optOutApplies(n.Ask) {
			return optedOut
		}
	case InputSpeech:
		t := normalize(in.Text)
		for _, w := range k.OptOutWords {
			if containsWord(t, normalize(w)) {
				return optedOut
			}
		}
		for _, w := range k.RepeatWords {
			if containsWord(t, normalize(w)) {
				return answered
			}
		}
	}
	return noMatch
}

// interpret turns input into an answer and records it.
func (r *run) interpret(n *Node, in Input, attempts int) outcome {
	a := n.Ask
	ans := Answer{Node: n.ID, Key: a.Key, Type: a.Type, Attempts: attempts}
	switch in.Kind {
	case InputNone:
		return noInput
	case InputDigits:
		v, ok := keyed(a, strings.TrimSuffix(in.Digits, a.Terminator))
		if !ok {
			return noMatch
		}
		ans.Value, ans.Raw, ans.Method, ans.Confidence = v, in.Digits, MethodDTMF, 1
	case InputSpeech:
		if !a.Speech {
			return noMatch
		}
		q := Question{Type: a.Type, Language: r.s.Language, Options: a.Options, Words: a.Words, Min: a.Min, Max: a.Max, Length: a.Length}
		v, ok, conf := r.e.interp.Interpret(q, in.Text)
		if in.Confidence > 0 {
			conf = math.Min(conf, in.Confidence)
		}
		if !ok || conf < r.s.Defaults.MinConfidence || !inRange(a, v) {
			return noMatch
		}
		ans.Value, ans.Raw, ans.Method, ans.Confidence = v, in.Text, MethodSpeech, conf
	}
	r.record(ans)
	return answered
}

// keyed reads a keypad answer.
func keyed(a *Ask, d string) (any, bool) {
	if d == "" || strings.Trim(d, "0123456789") != "" {
		return nil, false
	}
	switch a.Type {
	case TypeYesNo:
		return d == a.YesKey, d == a.YesKey || d == a.NoKey
	case TypeChoice:
		for _, o := range a.Options {
			if o.Key == d {
				return o.Value, true
			}
		}
		return nil, false
	case TypeNumber:
		i, err := strconv.ParseInt(d, 10, 64)
		if err != nil {
			return nil, false
		}
		v := float64(i) / math.Pow10(a.Scale)
		return v, inRange(a, v)
	case TypeDigits:
		return d, len(d) == a.Length
	}
	return d, true
}

func inRange(a *Ask, v any) bool {
	f, ok := v.(float64)
	return a.Type != TypeNumber || (ok && f >= a.Min && f <= a.Max)
}

func (r *run) record(ans Answer) {
	replaced := false
	for i := range r.res.Answers {
		if r.res.Answers[i].Key == ans.Key {
			r.res.Answers[i], replaced = ans, true
		}
	}
	if !replaced {
		r.res.Answers = append(r.res.Answers, ans)
	}
	r.env[ans.Key], r.answered[ans.Key] = ans.Value, true
	r.data.Answers[ans.Key] = display(r.s.Language, ans.Value)
	r.event(EventAnswer, ans.Node, "", fmt.Sprintf("%s=%v %s", ans.Key, ans.Value, ans.Method))
}
