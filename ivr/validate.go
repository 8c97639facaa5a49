package ivr

import (
	"fmt"
	"math"
	"strings"

	"go.yaml.in/yaml/v3"
)

// checkAsk validates the settings of one question for its answer type.
func (p *parser) checkAsk(s *Script, a *Ask, n *yaml.Node) {
	global := map[string]string{s.Keys.Repeat: "repeat", s.Keys.OptOut: "opt_out"}
	delete(global, "")
	clash := func(key, what string) {
		if g, ok := global[key]; ok {
			p.errf(n, "%s key %s is also the %s key of every question", what, key, g)
		}
	}
	if a.Type != TypeChoice && len(a.Options) > 0 {
		p.errf(n, "options are only for choice questions")
	}
	switch a.Type {
	case TypeYesNo:
		if a.YesKey == a.NoKey && a.YesKey != "" {
			p.errf(n, "yes and no have the same key %s", a.YesKey)
		}
		clash(a.YesKey, "yes")
		clash(a.NoKey, "no")
	case TypeChoice:
		if len(a.Options) < 2 {
			p.errf(n, "a choice question needs at least two options")
		}
		for _, o := range a.Options {
			clash(o.Key, "option "+o.Value)
		}
	case TypeNumber:
		p.checkNumber(s, a, n)
	case TypeDigits:
		if a.Length == 0 {
			p.errf(n, "a digits question needs length")
		}
		if a.Terminator == "" {
			a.Terminator = "#"
		}
	case TypeSpeech:
		if !a.Speech {
			p.errf(n, "a speech question cannot turn speech off")
		}
	}
	if a.Terminator != "" {
		clash(a.Terminator, "terminator")
	}
}

func (p *parser) checkNumber(s *Script, a *Ask, n *yaml.Node) {
	if !a.hasRange {
		p.errf(n, "bad range: a number question needs min and max")
		return
	}
	if a.Min >= a.Max {
		p.errf(n, "bad range: min %g is not below max %g", a.Min, a.Max)
		return
	}
	if a.Min < 0 {
		p.errf(n, "bad range: min %g is below 0 and cannot be keyed", a.Min)
	}
	if a.Terminator == "" {
		a.Terminator = "#"
	}
	need := len(fmt.Sprintf("%d", int64(math.Round(a.Max*math.Pow10(a.Scale)))))
	if a.MaxDigits == 0 {
		a.MaxDigits = need
	} else if a.MaxDigits < need {
		p.errf(n, "bad range: max %g with scale %d needs %d digits but max_digits is %d", a.Max, a.Scale, need, a.MaxDigits)
	}
}

// validate runs the checks that need the whole script: templates,
// expressions, references, branch coverage and the shape of the graph.
func (p *parser) validate(s *Script) {
	for _, t := range p.pending {
		*t.dst = p.compileTemplate(s, t)
	}
	env := exprEnv(s)
	p.compileExprs(s, env)
	if s.Start != "" && s.Nodes[s.Start] == nil {
		p.errAt(s.pos, "unknown start node %q", s.Start)
	}
	p.ref(s, s.Defaults.NoInput, s.Defaults.noInputPos, "defaults no_input")
	p.ref(s, s.Defaults.NoMatch, s.Defaults.noMatchPos, "defaults no_match")
	for _, id := range s.Order {
		p.checkBranches(s, s.Nodes[id])
	}
	if s.Nodes[s.Start] != nil {
		p.checkGraph(s)
	}
}

func (p *parser) ref(s *Script, target string, pos Pos, what string) {
	if target != "" && s.Nodes[target] == nil {
		p.errAt(pos, "%s goes to unknown node %q", what, target)
	}
}

