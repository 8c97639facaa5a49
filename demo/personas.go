package demo

import (
	"time"

	"outreach/sim"
)

type weighted struct {
	name   string
	weight int
}

// mixWeights is the demo's mix of residents, per 100.
func mixWeights() []weighted {
	return []weighted{
		{"healthy", 64}, {"fever", 6}, {"symptoms", 6}, {"went_out", 4},
		{"busy", 5}, {"no_answer", 5}, {"not_in_service", 3}, {"switched_off", 2},
		{"hangs_up", 4}, {"refuses", 1},
	}
}

// Expect is what a persona should produce: the outcome of its first
// attempt and the alerts its answers must raise.
type Expect struct {
	Outcome string
	Alerts  []string
}

// Expectations per persona, for the summary check and the tests.
func Expectations() map[string]Expect {
	return map[string]Expect{
		"healthy":        {Outcome: "completed"},
		"fever":          {Outcome: "completed", Alerts: []string{"fever", "symptoms"}},
		"symptoms":       {Outcome: "completed", Alerts: []string{"taste_smell", "left_home"}},
		"went_out":       {Outcome: "completed", Alerts: []string{"left_home"}},
		"busy":           {Outcome: "busy"},
		"no_answer":      {Outcome: "no_answer"},
		"not_in_service": {Outcome: "invalid_number"},
		"switched_off":   {Outcome: "unreachable"},
		"hangs_up":       {Outcome: "partial"},
		"refuses":        {Outcome: "rejected"},
	}
}

// keys builds a persona that answers the daily health check by keypad: the
// first key after the identity question has been heard in full, each next
// key one second into the next question (barge-in), as a practised resident
// does; afterPrompt marks keys that follow a statement (fever note, advice),
// which must be heard to its end first.
func keys(name string, steps ...step) sim.Persona {
	p := sim.Persona{Name: name, Kind: sim.KindAnswer, RingFor: 300 * time.Millisecond,
		PromptGap: 550 * time.Millisecond, PromptWait: 40 * time.Second}
	for i, s := range steps {
		for j, r := range s.keys {
			d := sim.DigitAt{Digit: r, Relative: true, At: 250 * time.Millisecond}
			if j == 0 {
				d.At = time.Second + s.after
				if i == 0 || (s.afterPrompt && s.after == 0) {
					d.AfterPrompt, d.Relative, d.At = true, false, 200*time.Millisecond
				}
			}
			p.Digits = append(p.Digits, d)
		}
	}
	return p
}

type step struct {
	keys        string
	afterPrompt bool
	after       time.Duration // statements heard before the question (relative timing)
}

func k(s string) step  { return step{keys: s} }
func ak(s string) step { return step{keys: s, afterPrompt: true} }

// dk answers a question that follows statements lasting d: one second into
// the question (d known), or after the whole prompt (d zero, unknown).
func dk(s string, d time.Duration) step { return step{keys: s, afterPrompt: true, after: d} }

// Personas are the simulated residents of the demo, by name. statements is
// how long the robot talks between an unwell resident's last answer and the
// doctor question (statementTime); zero makes them wait for its end.
func Personas(statements time.Duration) map[string]sim.Persona {
	// identity, temperature, cough, fatigue, taste/smell, contact, left home, needs [, doctor]
	return map[string]sim.Persona{
		"healthy":   keys("healthy", k("1"), k("365#"), k("2"), k("2"), k("2"), k("2"), k("2"), k("3")),
		"fever":     keys("fever", k("1"), k("385#"), ak("1"), k("1"), k("2"), k("2"), k("2"), k("3"), dk("2", statements)),
		"symptoms":  keys("symptoms", k("1"), k("366#"), k("2"), k("2"), k("1"), k("2"), k("1"), k("3"), dk("2", statements)),
		"went_out":  keys("went_out", k("1"), k("364#"), k("2"), k("2"), k("2"), k("2"), k("1"), k("3"), ak("2")),
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
func simRules(members []Member, statements time.Duration) []sim.Rule {
	ps := Personas(statements)
	rules := make([]sim.Rule, 0, len(members))
	for _, m := range members {
		rules = append(rules, sim.Rule{Match: m.Phone, Persona: ps[m.Persona]})
	}
	return rules
}
