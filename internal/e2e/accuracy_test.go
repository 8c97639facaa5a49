//go:build pocketsphinx

package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outreach/asr"
	"outreach/asr/meaning"
	"outreach/dialer"
	"outreach/ivr"
)

// TestSpeechAccuracyOverSIP measures pocketsphinx over the telephone path:
// answers synthesised by espeak-ng (four voices, two speeds) are spoken by
// sim through a real SIP call as G.711 A-law RTP; the robot's side
// endpoints and recognises each with the question's grammar and the meaning
// layer. Yes/no must be at least 95% right; digit accuracy is reported.
func TestSpeechAccuracyOverSIP(t *testing.T) {
	espeak := RequireBinary(t, "espeak-ng", "espeak-ng")
	dir := t.TempDir()
	type sample struct {
		file, text string
		want       any
	}
	var yesNo, digits []sample
	voices := []string{"en-us", "en-us+m3", "en-us+f2", "en"}
	words := []struct {
		text string
		want bool
	}{{"yes", true}, {"no", false}, {"yeah", true}, {"nope", false}, {"correct", true}}
	for i, v := range voices {
		for j, w := range words {
			speed := []string{"130", "160"}[(i+j)%2]
			p := filepath.Join(dir, fmt.Sprintf("yn-%d-%d.wav", i, j))
			if out, err := exec.Command(espeak, "-v", v, "-s", speed, "-w", p, w.text).CombinedOutput(); err != nil {
				t.Fatalf("espeak-ng: %v %s", err, out)
			}
			yesNo = append(yesNo, sample{p, w.text, w.want})
		}
	}
	for i, d := range []string{"one two three", "four five six", "seven eight nine", "zero five two", "three six five", "nine one one"} {
		p := filepath.Join(dir, fmt.Sprintf("dg-%d.wav", i))
		if out, err := exec.Command(espeak, "-v", voices[i%len(voices)], "-s", "130", "-w", p, d).CombinedOutput(); err != nil {
			t.Fatalf("espeak-ng: %v %s", err, out)
		}
		digits = append(digits, sample{p, d, strings.NewReplacer("one", "1", "two", "2", "three", "3", "four", "4",
			"five", "5", "six", "6", "seven", "7", "eight", "8", "nine", "9", "zero", "0", " ", "").Replace(d)})
	}
	all := append(append([]sample{}, yesNo...), digits...)
	var yaml strings.Builder
	yaml.WriteString("personas:\n  speaker:\n    kind: answer\n    ring_for: 100ms\n    script:\n")
	for i, s := range all {
		wait := "1500ms"
		if i == 0 {
			wait = "1s"
		}
		fmt.Fprintf(&yaml, "      - {wait: %s, say: %s}\n", wait, s.file)
	}
	yaml.WriteString("rules:\n  - {match: \"13900040000\", persona: speaker}\n")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	srv := startSimYAML(t, ctx, yaml.String())
	d := startDialer(t, dialer.Trunk{Name: "sim", Addr: srv.Addr()})
	call := dialOK(t, d, dialer.Request{Trunk: "sim", Number: "13900040000", MaxDuration: 3 * time.Minute})
	defer call.Hangup(context.Background())
	rec, err := asr.New(asr.Config{Engine: "pocketsphinx"})
	if err != nil {
		t.Fatal(err)
	}
	interp := meaning.Interpreter{}
	listen := func(typ ivr.AnswerType, n int) (string, any) {
		u, err := asr.Listen(ctx, rec, call.Frames(), asr.ListenConfig{
			Endpoint: asr.EndpointConfig{NoInput: 10 * time.Second, Pause: 700 * time.Millisecond},
			Options:  asr.Options{Type: typ, Language: "en-US", Length: n}})
		if err != nil {
			t.Fatalf("listen: %v", err)
		}
		v, ok, _ := interp.Interpret(ivr.Question{Type: typ, Language: "en-US", Length: n}, u.Text)
		if !ok {
			return u.Text, nil
		}
		return u.Text, v
	}
	right := 0
	for _, s := range yesNo {
		heard, v := listen(ivr.TypeYesNo, 0)
		if v == s.want {
			right++
		} else {
			t.Logf("yes/no: said %q, heard %q → %v", s.text, heard, v)
		}
	}
	pct := 100 * float64(right) / float64(len(yesNo))
	t.Logf("yes/no over SIP (G.711 A-law): %d/%d = %.1f%%", right, len(yesNo), pct)
	if pct < 95 {
		t.Errorf("yes/no accuracy %.1f%% over SIP, want at least 95%%", pct)
	}
	rightDigits, rightStrings, total := 0, 0, 0
	for _, s := range digits {
		heard, v := listen(ivr.TypeDigits, 3)
		got, _ := v.(string)
		want := s.want.(string)
		for i := range want {
			total++
			if i < len(got) && got[i] == want[i] {
				rightDigits++
			}
		}
		if got == want {
			rightStrings++
		} else {
			t.Logf("digits: said %q, heard %q → %q", s.text, heard, got)
		}
	}
	t.Logf("digits over SIP: %d/%d single digits (%.0f%%), %d/%d strings", rightDigits, total,
		100*float64(rightDigits)/float64(total), rightStrings, len(digits))
}
