package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestBenchFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"bad media calls", []string{"bench", "--media-calls", "10,x"}, 2, "--media-calls"},
		{"bad section", []string{"bench", "--only", "disk"}, 2, "unknown section"},
		{"stray argument", []string{"bench", "extra"}, 2, "unexpected argument"},
		{"help", []string{"bench", "-h"}, 0, "-media-calls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.want)
			}
		})
	}
}

// TestBenchFrameJSON runs the in-process section only (no sipp) and checks
// the JSON report.
func TestBenchFrameJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "bench", "--quick", "--only", "frame", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Rows []struct {
			Section, Metric, Verdict string
			Ours                     float64
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(rep.Rows) != 10 {
		t.Fatalf("%d rows, want 10 (5 operations × time, allocations)", len(rep.Rows))
	}
	for _, r := range rep.Rows {
		if r.Section != "frame" || (strings.HasSuffix(r.Metric, "allocations") && r.Verdict != "PASS") {
			t.Errorf("row %+v", r)
		}
	}
}

func TestParseInts(t *testing.T) {
	got, err := parseInts("1000, 2000")
	if err != nil || len(got) != 2 || got[0] != 1000 || got[1] != 2000 {
		t.Errorf("parseInts = %v, %v", got, err)
	}
	for _, bad := range []string{"", "0", "-5", "1,,2"} {
		if _, err := parseInts(bad); err == nil {
			t.Errorf("parseInts(%q) accepted", bad)
		}
	}
}
