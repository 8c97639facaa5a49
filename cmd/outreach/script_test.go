package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestScriptCheckSamples(t *testing.T) {
	files, _ := filepath.Glob("../../scripts/samples/*.yaml")
	if len(files) < 6 {
		t.Fatalf("expected 6 sample scripts, found %v", files)
	}
	code, out, errOut := runCLI(t, append([]string{"script", "check"}, files...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Count(out, ": ok: ") != len(files) || !strings.Contains(out, "longest path") {
		t.Fatalf("unexpected summary:\n%s", out)
	}
}

func TestScriptCheckReportsLineAndColumn(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(p, []byte("id: x\nversion: 1\nlanguage: zh-CN\nstart: a\nnodes:\n  a:\n    say: 你好\n    next: nowhere\n"), 0o600)
	code, _, errOut := runCLI(t, "script", "check", p)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(errOut, p+":8:") || !strings.Contains(errOut, "nowhere") {
		t.Fatalf("diagnostic lacks FILE:LINE: %s", errOut)
	}
}

func TestUsage(t *testing.T) {
	if code, _, _ := runCLI(t); code != 2 {
		t.Fatalf("no args: exit %d", code)
	}
	if code, _, e := runCLI(t, "nosuch"); code != 2 || !strings.Contains(e, "unknown command") {
		t.Fatalf("unknown: exit %d %s", code, e)
	}
	if code, _, _ := runCLI(t, "script"); code != 2 {
		t.Fatalf("script without check: exit %d", code)
	}
}
