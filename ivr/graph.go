package ivr

import (
	"strings"
	"time"
)

// Edge is one way from a node to the next: Label is the branch as written
// ("yes", ">= 37.3", "if ..."), or default, no_input, no_match.
type Edge struct {
	From, To, Label string
}

// Edges lists every way between nodes, in source order, with the fallbacks
// (defaults no_input/no_match, default) that the engine takes resolved.
func (s *Script) Edges() []Edge {
	var out []Edge
	for _, id := range s.Order {
		out = append(out, s.edgesOf(s.Nodes[id])...)
	}
	return out
}

func (s *Script) edgesOf(n *Node) []Edge {
	var out []Edge
	add := func(to, label string) {
		if to != "" {
			out = append(out, Edge{n.ID, to, label})
		}
	}
	for _, c := range n.Next.Cases {
		add(c.Goto, c.Label)
	}
	add(n.Next.Default, "default")
	if n.Kind == KindAsk {
		add(s.noInputTarget(n), "no_input")
		add(s.noMatchTarget(n), "no_match")
	}
	return out
}

func (s *Script) noInputTarget(n *Node) string {
	return firstOf(n.Next.NoInput, s.Defaults.NoInput, n.Next.Default)
}

func (s *Script) noMatchTarget(n *Node) string {
	return firstOf(n.Next.NoMatch, s.Defaults.NoMatch, n.Next.Default)
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func terminal(n *Node) bool { return n.Kind == KindHangup || n.Kind == KindTransfer }

// checkGraph reports nodes no branch reaches and loops that never reach a
// hangup or transfer.
func (p *parser) checkGraph(s *Script) {
	succ := map[string][]string{}
	pred := map[string][]string{}
	for _, e := range s.Edges() {
		if s.Nodes[e.To] == nil {
			continue
		}
		succ[e.From] = append(succ[e.From], e.To)
		pred[e.To] = append(pred[e.To], e.From)
	}
	reach := closure([]string{s.Start}, succ)
	var terms []string
	for _, id := range s.Order {
		if terminal(s.Nodes[id]) {
			terms = append(terms, id)
		}
	}
	exits := closure(terms, pred)
	var stuck []string
	var first *Node
	for _, id := range s.Order {
		n := s.Nodes[id]
		switch {
		case !reach[id]:
			p.errAt(n.pos, "unreachable node %s: no branch leads to it from start %s", id, s.Start)
		case !exits[id]:
			if first == nil {
				first = n
			}
			stuck = append(stuck, id)
		}
	}
	if first != nil {
		p.errAt(first.pos, "loop with no way out: %s never reach a hangup or transfer", strings.Join(stuck, ", "))
	}
}

func closure(from []string, next map[string][]string) map[string]bool {
	seen := map[string]bool{}
	stack := append([]string(nil), from...)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[id] {
			continue
		}
		seen[id] = true
		stack = append(stack, next[id]...)
	}
	return seen
}

// longest finds the path from start with the most worst-case time, not
// following any branch back into a node already on the path.
func (s *Script) longest() (path []string, d time.Duration) {
	onPath := map[string]bool{}
	memo := map[string]pathCost{}
	best := s.walkLongest(s.Start, onPath, memo, 0)
	return best.path, best.d
}

type pathCost struct {
	path []string
	d    time.Duration
}

func (s *Script) walkLongest(id string, onPath map[string]bool, memo map[string]pathCost, depth int) pathCost {
	n := s.Nodes[id]
	if n == nil || depth > 500 {
		return pathCost{}
	}
	if c, ok := memo[id]; ok {
		return c
	}
	onPath[id] = true
	var best pathCost
	if !terminal(n) || n.Kind == KindTransfer {
		for _, e := range s.edgesOf(n) {
			if onPath[e.To] {
				continue
			}
			if c := s.walkLongest(e.To, onPath, memo, depth+1); c.d > best.d || (c.d == best.d && len(c.path) > len(best.path)) {
				best = c
			}
		}
	}
	onPath[id] = false
	out := pathCost{path: append([]string{id}, best.path...), d: worstCase(n) + best.d}
	memo[id] = out
	return out
}

// worstCase is the longest a node can take: every attempt played in full
// and waited out.
func worstCase(n *Node) time.Duration {
	say := EstimateDuration(templateText(n.Say))
	if n.Ask == nil {
		return say
	}
	re := say
	if n.Ask.Reprompt != "" {
		re = EstimateDuration(templateText(n.Ask.Reprompt))
	}
	wait := n.Ask.Timeout
	if n.Ask.Type == TypeNumber || n.Ask.Type == TypeDigits {
		wait += time.Duration(max(n.Ask.MaxDigits, n.Ask.Length)) * n.Ask.InterDigitTimeout
	}
	return say + wait + time.Duration(n.Ask.Retries)*(re+wait)
}

// templateText replaces template actions by a short placeholder for timing.
func templateText(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString("某某某")
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			return b.String()
		}
		s = s[i+j+2:]
	}
}
