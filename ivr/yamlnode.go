package ivr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/template"
	"time"

	"go.yaml.in/yaml/v3"
)

// parser turns the YAML tree into a Script, collecting diagnostics with the
// line and column of each offending node.
type parser struct {
	file    string
	diags   []Diagnostic
	pending []pendingTemplate
}

// pendingTemplate is prompt text compiled once every answer key is known.
type pendingTemplate struct {
	n    *yaml.Node
	what string
	text string
	dst  **template.Template
}

func (p *parser) deferTemplate(n *yaml.Node, what, text string, dst **template.Template) {
	p.pending = append(p.pending, pendingTemplate{n, what, text, dst})
}

func posOf(n *yaml.Node) Pos {
	if n == nil {
		return Pos{1, 1}
	}
	return Pos{n.Line, n.Column}
}

func (p *parser) errAt(pos Pos, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{File: p.file, Line: pos.Line, Col: pos.Col, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) errf(n *yaml.Node, format string, args ...any) {
	p.errAt(posOf(n), format, args...)
}

// resolve follows aliases.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	return n
}

type pair struct{ k, v *yaml.Node }

// mapping returns the key/value pairs of a mapping node, reporting anything
// else. Duplicate keys are reported.
func (p *parser) mapping(n *yaml.Node, what string) []pair {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		p.errf(n, "%s must be a mapping (key: value lines)", what)
		return nil
	}
	seen := map[string]bool{}
	out := make([]pair, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.errf(k, "%s: keys must be plain words", what)
			continue
		}
		if seen[k.Value] {
			p.errf(k, "%s: %q appears twice", what, k.Value)
			continue
		}
		seen[k.Value] = true
		out = append(out, pair{k, v})
	}
	return out
}

func (p *parser) scalar(n *yaml.Node, what string) (string, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		p.errf(n, "%s must be a single value", what)
		return "", false
	}
	return n.Value, true
}

func (p *parser) str(n *yaml.Node, what string) string {
	s, _ := p.scalar(n, what)
	return s
}

func (p *parser) integer(n *yaml.Node, what string, lo, hi int) int {
	s, ok := p.scalar(n, what)
	if !ok {
		return 0
	}
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		p.errf(n, "%s must be a whole number, not %q", what, s)
		return 0
	}
	if v < lo || v > hi {
		p.errf(n, "bad range: %s must be between %d and %d, not %d", what, lo, hi, v)
	}
	return v
}

func (p *parser) number(n *yaml.Node, what string) float64 {
	s, ok := p.scalar(n, what)
	if !ok {
		return 0
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		p.errf(n, "%s must be a number, not %q", what, s)
		return 0
	}
	return v
}

func (p *parser) boolean(n *yaml.Node, what string) bool {
	s, ok := p.scalar(n, what)
	if !ok {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "on":
		return true
	case "false", "no", "off":
		return false
	}
	p.errf(n, "%s must be true or false, not %q", what, s)
	return false
}

// duration accepts Go durations ("6s", "1.5s", "500ms") or bare seconds ("6").
func (p *parser) duration(n *yaml.Node, what string) time.Duration {
	s, ok := p.scalar(n, what)
	if !ok {
		return 0
	}
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		s = strconv.FormatFloat(f, 'f', -1, 64) + "s"
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		p.errf(n, "%s must be a duration such as 6s, not %q", what, s)
		return 0
	}
	if d <= 0 || d > time.Minute {
		p.errf(n, "bad range: %s must be more than 0s and at most 1m, not %s", what, d)
	}
	return d
}

func (p *parser) strList(n *yaml.Node, what string) []string {
	n = resolve(n)
	if n != nil && n.Kind == yaml.ScalarNode {
		return []string{n.Value}
	}
	if n == nil || n.Kind != yaml.SequenceNode {
		p.errf(n, "%s must be a list", what)
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		if s, ok := p.scalar(resolve(c), what+" item"); ok {
			out = append(out, s)
		}
	}
	return out
}

// key checks a single keypad key.
func (p *parser) key(n *yaml.Node, what string) string {
	s, ok := p.scalar(n, what)
	if !ok {
		return ""
	}
	if len(s) != 1 || !strings.Contains("0123456789*#", s) {
		p.errf(n, "%s must be one keypad key (0-9, * or #), not %q", what, s)
		return ""
	}
	return s
}

func validIdent(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
