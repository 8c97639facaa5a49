package ivr

import (
	"fmt"
	"strings"
	"time"
)

// Status is how a script run ended.
type Status uint8

// Statuses.
const (
	StatusCompleted Status = iota // reached a hangup or transfer node
	StatusPartial                 // the resident hung up, or a hangup node marked partial
	StatusOptedOut                // the resident asked never to be called again
)

func (s Status) String() string {
	switch s {
	case StatusCompleted:
		return "completed"
	case StatusPartial:
		return "partial"
	case StatusOptedOut:
		return "opted_out"
	}
	return "unknown"
}

// Method is how an answer was given.
type Method uint8

// Methods.
const (
	MethodDTMF Method = iota + 1
	MethodSpeech
)

func (m Method) String() string {
	switch m {
	case MethodDTMF:
		return "dtmf"
	case MethodSpeech:
		return "speech"
	}
	return "none"
}

// Answer is one typed answer. Value is bool (yes_no), float64 (number) or
// string (choice value, digits, speech transcript).
type Answer struct {
	Node       string
	Key        string
	Type       AnswerType
	Value      any
	Raw        string // digits pressed or words heard
	Method     Method
	Confidence float64
	Attempts   int
}

// Alert is a flag a grid worker must follow up.
type Alert struct {
	Flag string
	Rule string // the condition that fired
	Note string
}

// Result is everything a run produced.
type Result struct {
	ScriptID      string
	ScriptVersion int
	ScriptDigest  string
	Status        Status
	Answers       []Answer // in the order given
	Vars          map[string]any
	Flags         []string // every flag and alert raised, in rule order
	Alerts        []Alert
	OptOut        bool
	Transferred   bool
	TransferTo    string
	EndNode       string
	Duration      time.Duration
	Transcript    []Event
}

// Answer returns the answer with the given key.
func (r *Result) Answer(key string) (Answer, bool) {
	for _, a := range r.Answers {
		if a.Key == key {
			return a, true
		}
	}
	return Answer{}, false
}

// EventKind is a kind of transcript event.
type EventKind uint8

// Transcript event kinds.
const (
	EventStart          EventKind = iota // call handed to the script
	EventEnter                           // a node begins (Detail: the branch taken)
	EventPrompt                          // a prompt played in full
	EventBargeIn                         // a prompt interrupted by the resident
	EventInput                           // keys or speech received
	EventNoInput                         // nothing within the timeout
	EventNoMatch                         // input not understood
	EventRetry                           // question asked again
	EventRepeat                          // the resident asked to hear it again
	EventAnswer                          // an answer recorded
	EventSet                             // a variable set
	EventOptOut                          // the resident opted out
	EventTransfer                        // call handed to staff
	EventTransferFailed                  // the transfer did not happen
	EventHangup                          // the robot hung up
	EventCalleeHangup                    // the resident hung up
	EventRule                            // a rule raised a flag or alert
	EventError                           // something failed; Detail says what
	EventEnd                             // run over (Detail: status)
)

var eventNames = [...]string{"start", "enter", "prompt", "barge_in", "input", "no_input", "no_match",
	"retry", "repeat", "answer", "set", "opt_out", "transfer", "transfer_failed", "hangup",
	"callee_hangup", "rule", "error", "end"}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return "unknown"
}

// Event is one line of the transcript; At is measured on the injected clock
// from the start of the run.
type Event struct {
	At     time.Duration
	Kind   EventKind
	Node   string
	Text   string
	Detail string
}

func (e Event) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%7.1fs %-15s %s", e.At.Seconds(), e.Kind, e.Node)
	if e.Detail != "" {
		fmt.Fprintf(&b, " [%s]", e.Detail)
	}
	if e.Text != "" {
		fmt.Fprintf(&b, " %q", e.Text)
	}
	return strings.TrimRight(b.String(), " ")
}
