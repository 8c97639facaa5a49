package ivr

import (
	"strings"
	"text/template"
	"time"

	"github.com/expr-lang/expr/vm"
)

// NodeKind is what a node does.
type NodeKind uint8

// Node kinds. A node with an ask block is an ask node; one with transfer is a
// transfer node; one with hangup is a hangup node; anything else is a say node.
const (
	KindSay NodeKind = iota
	KindAsk
	KindTransfer
	KindHangup
)

func (k NodeKind) String() string {
	switch k {
	case KindSay:
		return "say"
	case KindAsk:
		return "ask"
	case KindTransfer:
		return "transfer"
	case KindHangup:
		return "hangup"
	}
	return "unknown"
}

// AnswerType is the kind of answer a question expects.
type AnswerType uint8

// Answer types of an ask node.
const (
	TypeYesNo AnswerType = iota + 1
	TypeNumber
	TypeChoice
	TypeDigits
	TypeSpeech
)

func (t AnswerType) String() string {
	switch t {
	case TypeYesNo:
		return "yes_no"
	case TypeNumber:
		return "number"
	case TypeChoice:
		return "choice"
	case TypeDigits:
		return "digits"
	case TypeSpeech:
		return "speech"
	}
	return "unknown"
}

func parseAnswerType(s string) (AnswerType, bool) {
	for t := TypeYesNo; t <= TypeSpeech; t++ {
		if t.String() == s {
			return t, true
		}
	}
	return 0, false
}

// Pos is a 1-based line and column in the script source.
type Pos struct{ Line, Col int }

// Script is a loaded, validated questionnaire. It is immutable once loaded
// and safe to share between concurrent calls.
type Script struct {
	ID          string
	Version     int
	Language    string // BCP 47, e.g. zh-CN, en-US
	Voice       Voice
	UnmaskNames bool // allow {{.Resident.Name}} in prompts
	Start       string
	Defaults    Defaults
	Keys        GlobalKeys
	Vars        map[string]any // declared variables with their initial values
	Nodes       map[string]*Node
	Order       []string // node ids in source order
	Rules       []*Rule
	Dir         string // directory of the script file (for audio), set by LoadFile

	answers map[string]AnswerType // answer key → type
	digest  string
	pos     Pos // of the document
}

// Voice says how prompts are spoken: a TTS engine and voice, or recorded
// audio files under AudioDir.
type Voice struct {
	Engine   string
	Name     string
	AudioDir string
}

// Defaults apply to every ask node unless the node overrides them.
type Defaults struct {
	Timeout           time.Duration
	InterDigitTimeout time.Duration
	Retries           int
	BargeIn           bool
	MinConfidence     float64
	NoInput           string // node to go to after retries run out with no input
	NoMatch           string // node to go to after retries run out with no match
	noInputPos        Pos
	noMatchPos        Pos
}

// GlobalKeys are keys and words that work in every question.
type GlobalKeys struct {
	Repeat      string   // replay the question, e.g. "*"
	OptOut      string   // never call again, e.g. "9"
	OptOutSay   string   // closing words after opting out
	RepeatWords []string // spoken equivalents of Repeat
	OptOutWords []string // spoken equivalents of OptOut
	MaxRepeats  int      // repeats allowed per question before it counts as no match

	optOutSay *template.Template
}

// Node is one step of a script.
type Node struct {
	ID       string
	Kind     NodeKind
	Say      string // template text
	Audio    string // recorded prompt, relative to the script's audio dir
	BargeIn  bool   // the resident may interrupt the prompt
	Ask      *Ask
	Next     Branches
	Set      []Assign
	Transfer string // staff number or SIP URI (SIP REFER)
	Status   Status // for hangup nodes: completed (default) or partial

	say      *template.Template
	pos      Pos
	audioPos Pos
}

// Ask is the question part of an ask node.
type Ask struct {
	Type              AnswerType
	Key               string              // answer name, defaults to the node id
	YesKey, NoKey     string              // yes_no keys, default "1" and "2"
	Options           []Option            // choice options
	Scale             int                 // number: implied decimals of keyed digits (365 with scale 1 is 36.5)
	Min, Max          float64             // number range
	Length            int                 // digits: exact length
	MaxDigits         int                 // number: most digits keyed
	Terminator        string              // key ending digit entry, e.g. "#"
	Timeout           time.Duration       // wait for the first input
	InterDigitTimeout time.Duration       // wait between digits
	Retries           int                 // extra attempts after a no input or no match
	Reprompt          string              // said instead of the question on retries
	Speech            bool                // accept speech as well as keys
	Words             map[string][]string // yes_no: spoken words for yes and no

	reprompt *template.Template
	hasRange bool
}

// Option is one choice of a choice question.
type Option struct {
	Key   string   // keypad key
	Value string   // recorded answer value
	Words []string // spoken words that select it
}

// Branches route to the next node.
type Branches struct {
	Default string // unconditional next node
	Cases   []Case // tried in order; the first match wins
	NoInput string
	NoMatch string

	defaultPos, noInputPos, noMatchPos Pos
}

// Case is one conditional branch: by answer value ("yes", an option value,
// exact digits), by comparison of a number answer (">= 37.3"), or by an
// expression over answers and variables ("if temperature >= 37.3 && cough").
type Case struct {
	Label string // as written
	Value string
	Op    string
	Num   float64
	Expr  string
	Goto  string

	prog    *vm.Program
	refs    []string
	pos     Pos // of the label
	exprPos Pos // of the expression inside the label
	gpos    Pos // of the target
}

// Assign sets a variable from an expression after its node finishes.
type Assign struct {
	Var  string
	Expr string
	prog *vm.Program
	refs []string
	pos  Pos
}

// Rule raises a flag (and an alert for the grid worker when Alert is set)
// when its expression over the answers is true at the end of the call.
type Rule struct {
	When  string
	Flag  string
	Alert bool
	Note  string
	prog  *vm.Program
	refs  []string
	pos   Pos
}

// Digest identifies the exact script content ("sha256:..."); a campaign pins
// it with Version so results say which questionnaire was asked.
func (s *Script) Digest() string { return s.digest }

// AnswerKeys reports the answer keys the script can record and their types.
func (s *Script) AnswerKeys() map[string]AnswerType {
	m := make(map[string]AnswerType, len(s.answers))
	for k, v := range s.answers {
		m[k] = v
	}
	return m
}

// StaticPrompts lists the prompt texts that contain no template fields, in
// source order and without duplicates, so they can be synthesised and
// cached before the first call.
func (s *Script) StaticPrompts() []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if t != "" && !seen[t] && !strings.Contains(t, "{{") {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, id := range s.Order {
		n := s.Nodes[id]
		add(n.Say)
		if n.Ask != nil {
			add(n.Ask.Reprompt)
		}
	}
	add(s.Keys.OptOutSay)
	return out
}
