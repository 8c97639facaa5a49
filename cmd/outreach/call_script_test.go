package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"outreach/sim"
)

// The tests of this file run `outreach call --script` (in process, through
// run) against simulated residents (testdata/script-personas.yaml) that
// answer the sample scripts by keypad over real SIP and RTP. Prompts play
// in real time: every call is a parallel subtest.

const samplesDir = "../../scripts/samples"

// callOutput is the JSON `outreach call --json` prints.
type callOutput struct {
	Outcome  string      `json:"outcome"`
	Answered bool        `json:"answered"`
	DTMF     string      `json:"dtmf"`
	HangupBy string      `json:"hangup_by"`
	CallID   string      `json:"call_id"`
	Duration int64       `json:"duration_ms"`
	Script   *scriptJSON `json:"script"`
}

func (o *callOutput) answers() map[string]any {
	m := map[string]any{}
	for _, a := range o.Script.Answers {
		m[a.Key] = a.Value
	}
	return m
}

func (o *callOutput) alerts() []string {
	var out []string
	for _, a := range o.Script.Alerts {
		out = append(out, a.Flag)
	}
	sort.Strings(out)
	return out
}

func (o *callOutput) transcriptHas(kind, node string) bool {
	return slices.ContainsFunc(o.Script.Transcript, func(l transcriptLine) bool {
		return l.Kind == kind && (node == "" || l.Node == node)
	})
}

// startScriptSim serves the personas of testdata/script-personas.yaml on a
// loopback port until the test ends.
func startScriptSim(t *testing.T, record bool) *sim.Server {
	t.Helper()
	rules, mix, err := sim.LoadPersonas(filepath.Join("testdata", "script-personas.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(sim.Config{Listen: "127.0.0.1:0", Personas: rules, Default: mix, Record: record})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := s.Start(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); s.Stop() })
	return s
}

// callResult is one finished `outreach call` run.
type callResult struct {
	code           int
	stdout, stderr string
}

// runCall runs `outreach call --script SCRIPT --json` to number through the
// sim (safe to call from any goroutine).
func runScriptCall(trunk, script, number, cacheDir string, extra ...string) callResult {
	args := []string{"call", "--trunk", trunk, "--script", script, "--json", "--max-duration", "150s",
		"--prompt-cache", cacheDir, "--var", "Org=幸福社区", "--var", "name=张三华"}
	args = append(append(args, extra...), number)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, &stdout, &stderr)
	return callResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// decode checks the run succeeded and decodes its JSON.
func (r callResult) decode(t *testing.T) *callOutput {
	t.Helper()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("outreach call output:\n%s\nstderr:\n%s", r.stdout, tailString(r.stderr, 4000))
		}
	})
	if r.code != 0 {
		t.Fatalf("outreach call: exit %d", r.code)
	}
	var out callOutput
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("decode output: %v", err)
	}
	if out.Script == nil {
		t.Fatal("no script result in the output")
	}
	return &out
}

// runConcurrently runs every call at once (prompts play in real time, and
// go test runs only GOMAXPROCS parallel subtests) and returns the results
// in order.
func runConcurrently(t *testing.T, calls []func() callResult) []callResult {
	t.Helper()
	res := make([]callResult, len(calls))
	done := make(chan int)
	for i, c := range calls {
		go func() { res[i] = c(); done <- i }()
	}
	for range calls {
		<-done
	}
	return res
}

func tailString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// scriptCase is one call and what its JSON must say.
type scriptCase struct {
	name, script, number string
	outcome, status, end string
	vars                 []string       // extra --var flags
	answers              map[string]any // exactly these answers
	alerts, flags        []string       // alerts exactly; flags at least these
	optOut               bool
	hangupBy             string
	transcript           [][2]string    // kind, node that must appear
	plays                map[string]int // node → times its prompt was said
}

