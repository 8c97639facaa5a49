package sim_test

import (
	"context"
	"fmt"
	"time"

	"outreach/sim"
)

// A personas file maps dialed numbers to behaviours; see
// testdata/personas.yaml for every field. Rules are tried in order (exact
// number, glob such as 1380000*, or regexp re:^139); other numbers get a
// persona from the weighted default mix, picked by a hash of the number so
// reruns behave the same.
func ExampleLoadPersonas() {
	rules, mix, err := sim.LoadPersonas("testdata/personas.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := sim.New(sim.Config{Listen: "127.0.0.1:0", Personas: rules, Default: mix})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := s.Start(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	defer s.Stop()
	fmt.Println(len(rules), "rules,", len(mix), "weighted personas")
	// Output: 4 rules, 7 weighted personas
}

// Personas can also be built in code: here a resident who answers after two
// seconds, waits for the robot's question to end, presses 1, then types a
// temperature after the next prompt.
func ExampleConfig() {
	ivr := sim.Persona{Name: "patient", Kind: sim.KindAnswer, RingFor: 2 * time.Second,
		Digits: []sim.DigitAt{
			{Digit: '1', AfterPrompt: true},
			{Digit: '3', AfterPrompt: true},
			{Digit: '6', At: 300 * time.Millisecond, Relative: true},
			{Digit: '#', At: 300 * time.Millisecond, Relative: true, Method: sim.MethodInfo},
		}}
	cfg := sim.Config{
		Listen:   "tcp://127.0.0.1:0",
		Personas: []sim.Rule{{Match: "re:^1390000", Persona: ivr}},
		Default: []sim.Weighted{
			{Weight: 9, Persona: sim.Persona{Name: "ok", Kind: sim.KindAnswer, RingFor: time.Second}},
			{Weight: 1, Persona: sim.Persona{Name: "busy", Kind: sim.KindBusy}},
		},
	}
	s, err := sim.New(cfg)
	fmt.Println(err == nil, s.Network())
	// Output: true tcp
}
