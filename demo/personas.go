package demo

import (
	"time"

	"outreach/asr"
	"outreach/sim"
)

type weighted struct {
	name   string
	weight int
}

// mixWeights is the demo's mix of residents, per 100.
func mixWeights() []weighted {
	return []weighted{
		{"healthy", 58}, {"fever", 6}, {"symptoms", 6}, {"went_out", 4}, {"voice", 4}, {"voice_cough", 2},
		{"busy", 5}, {"no_answer", 5}, {"not_in_service", 3}, {"switched_off", 2},
		{"hangs_up", 4}, {"refuses", 1},
	}
}

// Expect is what a persona should produce: the outcome of its first
// attempt, the alerts its answers must raise, and how many of its answers
// the robot must have taken by speech.
type Expect struct {
	Outcome string
	Alerts  []string
	Spoken  int
}

// Expectations per persona, for the summary check and the tests.
func Expectations() map[string]Expect {
	return map[string]Expect{
		"healthy":        {Outcome: "completed"},
		"fever":          {Outcome: "completed", Alerts: []string{"fever", "symptoms"}},
		"symptoms":       {Outcome: "completed", Alerts: []string{"taste_smell", "left_home"}},
		"went_out":       {Outcome: "completed", Alerts: []string{"left_home"}},
		"voice":          {Outcome: "completed", Spoken: 7},
		"voice_cough":    {Outcome: "completed", Alerts: []string{"symptoms"}, Spoken: 8},
		"busy":           {Outcome: "busy"},
		"no_answer":      {Outcome: "no_answer"},
		"not_in_service": {Outcome: "invalid_number"},
		"switched_off":   {Outcome: "unreachable"},
		"hangs_up":       {Outcome: "partial"},
		"refuses":        {Outcome: "rejected"},
	}
}

// Timing of spoken answers. The robot stops a prompt once speech has
// lasted asr.DefaultBargeInMinSpeech, so a resident who starts speaking
// speechLead into a question stops it about a second in, as a key press
// does. After the words the robot waits asr.DefaultPause of silence before
// it takes the answer and asks the next question (speechGap).
const (
	speechLead = time.Second - asr.DefaultBargeInMinSpeech
	speechGap  = asr.DefaultPause
)

// keys builds a persona that answers the daily health check by keypad or
// voice: the first answer after the identity question has been heard in
// full, each next one one second into the next question (barge-in; words
// start speechLead in), as a practised resident does; afterPrompt marks
// answers that follow a statement (fever note, advice), which must be
// heard to its end first. After a spoken answer the next question starts
// speechGap later.
func keys(name string, steps ...step) sim.Persona {
	p := sim.Persona{Name: name, Kind: sim.KindAnswer, RingFor: 300 * time.Millisecond,
		PromptGap: 550 * time.Millisecond, PromptWait: 40 * time.Second}
	spoke := false
	for i, s := range steps {
		for j, d := range s.presses() {
			if j == 0 {
				d.Relative, d.At = true, time.Second+s.after
				if s.say != "" {
					d.At = speechLead + s.after
				}
				if spoke {
					d.At += speechGap
				}
				if i == 0 || (s.afterPrompt && s.after == 0) {
					d.AfterPrompt, d.Relative, d.At = true, false, 200*time.Millisecond
				}
			}
			p.Digits = append(p.Digits, d)
		}
		spoke = s.say != ""
	}
	return p
}

type step struct {
	keys        string
	say         string // WAV spoken instead of keys
	afterPrompt bool
	after       time.Duration // statements heard before the question (relative timing)
}

// presses are the step's key presses, or its one spoken answer.
func (s step) presses() []sim.DigitAt {
	if s.say != "" {
		return []sim.DigitAt{{Say: s.say}}
	}
	var out []sim.DigitAt
	for _, r := range s.keys {
		out = append(out, sim.DigitAt{Digit: r, Relative: true, At: 250 * time.Millisecond})
	}
	return out
}

func k(s string) step  { return step{keys: s} }
func ak(s string) step { return step{keys: s, afterPrompt: true} }

// dk answers a question that follows statements lasting d: one second into
// the question (d known), or after the whole prompt (d zero, unknown).
func dk(s string, d time.Duration) step { return step{keys: s, afterPrompt: true, after: d} }

// v says the recording in file; dv does so after statements, as dk.
func v(file string) step                   { return step{say: file} }
func dv(file string, d time.Duration) step { return step{say: file, afterPrompt: true, after: d} }

// Personas are the simulated residents of the demo, by name. statements is
// how long the robot talks between an unwell resident's last answer and the
// doctor question (statementTime); zero makes them wait for its end. The
// voice residents say voice's recordings (temperature by keys).
func Personas(statements time.Duration, voice Voice) map[string]sim.Persona {
	// identity, temperature, cough, fatigue, taste/smell, contact, left home, needs [, doctor]
	no := v(voice.No)
	return map[string]sim.Persona{
		"healthy":  keys("healthy", k("1"), k("365#"), k("2"), k("2"), k("2"), k("2"), k("2"), k("3")),
		"fever":    keys("fever", k("1"), k("385#"), ak("1"), k("1"), k("2"), k("2"), k("2"), k("3"), dk("2", statements)),
		"symptoms": keys("symptoms", k("1"), k("366#"), k("2"), k("2"), k("1"), k("2"), k("1"), k("3"), dk("2", statements)),
		"went_out": keys("went_out", k("1"), k("364#"), k("2"), k("2"), k("2"), k("2"), k("1"), k("3"), ak("2")),
		"voice":    keys("voice", v(voice.Identity), k("365#"), no, no, no, no, no, v(voice.NoNeeds)),
		"voice_cough": keys("voice_cough", v(voice.Identity), k("367#"), v(voice.Yes), v(voice.Yes), no, no, no,
			v(voice.NoNeeds), dv(voice.Decline, statements)),
		"busy":      {Name: "busy", Kind: sim.KindBusy},
		"no_answer": {Name: "no_answer", Kind: sim.KindNoAnswer},
		"not_in_service": {Name: "not_in_service", Kind: sim.KindNotInService, RingFor: 300 * time.Millisecond,
			FinalStatus: 404},
		"switched_off": {Name: "switched_off", Kind: sim.KindNotInService, RingFor: 300 * time.Millisecond,
			FinalStatus: 480},
		"hangs_up": {Name: "hangs_up", Kind: sim.KindHangup, RingFor: time.Second, HangupAfter: 9 * time.Second},
		"refuses":  {Name: "refuses", Kind: sim.KindReject},
	}
}

// simRules maps each member's number to its persona.
func simRules(members []Member, statements time.Duration, voice Voice) []sim.Rule {
	ps := Personas(statements, voice)
	rules := make([]sim.Rule, 0, len(members))
	for _, m := range members {
		rules = append(rules, sim.Rule{Match: m.Phone, Persona: ps[m.Persona]})
	}
	return rules
}
