package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"outreach/asr"
	"outreach/sim"
)

// TestCallTemplateASR: `outreach call --asr template --asr-templates DIR`
// understands a resident who answers the identity question by voice (the
// shipped resident recording of 是我, against the shipped references).
func TestCallTemplateASR(t *testing.T) {
	t.Parallel()
	speech := filepath.Join("..", "..", "scripts", "samples", "speech")
	m, err := asr.ReadTemplateManifest(filepath.Join(speech, "residents"))
	if err != nil {
		t.Fatal(err)
	}
	itsMe := m.Find(filepath.Join(speech, "residents"), "zh-CN", "是我")
	if itsMe == "" {
		t.Fatal("no shipped recording of 是我")
	}
	persona := sim.Persona{Name: "voice", Kind: sim.KindAnswer, RingFor: 200 * time.Millisecond,
		PromptGap: 550 * time.Millisecond, PromptWait: 40 * time.Second, HangupAfter: 25 * time.Second,
		Digits: []sim.DigitAt{{Say: itsMe, AfterPrompt: true, At: 200 * time.Millisecond}}}
	s, err := sim.New(sim.Config{Listen: "127.0.0.1:0", Personas: []sim.Rule{{Match: "13900000031", Persona: persona}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	res := runScriptCall(s.Addr(), filepath.Join(samplesDir, "daily-health-check.zh.yaml"), "13900000031", t.TempDir(),
		"--asr", "template", "--asr-templates", filepath.Join(speech, "references"))
	out := res.decode(t)
	var found bool
	for _, a := range out.Script.Answers {
		if a.Key == "identity" {
			found = true
			if a.Value != true || a.Method != "speech" {
				t.Errorf("identity answered %v by %s, want true by speech", a.Value, a.Method)
			}
		}
	}
	if !found {
		t.Fatalf("no identity answer: %+v", out.Script.Answers)
	}
	for _, l := range out.Script.Transcript {
		if l.Kind == "input" && l.Node == "identity" {
			t.Logf("identity answered by voice %.1f s into the call (the persona hangs up at 25 s)", float64(l.AtMS)/1000)
		}
	}
}
