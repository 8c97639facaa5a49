package ivr

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

func (p *parser) nodes(s *Script, n *yaml.Node) {
	for _, kv := range p.mapping(n, "nodes") {
		id := kv.k.Value
		if !validIdent(id) {
			p.errf(kv.k, "node name %q must be letters, digits and _ and start with a letter", id)
			continue
		}
		node := &Node{ID: id, pos: posOf(kv.k), BargeIn: s.Defaults.BargeIn}
		p.node(s, node, kv.v)
		s.Nodes[id] = node
		s.Order = append(s.Order, id)
	}
}

func (p *parser) node(s *Script, node *Node, n *yaml.Node) {
	var next, hangup *yaml.Node
	for _, kv := range p.mapping(n, "node "+node.ID) {
		switch kv.k.Value {
		case "say":
			node.Say = p.str(kv.v, "say")
			p.deferTemplate(kv.v, "say", node.Say, &node.say)
		case "audio":
			node.Audio, node.audioPos = p.str(kv.v, "audio"), posOf(kv.v)
		case "barge_in":
			node.BargeIn = p.boolean(kv.v, "barge_in")
		case "ask":
			node.Ask = p.ask(s, node, kv.v)
		case "next":
			next = kv.v
		case "set":
			node.Set = p.assigns(kv.v)
		case "transfer":
			node.Transfer = strings.TrimSpace(p.str(kv.v, "transfer"))
			if node.Transfer == "" {
				p.errf(kv.v, "transfer needs a staff number or SIP address")
			}
		case "hangup":
			hangup = kv.v
			if !p.boolean(kv.v, "hangup") {
				hangup = nil
			}
		case "status":
			switch p.str(kv.v, "status") {
			case "completed":
				node.Status = StatusCompleted
			case "partial":
				node.Status = StatusPartial
			default:
				p.errf(kv.v, "status must be completed or partial")
			}
		default:
			p.errf(kv.k, "unknown field %q in node %s (expected say, audio, barge_in, ask, next, set, transfer, hangup, status)", kv.k.Value, node.ID)
		}
	}
	p.kind(node, n, hangup)
	if next != nil {
		node.Next = p.branches(node, next)
	}
}

func (p *parser) kind(node *Node, n, hangup *yaml.Node) {
	kinds := 0
	if node.Ask != nil {
		node.Kind = KindAsk
		kinds++
	}
	if node.Transfer != "" {
		node.Kind = KindTransfer
		kinds++
	}
	if hangup != nil {
		node.Kind = KindHangup
		kinds++
	}
	if kinds > 1 {
		p.errf(n, "node %s mixes ask, transfer and hangup: use one per node", node.ID)
	}
	if node.Kind == KindAsk && node.Say == "" && node.Audio == "" {
		p.errf(n, "node %s asks a question but has nothing to say", node.ID)
	}
	if node.Kind == KindSay && node.Say == "" && node.Audio == "" {
		p.errf(n, "node %s has nothing to say: give it say, audio, ask, transfer or hangup", node.ID)
	}
}

func (p *parser) assigns(n *yaml.Node) []Assign {
	var out []Assign
	for _, kv := range p.mapping(n, "set") {
		out = append(out, Assign{Var: kv.k.Value, Expr: p.str(kv.v, "set "+kv.k.Value), pos: posOf(kv.v)})
	}
	return out
}

var compareOps = []string{">=", "<=", "==", "!=", ">", "<"}

// branches reads next: either a node name, or a mapping of answer values,
// comparisons ("">= 37.3"), expressions ("if ..."), default, no_input and
// no_match to node names, tried in the order written.
func (p *parser) branches(node *Node, n *yaml.Node) Branches {
	var b Branches
	if n.Kind == yaml.ScalarNode {
		b.Default, b.defaultPos = n.Value, posOf(n)
		return b
	}
	for _, kv := range p.mapping(n, "next") {
		target, _ := p.scalar(kv.v, "next target")
		label := strings.TrimSpace(kv.k.Value)
		switch {
		case label == "default":
			b.Default, b.defaultPos = target, posOf(kv.v)
		case label == "no_input":
			b.NoInput, b.noInputPos = target, posOf(kv.v)
		case label == "no_match":
			b.NoMatch, b.noMatchPos = target, posOf(kv.v)
		default:
			c := Case{Label: label, Goto: target, pos: posOf(kv.k), gpos: posOf(kv.v)}
			p.caseLabel(&c, kv.k)
			b.Cases = append(b.Cases, c)
		}
	}
	return b
}

func (p *parser) caseLabel(c *Case, k *yaml.Node) {
	if rest, ok := strings.CutPrefix(c.Label, "if "); ok {
		c.Expr = strings.TrimSpace(rest)
		c.exprPos = textPos(k, k.Value, strings.Index(k.Value, c.Expr))
		return
	}
	for _, op := range compareOps {
		if rest, ok := strings.CutPrefix(c.Label, op); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err != nil {
				p.errf(k, "comparison %q needs a number after %s", c.Label, op)
			}
			c.Op, c.Num = op, v
			return
		}
	}
	c.Value = c.Label
}

