package sim

import (
	"fmt"
	"hash/fnv"
	"path"
	"regexp"
	"strings"
)

// Rule maps dialed numbers to a persona. Match is an exact number, a glob
// (`1380000*`, `138????5678`, as path.Match) or a regular expression prefixed
// with `re:` (`re:^139`).
type Rule struct {
	Match   string
	Persona Persona
}

// Weighted is one entry of the default mix used for numbers no rule matches.
type Weighted struct {
	Weight  int
	Persona Persona
}

// matcher is a compiled Rule.
type matcher struct {
	exact   string
	glob    string
	re      *regexp.Regexp
	persona Persona
}

func (m matcher) match(number string) bool {
	switch {
	case m.re != nil:
		return m.re.MatchString(number)
	case m.glob != "":
		ok, _ := path.Match(m.glob, number)
		return ok
	}
	return m.exact == number
}

// chooser picks the persona of a dialed number: rules in order, then the
// weighted default mix by a hash of the number (stable across runs).
type chooser struct {
	rules []matcher
	mix   []Weighted
	total int
}

func newChooser(rules []Rule, mix []Weighted) (*chooser, error) {
	c := &chooser{}
	for i, r := range rules {
		m, err := compileRule(r)
		if err != nil {
			return nil, fmt.Errorf("rule %d: %w", i, err)
		}
		c.rules = append(c.rules, m)
	}
	for i, w := range mix {
		if w.Weight < 0 {
			return nil, fmt.Errorf("default %d: negative weight", i)
		}
		if err := w.Persona.Validate(); err != nil {
			return nil, fmt.Errorf("default %d: %w", i, err)
		}
		if w.Weight > 0 {
			c.mix = append(c.mix, w)
			c.total += w.Weight
		}
	}
	return c, nil
}

func compileRule(r Rule) (matcher, error) {
	if err := r.Persona.Validate(); err != nil {
		return matcher{}, err
	}
	m := matcher{persona: r.Persona}
	switch {
	case r.Match == "":
		return matcher{}, fmt.Errorf("empty match")
	case strings.HasPrefix(r.Match, "re:"):
		re, err := regexp.Compile(r.Match[3:])
		if err != nil {
			return matcher{}, fmt.Errorf("match %q: %w", r.Match, err)
		}
		m.re = re
	case strings.ContainsAny(r.Match, "*?["):
		if _, err := path.Match(r.Match, ""); err != nil {
			return matcher{}, fmt.Errorf("match %q: %w", r.Match, err)
		}
		m.glob = r.Match
	default:
		m.exact = r.Match
	}
	return m, nil
}

// pick returns the persona for number.
func (c *chooser) pick(number string) Persona {
	for _, m := range c.rules {
		if m.match(number) {
			return m.persona
		}
	}
	if c.total == 0 {
		return DefaultPersona()
	}
	h := fnv.New64a()
	h.Write([]byte(number))
	n := int(h.Sum64() % uint64(c.total))
	for _, w := range c.mix {
		if n < w.Weight {
			return w.Persona
		}
		n -= w.Weight
	}
	return c.mix[len(c.mix)-1].Persona
}
