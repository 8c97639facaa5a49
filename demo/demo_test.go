package demo

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRosterMix(t *testing.T) {
	m := Roster(200, 40, 1)
	count := map[string]int{}
	observed := 0
	for _, x := range m {
		count[x.Persona]++
		if x.Observed {
			observed++
		}
	}
	if observed != 40 || count["healthy"] < 100 || count["fever"] < 12 || count["refuses"] < 2 {
		t.Fatalf("mix %v, observed %d", count, observed)
	}
	if again := Roster(200, 40, 1); again[17] != m[17] {
		t.Fatal("roster not repeatable")
	}
	called := map[string]int{}
	for _, x := range m[:40] {
		called[x.Persona]++
	}
	for name := range Expectations() {
		if called[name] == 0 {
			t.Errorf("persona %s missing from the 40 residents under observation", name)
		}
	}
}

// TestDemo runs a small demo end to end (real SIP and RTP on loopback, the
// embedded store and Redis) and checks the report: outcomes add up, and
// each resident's outcome and alerts match what their persona must produce.
func TestDemo(t *testing.T) {
	var progress bytes.Buffer
	sum, err := Run(t.Context(), Options{Residents: 60, Observed: 24, Lines: 24, Out: t.TempDir(), Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	sum.Print(&buf)
	t.Log("\n" + progress.String() + buf.String())
	total := 0
	for _, n := range sum.FirstOutcome {
		total += n
	}
	if total != 24 || sum.Observed != 24 {
		t.Errorf("first outcomes add up to %d (want the 24 under observation), observed %d", total, sum.Observed)
	}
	if p := sum.Progress; p.Finished()+p.Queued != p.Tasks || p.Tasks != 24 {
		t.Errorf("tasks do not add up: %+v", p)
	}
	for _, m := range sum.Mismatches {
		t.Error(m)
	}
	if sum.Alerts["fever"] == 0 || sum.Alerts["left_home"] == 0 {
		t.Errorf("alerts %v: fever and left_home expected", sum.Alerts)
	}
	// Each voice resident's answers were checked above (Expect.Spoken);
	// at least one of each was called.
	exp := Expectations()
	if want := exp["voice"].Spoken + exp["voice_cough"].Spoken; sum.Spoken < want {
		t.Errorf("%d answers taken by speech, want at least %d", sum.Spoken, want)
	}
	if sum.Invites < 24 {
		t.Errorf("sim saw %d INVITEs for 24 residents", sum.Invites)
	}
	b, err := os.ReadFile(sum.Report)
	if err != nil || !bytes.HasPrefix(b, []byte("PK")) {
		t.Fatalf("report %s is not an XLSX file: %v", sum.Report, err)
	}
	if sum.Duration > 5*time.Minute {
		t.Logf("slow demo: %s", sum.Duration)
	}
}

// TestVoicePersonas checks the voice residents in both languages: every
// word they say is shipped, and they speak as many answers as their
// expectation counts.
func TestVoicePersonas(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		voice, refs, err := writeSpeech(t.TempDir(), lang)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(refs, "manifest.json")); err != nil {
			t.Fatalf("%s: references: %v", lang, err)
		}
		ps := Personas(5*time.Second, voice)
		for _, name := range []string{"voice", "voice_cough"} {
			p := ps[name]
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			said := 0
			for _, d := range p.Digits {
				if d.Say == "" {
					continue
				}
				said++
				if _, err := os.Stat(d.Say); err != nil {
					t.Errorf("%s %s: %v", lang, name, err)
				}
			}
			if want := Expectations()[name].Spoken; said != want {
				t.Errorf("%s %s says %d answers, expected to be heard %d", lang, name, said, want)
			}
		}
	}
}
