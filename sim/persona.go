package sim

import (
	"fmt"
	"time"
)

// Kind is what a persona does with an incoming call.
type Kind string

// The persona kinds.
const (
	KindAnswer       Kind = "answer"         // 180, then 200 after RingFor; digits/speech per persona
	KindBusy         Kind = "busy"           // 486 Busy Here (RFC 3261 §21.4.24)
	KindNoAnswer     Kind = "no_answer"      // 180 and never answers; CANCEL → 487 (RFC 3261 §9.2)
	KindReject       Kind = "reject"         // 603 Decline (RFC 3261 §21.6.2)
	KindNotInService Kind = "not_in_service" // 183 with early-media announcement, then 404 or 480
	KindHangup       Kind = "hangup"         // answers, then sends BYE after HangupAfter
	KindSilent       Kind = "silent"         // answers and sends nothing, waits for the caller's BYE
)

// String returns the kind as written in the personas file.
func (k Kind) String() string { return string(k) }

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindAnswer, KindBusy, KindNoAnswer, KindReject, KindNotInService, KindHangup, KindSilent:
		return true
	}
	return false
}

// answers reports whether the kind ends in a 200 OK.
func (k Kind) answers() bool {
	return k == KindAnswer || k == KindHangup || k == KindSilent
}

// DTMF methods for DigitAt.Method.
const (
	MethodRFC4733 = "rfc4733" // RTP telephone-event (RFC 4733), the default
	MethodInfo    = "info"    // SIP INFO with application/dtmf-relay
)

// DigitAt is one key press of a persona.
//
// By default At counts from the moment the call was answered. With Relative,
// At counts from the persona's previous key press (or the answer). With
// AfterPrompt, the persona first waits for the end of a prompt heard after its
// previous action (prompt audio stopped for Persona.PromptGap), then waits At
// more; this makes IVR tests independent of prompt lengths.
type DigitAt struct {
	Digit       rune
	Say         string // a WAV file spoken instead of pressing Digit (a speech answer)
	At          time.Duration
	Method      string // MethodRFC4733 (default) or MethodInfo
	AfterPrompt bool
	Relative    bool
	Duration    time.Duration // key press length; 0 means 100 ms
}

// Persona is the behaviour of a simulated resident.
type Persona struct {
	Name string
	Kind Kind

	// RingFor is the time between 180 Ringing and the 200 OK (answering
	// kinds) or before the early-media announcement (not_in_service).
	RingFor time.Duration
	// HangupAfter makes the persona send BYE this long after answering
	// (required for KindHangup, optional for KindAnswer; 0 waits for the caller).
	HangupAfter time.Duration
	// Digits are pressed after answering.
	Digits []DigitAt
	// Speak is a WAV file played SpeakAt after answering.
	Speak   string
	SpeakAt time.Duration
	// FinalStatus is the final response of not_in_service: 404 (default) or 480.
	FinalStatus int
	// Announcement is a WAV file played as early media by not_in_service;
	// empty synthesizes a three-tone intercept pattern.
	Announcement string
	// PromptGap is the silence that ends a prompt for AfterPrompt digits
	// (default 400 ms); PromptWait caps the wait for one prompt end
	// (default 30 s; the digit is pressed anyway when it runs out).
	PromptGap  time.Duration
	PromptWait time.Duration
}

// Validate checks the persona for the fields its kind needs.
func (p Persona) Validate() error {
	if !p.Kind.Valid() {
		return fmt.Errorf("persona %q: unknown kind %q", p.Name, p.Kind)
	}
	if p.RingFor < 0 || p.HangupAfter < 0 || p.SpeakAt < 0 || p.PromptGap < 0 || p.PromptWait < 0 {
		return fmt.Errorf("persona %q: negative duration", p.Name)
	}
	if p.Kind == KindHangup && p.HangupAfter <= 0 {
		return fmt.Errorf("persona %q: kind hangup needs hangup_after > 0", p.Name)
	}
	switch p.FinalStatus {
	case 0, 404, 480:
	default:
		if p.Kind == KindNotInService {
			return fmt.Errorf("persona %q: final_status %d: want 404 or 480", p.Name, p.FinalStatus)
		}
	}
	for i, d := range p.Digits {
		if d.Say == "" && !validDigit(d.Digit) {
			return fmt.Errorf("persona %q: digit %d: %q is not a DTMF key", p.Name, i, d.Digit)
		}
		if d.At < 0 || d.Duration < 0 {
			return fmt.Errorf("persona %q: digit %d: negative duration", p.Name, i)
		}
		switch d.Method {
		case "", MethodRFC4733, MethodInfo:
		default:
			return fmt.Errorf("persona %q: digit %d: method %q: want rfc4733 or info", p.Name, i, d.Method)
		}
	}
	return nil
}

func validDigit(r rune) bool {
	switch {
	case r >= '0' && r <= '9', r == '*', r == '#', r >= 'A' && r <= 'D':
		return true
	}
	return false
}

func (p Persona) finalStatus() int {
	if p.FinalStatus == 0 {
		return 404
	}
	return p.FinalStatus
}

func (p Persona) promptGap() time.Duration {
	if p.PromptGap <= 0 {
		return 400 * time.Millisecond
	}
	return p.PromptGap
}

func (p Persona) promptWait() time.Duration {
	if p.PromptWait <= 0 {
		return 30 * time.Second
	}
	return p.PromptWait
}

// DefaultPersona answers after one second and waits for the caller to hang up.
func DefaultPersona() Persona {
	return Persona{Name: "answer", Kind: KindAnswer, RingFor: time.Second}
}