func (p *parser) ask(s *Script, node *Node, n *yaml.Node) *Ask {
	a := &Ask{Key: node.ID, YesKey: "1", NoKey: "2", Timeout: s.Defaults.Timeout,
		InterDigitTimeout: s.Defaults.InterDigitTimeout, Retries: s.Defaults.Retries, Speech: true}
	var typeNode *yaml.Node
	for _, kv := range p.mapping(n, "ask") {
		switch kv.k.Value {
		case "type":
			typeNode = kv.v
			t, ok := parseAnswerType(p.str(kv.v, "type"))
			if !ok {
				p.errf(kv.v, "unknown answer type %q (expected yes_no, number, choice, digits, speech)", kv.v.Value)
			}
			a.Type = t
		case "key":
			a.Key = p.str(kv.v, "key")
		default:
			p.askField(s, a, kv)
		}
	}
	if typeNode == nil {
		p.errf(n, "ask needs a type: yes_no, number, choice, digits or speech")
	}
	if !validIdent(a.Key) {
		p.errf(n, "answer key %q must be letters, digits and _ and start with a letter", a.Key)
	} else if prev, dup := s.answers[a.Key]; dup && prev != a.Type {
		p.errf(n, "answer %q is asked elsewhere as %s and here as %s", a.Key, prev, a.Type)
	} else if _, isVar := s.Vars[a.Key]; isVar {
		p.errf(n, "answer %q has the name of a variable", a.Key)
	} else if a.Type != 0 {
		s.answers[a.Key] = a.Type
	}
	p.checkAsk(s, a, n)
	return a
}

func (p *parser) askField(s *Script, a *Ask, kv pair) {
	switch kv.k.Value {
	case "yes":
		a.YesKey = p.key(kv.v, "yes key")
	case "no":
		a.NoKey = p.key(kv.v, "no key")
	case "words":
		if a.Words == nil {
			a.Words = map[string][]string{}
		}
		for _, w := range p.mapping(kv.v, "words") {
			if w.k.Value != "yes" && w.k.Value != "no" {
				p.errf(w.k, "words are given for yes and no, not %q", w.k.Value)
			}
			a.Words[w.k.Value] = p.strList(w.v, "words")
		}
	case "options":
		a.Options = p.options(kv.v)
	case "scale":
		a.Scale = p.integer(kv.v, "scale", 0, 3)
	case "min":
		a.Min, a.hasRange = p.number(kv.v, "min"), true
	case "max":
		a.Max, a.hasRange = p.number(kv.v, "max"), true
	case "length":
		a.Length = p.integer(kv.v, "length", 1, 32)
	case "max_digits":
		a.MaxDigits = p.integer(kv.v, "max_digits", 1, 32)
	case "terminator":
		a.Terminator = p.key(kv.v, "terminator")
	case "timeout":
		a.Timeout = p.duration(kv.v, "timeout")
	case "inter_digit_timeout":
		a.InterDigitTimeout = p.duration(kv.v, "inter_digit_timeout")
	case "retries":
		a.Retries = p.integer(kv.v, "retries", 0, 5)
	case "reprompt":
		a.Reprompt = p.str(kv.v, "reprompt")
		p.deferTemplate(kv.v, "reprompt", a.Reprompt, &a.reprompt)
	case "speech":
		a.Speech = p.boolean(kv.v, "speech")
	default:
		p.errf(kv.k, "unknown field %q in ask (expected type, key, yes, no, words, options, scale, min, max, length, max_digits, terminator, timeout, inter_digit_timeout, retries, reprompt, speech)", kv.k.Value)
	}
}

func (p *parser) options(n *yaml.Node) []Option {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		p.errf(n, "options must be a list of {key, value, words}")
		return nil
	}
	var out []Option
	keys, values := map[string]bool{}, map[string]bool{}
	for _, item := range n.Content {
		var o Option
		for _, kv := range p.mapping(item, "option") {
			switch kv.k.Value {
			case "key":
				o.Key = p.key(kv.v, "option key")
			case "value":
				o.Value = p.str(kv.v, "option value")
			case "words":
				o.Words = p.strList(kv.v, "option words")
			default:
				p.errf(kv.k, "unknown field %q in option (expected key, value, words)", kv.k.Value)
			}
		}
		switch {
		case o.Key == "" || o.Value == "":
			p.errf(item, "an option needs a key and a value")
		case keys[o.Key]:
			p.errf(item, "key %s is used by two options", o.Key)
		case values[o.Value]:
			p.errf(item, "value %q is used by two options", o.Value)
		}
		keys[o.Key], values[o.Value] = true, true
		out = append(out, o)
	}
	return out
}