func TestCallScriptSim(t *testing.T) {
	t.Parallel()
	s := startScriptSim(t, false)
	enOrg := []string{"--var", "Org=Sunshine Community"}
	noSymptoms := map[string]any{"identity": true, "temperature": 36.5, "cough": false, "fatigue": false,
		"taste_smell": false, "contact": false, "left_home": false, "needs": "none"}
	cases := []scriptCase{
		{name: "healthy-zh", script: "daily-health-check.zh.yaml", number: "13900000001",
			outcome: "completed", status: "completed", end: "goodbye", answers: noSymptoms, alerts: nil,
			transcript: [][2]string{{"barge_in", "temperature"}, {"prompt", "advice_well"}}},
		{name: "healthy-en", script: "daily-health-check.en.yaml", number: "13900000002", vars: enOrg,
			outcome: "completed", status: "completed", end: "goodbye", answers: noSymptoms, alerts: nil,
			transcript: [][2]string{{"barge_in", "temperature"}, {"prompt", "advice_well"}}},
		{name: "fever-zh", script: "daily-health-check.zh.yaml", number: "13900000003",
			outcome: "completed", status: "completed", end: "goodbye",
			answers: map[string]any{"identity": true, "temperature": 38.2, "cough": true, "fatigue": false,
				"taste_smell": false, "contact": false, "left_home": false, "needs": "medicine", "doctor": false},
			alerts: []string{"fever"}, flags: []string{"cough", "needs_help"},
			transcript: [][2]string{{"prompt", "fever_note"}, {"prompt", "needs_note"}, {"prompt", "advice_unwell"}}},
		{name: "optout-zh", script: "daily-health-check.zh.yaml", number: "13900000004",
			outcome: "completed", status: "opted_out", end: "cough", optOut: true,
			answers: map[string]any{"identity": true, "temperature": 36.5}, transcript: [][2]string{{"opt_out", "cough"}}},
		{name: "repeat-zh", script: "daily-health-check.zh.yaml", number: "13900000005",
			outcome: "completed", status: "opted_out", end: "cough", optOut: true,
			answers:    map[string]any{"identity": true, "temperature": 36.5},
			transcript: [][2]string{{"repeat", "identity"}, {"opt_out", "cough"}}},
		{name: "silent-zh", script: "daily-health-check.zh.yaml", number: "13900000006",
			outcome: "partial", status: "partial", end: "silent_end", answers: map[string]any{},
			transcript: [][2]string{{"no_input", "identity"}, {"retry", "identity"}}},
		{name: "hangup-zh", script: "daily-health-check.zh.yaml", number: "13900000007",
			outcome: "partial", status: "partial", hangupBy: "callee",
			answers:    map[string]any{"identity": true, "temperature": 36.5, "cough": true},
			flags:      []string{"cough"},
			transcript: [][2]string{{"callee_hangup", ""}}},
		{name: "notice-zh", script: "notice-broadcast.zh.yaml", number: "13900000008",
			outcome: "completed", status: "completed", end: "thanks",
			answers: map[string]any{"confirm": true}, flags: []string{"heard"}},
		{name: "return-zh", script: "return-screening.zh.yaml", number: "13900000009",
			outcome: "completed", status: "completed", end: "goodbye",
			answers: map[string]any{"identity": true, "origin": "other_province", "arrival": "1125",
				"travel": "train", "health": false},
			flags: []string{"public_transport"}},
		{name: "return-abroad-en", script: "return-screening.en.yaml", number: "13900000021", vars: enOrg,
			outcome: "completed", status: "completed", end: "goodbye",
			answers: map[string]any{"identity": true, "origin": "abroad", "arrival": "1125",
				"travel": "plane", "health": false},
			alerts: []string{"from_abroad"}, flags: []string{"public_transport"},
			transcript: [][2]string{{"prompt", "abroad_note"}}},
		{name: "notice-again-en", script: "notice-broadcast.en.yaml", number: "13900000022", vars: enOrg,
			outcome: "completed", status: "completed", end: "thanks",
			answers: map[string]any{"confirm": true}, flags: []string{"heard"},
			plays: map[string]int{"notice": 2, "confirm": 2}},
	}
	cache := t.TempDir()
	var calls []func() callResult
	for _, tc := range cases {
		calls = append(calls, func() callResult {
			return runScriptCall(s.Addr(), filepath.Join(samplesDir, tc.script), tc.number, cache, tc.vars...)
		})
	}
	results := runConcurrently(t, calls)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkScriptCall(t, tc, results[i].decode(t))
		})
	}
}

func checkScriptCall(t *testing.T, tc scriptCase, out *callOutput) {
	t.Helper()
	sc := out.Script
	t.Logf("call lasted %.1fs, keys %q", float64(out.Duration)/1000, out.DTMF)
	if sc.Error != "" {
		t.Errorf("script error: %s", sc.Error)
	}
	if out.Outcome != tc.outcome || sc.Status != tc.status || !out.Answered {
		t.Errorf("outcome %q status %q answered %v, want %q %q true", out.Outcome, sc.Status, out.Answered,
			tc.outcome, tc.status)
	}
	if tc.end != "" && sc.EndNode != tc.end {
		t.Errorf("end node %q, want %q", sc.EndNode, tc.end)
	}
	got := out.answers()
	for k, want := range tc.answers {
		if got[k] != want {
			t.Errorf("answer %s = %v (%T), want %v", k, got[k], got[k], want)
		}
	}
	for k := range got {
		if _, ok := tc.answers[k]; !ok {
			t.Errorf("unexpected answer %s = %v", k, got[k])
		}
	}
	for _, a := range sc.Answers {
		if a.Method != "dtmf" {
			t.Errorf("answer %s by %s, want dtmf", a.Key, a.Method)
		}
	}
	if alerts := out.alerts(); !slices.Equal(alerts, tc.alerts) {
		t.Errorf("alerts %q, want %q", alerts, tc.alerts)
	}
	for _, f := range tc.flags {
		if !slices.Contains(sc.Flags, f) {
			t.Errorf("flags %q lack %q", sc.Flags, f)
		}
	}
	if sc.OptOut != tc.optOut {
		t.Errorf("opt_out %v, want %v", sc.OptOut, tc.optOut)
	}
	if tc.hangupBy != "" && out.HangupBy != tc.hangupBy {
		t.Errorf("hangup_by %q, want %q", out.HangupBy, tc.hangupBy)
	}
	for _, kn := range tc.transcript {
		if !out.transcriptHas(kn[0], kn[1]) {
			t.Errorf("transcript has no %s at %q", kn[0], kn[1])
		}
	}
	for node, want := range tc.plays {
		n := 0
		for _, l := range sc.Transcript {
			if l.Node == node && (l.Kind == "prompt" || l.Kind == "barge_in") {
				n++
			}
		}
		if n != want {
			t.Errorf("%s said %d times, want %d", node, n, want)
		}
	}
	if t.Failed() {
		var b strings.Builder
		for _, l := range sc.Transcript {
			b.WriteString(l.Kind + " " + l.Node + " " + l.Detail + "\n")
		}
		t.Logf("transcript:\n%s", b.String())
	}
}
