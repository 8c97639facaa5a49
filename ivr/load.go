package ivr

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"
)

// MaxScriptSize bounds the script source accepted by Load.
const MaxScriptSize = 1 << 20

// Load parses and validates a script. On failure the error is Diagnostics
// (every mistake with its line and column) with the file name "script".
func Load(src []byte) (*Script, error) {
	return load("script", src)
}

// LoadFile reads, parses and validates a script file; its directory becomes
// Script.Dir, against which audio files are resolved.
func LoadFile(path string) (*Script, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load script: %w", err)
	}
	s, err := load(path, src)
	if err != nil {
		return nil, err
	}
	s.Dir = filepath.Dir(path)
	return s, nil
}

func load(file string, src []byte) (*Script, error) {
	s, diags := parseScript(file, src)
	if len(diags) > 0 {
		return nil, Diagnostics(diags)
	}
	return s, nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parseScript builds a script and reports every mistake it finds. The script is
// returned even when there are mistakes (for Check's summary) unless the
// source is not YAML at all.
func parseScript(file string, src []byte) (*Script, []Diagnostic) {
	p := &parser{file: file}
	if len(src) > MaxScriptSize {
		p.errAt(Pos{1, 1}, "script is larger than %d bytes", MaxScriptSize)
		return nil, p.diags
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line := 1
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		p.errAt(Pos{line, 1}, "not valid YAML: %v", err)
		return nil, p.diags
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		p.errAt(Pos{1, 1}, "script is empty")
		return nil, p.diags
	}
	s := newScript()
	s.pos = posOf(doc.Content[0])
	s.digest = digest(&doc)
	p.top(s, doc.Content[0])
	p.validate(s)
	sortDiagnostics(p.diags)
	return s, p.diags
}

func newScript() *Script {
	return &Script{
		Defaults: Defaults{Timeout: 6 * time.Second, InterDigitTimeout: 3 * time.Second,
			Retries: 2, BargeIn: true, MinConfidence: 0.5},
		Keys:    GlobalKeys{MaxRepeats: 3},
		Vars:    map[string]any{},
		Nodes:   map[string]*Node{},
		answers: map[string]AnswerType{},
	}
}

func (p *parser) top(s *Script, root *yaml.Node) {
	var nodes *yaml.Node
	var rules *yaml.Node
	required := map[string]bool{"id": false, "version": false, "language": false, "start": false, "nodes": false}
	for _, kv := range p.mapping(root, "script") {
		if _, ok := required[kv.k.Value]; ok {
			required[kv.k.Value] = true
		}
		switch kv.k.Value {
		case "id":
			s.ID = p.str(kv.v, "id")
		case "version":
			s.Version = p.integer(kv.v, "version", 1, 1<<30)
		case "language":
			s.Language = p.str(kv.v, "language")
		case "voice":
			p.voice(s, kv.v)
		case "unmask_names":
			s.UnmaskNames = p.boolean(kv.v, "unmask_names")
		case "start":
			s.Start = p.str(kv.v, "start")
		case "defaults":
			p.defaults(s, kv.v)
		case "keys":
			p.globalKeys(s, kv.v)
		case "vars":
			p.vars(s, kv.v)
		case "nodes":
			nodes = kv.v
		case "rules":
			rules = kv.v
		default:
			p.errf(kv.k, "unknown field %q in script (expected id, version, language, voice, unmask_names, start, defaults, keys, vars, nodes, rules)", kv.k.Value)
		}
	}
	for _, name := range []string{"id", "version", "language", "start", "nodes"} {
		if !required[name] {
			p.errf(root, "missing %q", name)
		}
	}
	if nodes != nil {
		p.nodes(s, nodes)
	}
	if rules != nil {
		p.rules(s, rules)
	}
}

func (p *parser) voice(s *Script, n *yaml.Node) {
	for _, kv := range p.mapping(n, "voice") {
		switch kv.k.Value {
		case "engine":
			s.Voice.Engine = p.str(kv.v, "voice engine")
		case "name":
			s.Voice.Name = p.str(kv.v, "voice name")
		case "audio_dir":
			s.Voice.AudioDir = p.str(kv.v, "voice audio_dir")
		default:
			p.errf(kv.k, "unknown field %q in voice (expected engine, name, audio_dir)", kv.k.Value)
		}
	}
}

func (p *parser) defaults(s *Script, n *yaml.Node) {
	d := &s.Defaults
	for _, kv := range p.mapping(n, "defaults") {
		switch kv.k.Value {
		case "timeout":
			d.Timeout = p.duration(kv.v, "timeout")
		case "inter_digit_timeout":
			d.InterDigitTimeout = p.duration(kv.v, "inter_digit_timeout")
		case "retries":
			d.Retries = p.integer(kv.v, "retries", 0, 5)
		case "barge_in":
			d.BargeIn = p.boolean(kv.v, "barge_in")
		case "min_confidence":
			d.MinConfidence = p.number(kv.v, "min_confidence")
			if d.MinConfidence < 0 || d.MinConfidence > 1 {
				p.errf(kv.v, "bad range: min_confidence must be between 0 and 1")
			}
		case "no_input":
			d.NoInput, d.noInputPos = p.str(kv.v, "no_input"), posOf(kv.v)
		case "no_match":
			d.NoMatch, d.noMatchPos = p.str(kv.v, "no_match"), posOf(kv.v)
		default:
			p.errf(kv.k, "unknown field %q in defaults (expected timeout, inter_digit_timeout, retries, barge_in, min_confidence, no_input, no_match)", kv.k.Value)
		}
	}
}

func (p *parser) globalKeys(s *Script, n *yaml.Node) {
	k := &s.Keys
	for _, kv := range p.mapping(n, "keys") {
		switch kv.k.Value {
		case "repeat":
			k.Repeat = p.key(kv.v, "repeat key")
		case "opt_out":
			k.OptOut = p.key(kv.v, "opt_out key")
		case "opt_out_say":
			k.OptOutSay = p.str(kv.v, "opt_out_say")
			p.deferTemplate(kv.v, "opt_out_say", k.OptOutSay, &k.optOutSay)
		case "repeat_words":
			k.RepeatWords = p.strList(kv.v, "repeat_words")
		case "opt_out_words":
			k.OptOutWords = p.strList(kv.v, "opt_out_words")
		case "max_repeats":
			k.MaxRepeats = p.integer(kv.v, "max_repeats", 0, 10)
		default:
			p.errf(kv.k, "unknown field %q in keys (expected repeat, opt_out, opt_out_say, repeat_words, opt_out_words, max_repeats)", kv.k.Value)
		}
	}
	if k.Repeat != "" && k.Repeat == k.OptOut {
		p.errf(n, "the repeat and opt_out keys are both %q", k.Repeat)
	}
	if (k.OptOut != "" || len(k.OptOutWords) > 0) && k.OptOutSay == "" {
		p.errf(n, "opt_out needs opt_out_say: the words said before hanging up")
	}
}

func (p *parser) vars(s *Script, n *yaml.Node) {
	for _, kv := range p.mapping(n, "vars") {
		name := kv.k.Value
		if !validIdent(name) {
			p.errf(kv.k, "variable name %q must be letters, digits and _ and start with a letter", name)
			continue
		}
		var v any
		if kv.v.Kind == yaml.ScalarNode {
			switch kv.v.Tag {
			case "!!bool":
				v = p.boolean(kv.v, "variable "+name)
			case "!!int", "!!float":
				v = p.number(kv.v, "variable "+name)
			default:
				v = kv.v.Value
			}
		} else {
			p.errf(kv.v, "variable %q must start with a single value (number, true/false or text)", name)
			continue
		}
		s.Vars[name] = v
	}
}
