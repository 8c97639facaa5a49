package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// workerEnv carries a media worker's arguments (JSON) to a re-executed test
// binary, which then acts as the worker instead of running tests.
const workerEnv = "OUTREACH_BENCH_WORKER_ARGS"

func TestMain(m *testing.M) {
	if js := os.Getenv(workerEnv); js != "" {
		var args []string
		if err := json.Unmarshal([]byte(js), &args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if err := WorkerMain(context.Background(), args, os.Stdout, nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// spawnSelf re-executes the test binary as a media worker.
func spawnSelf(args []string) *exec.Cmd {
	js, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), workerEnv+"="+string(js))
	return cmd
}

// TestQuickEndToEnd runs the quick benchmark against real sipp processes
// and checks every figure is produced and nothing failed. It never checks
// figures against wall-clock thresholds (the machine may be shared).
func TestQuickEndToEnd(t *testing.T) {
	cfg := QuickConfig()
	cfg.Spawn = spawnSelf // the media runs in child processes, like outreach bench
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := Run(ctx, cfg)
	if err != nil {
		t.Fatalf("Run: %v (is sipp installed? scripts/provision.sh installs sip-tester)", err)
	}
	want := map[string][]string{
		"setup":    {"calls/s", "failed calls", "CPU per call", "CPU cores used", "setup latency p50", "setup latency p99"},
		"media 50": {"calls up", "CPU per call", "send lateness p99", "packets sent", "packets echoed back", "lost: on our side", "memory per call"},
		"frame":    {"PCMA encode time", "PCMA encode allocations", "DTMF detect allocations"},
	}
	for sec, metrics := range want {
		for _, m := range metrics {
			if _, ok := rep.Row(sec, m); !ok {
				t.Errorf("no row %s / %s", sec, m)
			}
		}
	}
	if rep.Failures != 0 {
		t.Errorf("Failures = %d, want 0\n%s", rep.Failures, text(t, rep))
	}
	checks := []struct {
		sec, metric string
		ok          func(r Row) bool
		want        string
	}{
		{"setup", "failed calls", func(r Row) bool { return r.Ours == 0 && r.Sipp != nil }, "0 of ours, sipp's counted"},
		{"setup", "calls/s", func(r Row) bool { return r.Ours > 0 && r.Sipp != nil && *r.Sipp > 0 && r.Ratio != nil }, "> 0 on both sides"},
		{"setup", "CPU per call", func(r Row) bool { return r.Ours > 0 && r.Sipp != nil && *r.Sipp > 0 }, "> 0 on both sides"},
		{"setup", "setup latency p99", func(r Row) bool { return r.Ours > 0 }, "> 0"},
		{"media 50", "calls up", func(r Row) bool { return r.Ours == 50 && r.Verdict == Pass }, "50"},
		{"media 50", "packets sent", func(r Row) bool { return r.Ours > 0 }, "> 0"},
		{"media 50", "packets echoed back", func(r Row) bool { return r.Ours > 0 }, "> 0"},
		{"media 50", "lost: on our side", func(r Row) bool { return r.Ours == 0 }, "0"},
		{"media 50", "CPU per call", func(r Row) bool { return r.Ours > 0 }, "> 0"},
		{"media 50", "memory per call", func(r Row) bool { return r.Ours > 0 }, "> 0"},
		{"frame", "PCMA encode allocations", func(r Row) bool { return r.Ours == 0 }, "0"},
		{"frame", "DTMF detect allocations", func(r Row) bool { return r.Ours == 0 }, "0"},
	}
	for _, c := range checks {
		r, ok := rep.Row(c.sec, c.metric)
		if ok && !c.ok(r) {
			t.Errorf("%s / %s = %+v, want %s", c.sec, c.metric, r, c.want)
		}
	}
	if p, ok := rep.Row("media 50", "send lateness p99"); ok && p.Ours <= 0 {
		t.Errorf("send lateness p99 = %v: the pacer histogram recorded nothing", p.Ours)
	}
	checkOutput(t, rep)
}

// checkOutput checks the text table's columns and that the JSON report
// reads back.
func checkOutput(t *testing.T, rep *Report) {
	t.Helper()
	out := text(t, rep)
	for _, s := range []string{"SECTION", "OURS", "SIPP", "RATIO", "TARGET", "VERDICT", "load average"} {
		if !strings.Contains(out, s) {
			t.Errorf("text report lacks %q", s)
		}
	}
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("JSON report does not parse: %v", err)
	}
	if len(back.Rows) != len(rep.Rows) {
		t.Errorf("JSON has %d rows, want %d", len(back.Rows), len(rep.Rows))
	}
}

func text(t *testing.T, rep *Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
