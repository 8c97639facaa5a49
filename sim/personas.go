package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// maxPersonasFile bounds the personas file read by LoadPersonas.
const maxPersonasFile = 1 << 20

// fileDoc is the YAML layout of a personas file (see testdata/personas.yaml).
type fileDoc struct {
	Personas map[string]filePersona `yaml:"personas"`
	Rules    []fileRule             `yaml:"rules"`
	Default  []fileWeighted         `yaml:"default"`
}

type fileRule struct {
	Match   string    `yaml:"match"`
	Persona yaml.Node `yaml:"persona"`
}

type fileWeighted struct {
	Weight  int       `yaml:"weight"`
	Persona yaml.Node `yaml:"persona"`
}

type filePersona struct {
	Kind         string        `yaml:"kind"`
	RingFor      time.Duration `yaml:"ring_for"`
	HangupAfter  time.Duration `yaml:"hangup_after"`
	Digits       []fileDigit   `yaml:"digits"`
	Script       []fileStep    `yaml:"script"`
	Speak        string        `yaml:"speak"`
	SpeakAt      time.Duration `yaml:"speak_at"`
	FinalStatus  int           `yaml:"final_status"`
	Announcement string        `yaml:"announcement"`
	PromptGap    time.Duration `yaml:"prompt_gap"`
	PromptWait   time.Duration `yaml:"prompt_wait"`
}

type fileDigit struct {
	Digit       string        `yaml:"digit"`
	At          time.Duration `yaml:"at"`
	Method      string        `yaml:"method"`
	AfterPrompt bool          `yaml:"after_prompt"`
	Duration    time.Duration `yaml:"duration"`
	Relative    bool          `yaml:"relative"`
}

// fileStep is one step of a script: optionally wait for the end of a
// prompt, wait Wait more, then press Digits one after the other.
type fileStep struct {
	WaitForPrompt bool          `yaml:"wait_for_prompt"`
	Wait          time.Duration `yaml:"wait"`
	Digits        string        `yaml:"digits"`
	Say           string        `yaml:"say"` // WAV spoken as the answer (instead of digits)
	Gap           time.Duration `yaml:"gap"`
	Method        string        `yaml:"method"`
}

// LoadPersonas reads a personas YAML file (format: package example and
// testdata/personas.yaml) and returns its rules and default mix, ready for
// Config.Personas and Config.Default.
func LoadPersonas(path string) ([]Rule, []Weighted, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("load personas: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPersonasFile+1))
	if err != nil {
		return nil, nil, fmt.Errorf("load personas %s: %w", path, err)
	}
	rules, mix, err := ParsePersonas(data)
	if err != nil {
		return nil, nil, fmt.Errorf("load personas %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	for i := range rules {
		if err := resolveFiles(&rules[i].Persona, dir); err != nil {
			return nil, nil, fmt.Errorf("load personas %s: %w", path, err)
		}
	}
	for i := range mix {
		if err := resolveFiles(&mix[i].Persona, dir); err != nil {
			return nil, nil, fmt.Errorf("load personas %s: %w", path, err)
		}
	}
	return rules, mix, nil
}

// resolveFiles makes the persona's WAV paths relative to the personas
// file's directory and checks that they exist.
func resolveFiles(p *Persona, dir string) error {
	files := []*string{&p.Speak, &p.Announcement}
	for i := range p.Digits {
		files = append(files, &p.Digits[i].Say)
	}
	for _, f := range files {
		if *f == "" {
			continue
		}
		if !filepath.IsAbs(*f) {
			*f = filepath.Join(dir, *f)
		}
		if _, err := os.Stat(*f); err != nil {
			return fmt.Errorf("persona %q: %w", p.Name, err)
		}
	}
	return nil
}

// ParsePersonas parses the content of a personas file. Every persona is
// validated and every rule's pattern compiled, so a nil error means New will
// accept the result.
func ParsePersonas(data []byte) ([]Rule, []Weighted, error) {
	if len(data) > maxPersonasFile {
		return nil, nil, fmt.Errorf("personas file larger than %d bytes", maxPersonasFile)
	}
	var doc fileDoc
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("parse personas: %w", err)
	}
	named := make(map[string]Persona, len(doc.Personas))
	names := make([]string, 0, len(doc.Personas))
	for name := range doc.Personas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p, err := doc.Personas[name].persona(name)
		if err != nil {
			return nil, nil, err
		}
		named[name] = p
	}
	rules := make([]Rule, 0, len(doc.Rules))
	for i, r := range doc.Rules {
		p, err := resolvePersona(&r.Persona, named, fmt.Sprintf("rule %d", i))
		if err != nil {
			return nil, nil, err
		}
		rules = append(rules, Rule{Match: r.Match, Persona: p})
	}
	mix := make([]Weighted, 0, len(doc.Default))
	for i, w := range doc.Default {
		p, err := resolvePersona(&w.Persona, named, fmt.Sprintf("default %d", i))
		if err != nil {
			return nil, nil, err
		}
		mix = append(mix, Weighted{Weight: w.Weight, Persona: p})
	}
	if _, err := newChooser(rules, mix); err != nil {
		return nil, nil, fmt.Errorf("parse personas: %w", err)
	}
	return rules, mix, nil
}

