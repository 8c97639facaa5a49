// Command prerender renders the static prompts of the sample scripts with
// espeak-ng into scripts/samples/prompts (a prompts.RenderDir directory:
// manifest.json and one 8 kHz WAV per prompt), so `outreach call --script`
// plays the samples without a TTS engine and without waiting for one.
// Prompts with template fields (the resident's name, the office, the date)
// are not static: they are rendered at call time.
//
// Run it from the repository root after changing a sample script:
//
//	go run ./scripts/prerender
//
// It also renders the spoken answers of the demo's voice residents and
// the template engine's references into scripts/samples/speech (see
// SpeechDir).
//
// With -check it renders nothing and exits 1 when a static prompt of a
// sample script has no pre-rendered audio, or a spoken answer is missing.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"

	"outreach/ivr"
	"outreach/prompts"
)

// Command is how a developer regenerates the shipped prompts.
const Command = "go run ./scripts/prerender"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("prerender", flag.ContinueOnError)
	fs.SetOutput(stderr)
	samples := fs.String("samples", filepath.Join("scripts", "samples"), "directory of the sample scripts (*.yaml)")
	out := fs.String("out", "", "output directory (default SAMPLES/prompts)")
	check := fs.Bool("check", false, "only report static prompts and spoken answers missing")
	speechOnly := fs.Bool("speech", false, "render only the spoken answers (SAMPLES/"+SpeechDir+"), not the prompts")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" {
		*out = filepath.Join(*samples, "prompts")
	}
	reqs, err := Requests(*samples)
	if err != nil {
		fmt.Fprintf(stderr, "prerender: %v\n", err)
		return 1
	}
	if *check {
		return checkAll(*samples, *out, reqs, stdout, stderr)
	}
	if !*speechOnly {
		size, err := Render(ctx, *out, reqs)
		if err != nil {
			fmt.Fprintf(stderr, "prerender: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "prerender: %d prompts, %.1f MB in %s\n", len(reqs), float64(size)/(1<<20), *out)
	}
	speech, err := RenderSpeech(ctx, *samples)
	if err != nil {
		fmt.Fprintf(stderr, "prerender: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "prerender: spoken answers, %.1f MB in %s\n", float64(speech)/(1<<20), filepath.Join(*samples, SpeechDir))
	return 0
}

// checkAll reports the static prompts and spoken answers missing from the
// output directories; 1 when something is missing.
func checkAll(samples, out string, reqs []prompts.Request, stdout, stderr io.Writer) int {
	missing, err := Missing(out, reqs)
	if err != nil {
		fmt.Fprintf(stderr, "prerender: %v\n", err)
		return 1
	}
	speech, err := MissingSpeech(samples)
	if err != nil {
		fmt.Fprintf(stderr, "prerender: %v\n", err)
		return 1
	}
	for _, m := range missing {
		fmt.Fprintf(stderr, "prerender: not pre-rendered: %s\n", m)
	}
	for _, m := range speech {
		fmt.Fprintf(stderr, "prerender: spoken answer not rendered: %s\n", m)
	}
	if n := len(missing) + len(speech); n > 0 {
		fmt.Fprintf(stderr, "prerender: %d prompts or answers missing: run `%s`\n", n, Command)
		return 1
	}
	fmt.Fprintf(stdout, "prerender: all %d static prompts are in %s, the spoken answers in %s\n", len(reqs), out,
		filepath.Join(samples, SpeechDir))
	return 0
}

// Renderer is the renderer the shipped prompts are made with. It must match
// what `outreach call` uses (cmd/outreach newVoice: espeak-ng with its
// default rate and volume), or the shipped files are never picked.
func Renderer() *prompts.Renderer {
	return &prompts.Renderer{Engine: &prompts.EspeakEngine{}}
}

// Requests returns the static prompts of every script in dir, as the robot
// asks for them (robot.PromptVoice: the script's language and voice name).
func Requests(dir string) ([]prompts.Request, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("list scripts: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("list scripts: no *.yaml in %s", dir)
	}
	slices.Sort(files)
	var reqs []prompts.Request
	for _, f := range files {
		s, err := ivr.LoadFile(f)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", f, err)
		}
		for _, text := range s.StaticPrompts() {
			reqs = append(reqs, prompts.Request{Text: text, Language: prompts.Language(s.Language), Voice: s.Voice.Name})
		}
	}
	return reqs, nil
}

// Render replaces dir's prompts with reqs rendered through espeak-ng and
// returns the directory's size in bytes.
func Render(ctx context.Context, dir string, reqs []prompts.Request) (int64, error) {
	old, _ := filepath.Glob(filepath.Join(dir, "*.wav"))
	for _, f := range append(old, filepath.Join(dir, prompts.ManifestFile)) {
		if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
			return 0, fmt.Errorf("clear %s: %w", dir, err)
		}
	}
	if _, err := prompts.RenderDir(ctx, Renderer(), reqs, dir); err != nil {
		return 0, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var size int64
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			size += info.Size()
		}
	}
	return size, nil
}

// Missing lists the requests (language: text) that dir's manifest does not
// hold exactly as the robot will ask for them, or whose file is absent.
func Missing(dir string, reqs []prompts.Request) ([]string, error) {
	m, err := prompts.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	have := map[string]string{}
	for _, e := range m.Prompts {
		have[prompts.CacheKey(e.Engine, prompts.Request{Text: e.Text, Language: e.Language, Voice: e.Voice,
			Rate: e.Rate, Volume: e.Volume})] = e.File
	}
	r := Renderer()
	var missing []string
	for _, req := range reqs {
		p := r.Prepare(req)
		file, ok := have[prompts.CacheKey(r.Engine.Name(), p)]
		if ok {
			_, err := os.Stat(filepath.Join(dir, file))
			ok = err == nil
		}
		if !ok {
			missing = append(missing, string(p.Language)+": "+strings.TrimSpace(req.Text))
		}
	}
	return missing, nil
}