func (p *parser) checkBranches(s *Script, n *Node) {
	b := &n.Next
	p.ref(s, b.Default, b.defaultPos, "next")
	p.ref(s, b.NoInput, b.noInputPos, "no_input")
	p.ref(s, b.NoMatch, b.noMatchPos, "no_match")
	for _, c := range b.Cases {
		p.ref(s, c.Goto, c.gpos, fmt.Sprintf("branch %q", c.Label))
	}
	switch n.Kind {
	case KindHangup:
		if b.Default != "" || len(b.Cases) > 0 || b.NoInput != "" || b.NoMatch != "" {
			p.errAt(n.pos, "node %s hangs up, so it cannot have next", n.ID)
		}
	case KindSay:
		if b.NoInput != "" || b.NoMatch != "" {
			p.errAt(n.pos, "node %s asks nothing, so no_input and no_match never happen", n.ID)
		}
		p.checkValueCases(n, nil)
		if b.Default == "" {
			p.errAt(n.pos, "missing branch: node %s says something but has no next (or default) node", n.ID)
		}
	case KindTransfer:
		p.checkValueCases(n, nil)
	case KindAsk:
		p.checkAskBranches(s, n)
	}
}

// checkValueCases reports answer-value branches that can never match;
// allowed lists the values the node can produce (nil: none).
func (p *parser) checkValueCases(n *Node, allowed map[string]bool) {
	for _, c := range n.Next.Cases {
		if c.Value != "" && !allowed[c.Value] {
			if allowed == nil {
				p.errAt(c.pos, "node %s has no answer to compare with %q: use default or \"if ...\"", n.ID, c.Label)
			} else {
				p.errAt(c.pos, "branch %q is not a possible answer of node %s (expected %s)", c.Label, n.ID, strings.Join(sortedKeys(allowed), ", "))
			}
		}
		if c.Op != "" && (n.Ask == nil || n.Ask.Type != TypeNumber) {
			p.errAt(c.pos, "comparison %q needs a number question", c.Label)
		}
	}
}

func (p *parser) checkAskBranches(s *Script, n *Node) {
	a, b := n.Ask, &n.Next
	var allowed map[string]bool
	switch a.Type {
	case TypeYesNo:
		allowed = map[string]bool{"yes": true, "no": true}
	case TypeChoice:
		allowed = map[string]bool{}
		for _, o := range a.Options {
			allowed[o.Value] = true
		}
	case TypeDigits:
		allowed = map[string]bool{}
		for _, c := range b.Cases {
			if c.Value != "" && len(c.Value) == a.Length && strings.Trim(c.Value, "0123456789") == "" {
				allowed[c.Value] = true
			}
		}
	}
	p.checkValueCases(n, allowed)
	if a.Type == TypeNumber {
		for _, c := range b.Cases {
			if c.Op != "" && (c.Num < a.Min || c.Num > a.Max) {
				p.errAt(c.pos, "bad range: %q compares outside the answer range %g to %g", c.Label, a.Min, a.Max)
			}
		}
	}
	if b.Default == "" {
		covered := map[string]bool{}
		for _, c := range b.Cases {
			if c.Value != "" {
				covered[c.Value] = true
			}
		}
		var missing []string
		if a.Type == TypeYesNo || a.Type == TypeChoice {
			for _, v := range sortedKeys(allowed) {
				if !covered[v] {
					missing = append(missing, v)
				}
			}
		} else {
			missing = []string{"any other answer (add default)"}
		}
		if len(missing) > 0 {
			p.errAt(n.pos, "missing branch: node %s has no next node for %s", n.ID, strings.Join(missing, ", "))
		}
	}
	if b.NoInput == "" && s.Defaults.NoInput == "" && b.Default == "" {
		p.errAt(n.pos, "missing branch: node %s has no no_input (or default) node for when nothing is pressed", n.ID)
	}
	if b.NoMatch == "" && s.Defaults.NoMatch == "" && b.Default == "" {
		p.errAt(n.pos, "missing branch: node %s has no no_match (or default) node for when the answer is not understood", n.ID)
	}
}