// resolvePersona turns a `persona:` value into a Persona: a scalar names an
// entry of `personas:`, a mapping is an inline persona.
func resolvePersona(n *yaml.Node, named map[string]Persona, where string) (Persona, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		p, ok := named[n.Value]
		if !ok {
			return Persona{}, fmt.Errorf("%s: unknown persona %q", where, n.Value)
		}
		return p, nil
	case yaml.MappingNode:
		var fp filePersona
		if err := n.Decode(&fp); err != nil {
			return Persona{}, fmt.Errorf("%s: %w", where, err)
		}
		return fp.persona(where)
	}
	return Persona{}, fmt.Errorf("%s: persona must be a name or a mapping", where)
}

func (fp filePersona) persona(name string) (Persona, error) {
	p := Persona{
		Name: name, Kind: Kind(fp.Kind), RingFor: fp.RingFor, HangupAfter: fp.HangupAfter,
		Speak: fp.Speak, SpeakAt: fp.SpeakAt, FinalStatus: fp.FinalStatus,
		Announcement: fp.Announcement, PromptGap: fp.PromptGap, PromptWait: fp.PromptWait,
	}
	for i, d := range fp.Digits {
		r, err := oneDigit(d.Digit)
		if err != nil {
			return Persona{}, fmt.Errorf("persona %q: digit %d: %w", name, i, err)
		}
		p.Digits = append(p.Digits, DigitAt{Digit: r, At: d.At, Method: d.Method,
			AfterPrompt: d.AfterPrompt, Relative: d.Relative, Duration: d.Duration})
	}
	for _, st := range fp.Script {
		p.Digits = append(p.Digits, st.digits()...)
	}
	if err := p.Validate(); err != nil {
		return Persona{}, err
	}
	return p, nil
}

func oneDigit(s string) (rune, error) {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || n != len(s) {
		return 0, fmt.Errorf("digit %q: want exactly one key", s)
	}
	return r, nil
}

// digits expands a script step: the first key (or the spoken answer, which
// comes first) waits for the prompt (or counts from the previous action),
// the others follow Gap apart (default 300 ms).
func (st fileStep) digits() []DigitAt {
	gap := st.Gap
	if gap <= 0 {
		gap = 300 * time.Millisecond
	}
	var out []DigitAt
	if st.Say != "" {
		out = append(out, DigitAt{Say: st.Say, At: st.Wait, AfterPrompt: st.WaitForPrompt, Relative: !st.WaitForPrompt})
	}
	for i, r := range st.Digits {
		d := DigitAt{Digit: r, Method: st.Method, Relative: true, At: gap}
		if i == 0 {
			d.At = st.Wait
			d.AfterPrompt = st.WaitForPrompt
			d.Relative = !st.WaitForPrompt
		}
		out = append(out, d)
	}
	return out
}
