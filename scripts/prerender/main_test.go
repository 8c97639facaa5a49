package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"outreach/ivr"
	"outreach/media"
	"outreach/prompts"
)

// TestShippedPromptsCoverSamples fails when a sample script's static prompt
// has no pre-rendered audio (a script changed without re-rendering).
func TestShippedPromptsCoverSamples(t *testing.T) {
	samples := filepath.Join("..", "samples")
	reqs, err := Requests(samples)
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) < 20 {
		t.Fatalf("only %d static prompts found in %s", len(reqs), samples)
	}
	missing, err := Missing(filepath.Join(samples, "prompts"), reqs)
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Fatalf("%d static prompts of the sample scripts are not pre-rendered; run `%s` from the repository root:\n%s",
			len(missing), Command, strings.Join(missing, "\n"))
	}
}

// TestShippedPromptsServed checks the robot's engine (a ShippedEngine over
// the directory, with a fallback that always fails) serves every static
// prompt of every sample script from the shipped files: audible 8 kHz audio.
func TestShippedPromptsServed(t *testing.T) {
	samples := filepath.Join("..", "samples")
	files, _ := filepath.Glob(filepath.Join(samples, "*.yaml"))
	eng, err := prompts.NewShippedEngine(filepath.Join(samples, "prompts"), failing{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &prompts.Renderer{Engine: eng}
	for _, f := range files {
		s, err := ivr.LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range s.StaticPrompts() {
			pcm, err := r.Render(context.Background(), prompts.Request{Text: text,
				Language: prompts.Language(s.Language), Voice: s.Voice.Name})
			if err != nil {
				t.Fatalf("%s: %q: %v", filepath.Base(f), text, err)
			}
			if len(pcm) < media.SampleRate/2 || media.DBFS(pcm) < -40 {
				t.Errorf("%s: %q: %d samples at %.1f dBFS: not a spoken prompt", filepath.Base(f), text,
					len(pcm), media.DBFS(pcm))
			}
		}
	}
}

// TestMissingReportsChangedScript checks the coverage test can fail: a
// prompt that was never rendered is reported with its language.
func TestMissingReportsChangedScript(t *testing.T) {
	reqs, err := Requests(filepath.Join("..", "samples"))
	if err != nil {
		t.Fatal(err)
	}
	extra := prompts.Request{Text: "这一句没有预先合成。", Language: prompts.Chinese, Voice: "cmn-latn-pinyin"}
	missing, err := Missing(filepath.Join("..", "samples", "prompts"), append(reqs, extra))
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) != 1 || !strings.HasPrefix(missing[0], "zh-CN: ") {
		t.Fatalf("missing = %q, want the one new prompt", missing)
	}
	missing, err = Missing(t.TempDir(), reqs[:1])
	if err != nil || len(missing) != 1 {
		t.Fatalf("empty dir: missing = %q, %v", missing, err)
	}
}

// TestCheckFlag runs the -check mode both ways.
func TestCheckFlag(t *testing.T) {
	samples := filepath.Join("..", "samples")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-check", "-samples", samples}, &out, &errb); code != 0 {
		t.Fatalf("check on the shipped prompts: exit %d: %s", code, errb.String())
	}
	errb.Reset()
	if code := run(context.Background(), []string{"-check", "-samples", samples, "-out", t.TempDir()}, &out, &errb); code != 1 {
		t.Fatalf("check on an empty dir: exit %d, want 1", code)
	}
	if !strings.Contains(errb.String(), Command) {
		t.Fatalf("check output does not say how to fix it: %s", errb.String())
	}
}

// TestRenderDir renders one script's prompts with espeak-ng into a fresh
// directory, the way the shipped ones were made.
func TestRenderDir(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join("..", "samples", "notice-broadcast.en.yaml")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notice.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "prompts")
	var so, se bytes.Buffer
	if code := run(context.Background(), []string{"-samples", dir}, &so, &se); code != 0 {
		t.Fatalf("prerender: exit %d: %s", code, se.String())
	}
	reqs, _ := Requests(dir)
	if missing, err := Missing(out, reqs); err != nil || len(missing) != 0 {
		t.Fatalf("after rendering: missing %q, %v", missing, err)
	}
}

type failing struct{}

func (failing) Name() string { return "espeak-ng" }
func (failing) Synthesize(context.Context, prompts.Request) ([]int16, error) {
	return nil, os.ErrNotExist
}
