package prompts

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"outreach/media"
)

func TestRenderDirAndShippedEngine(t *testing.T) {
	dir := t.TempDir()
	renderer := &Renderer{Engine: &fakeEngine{name: "espeak-ng"}}
	reqs := []Request{{Text: "您好"}, {Text: "体温36.5度"}, {Text: "您好"}, {Text: "Hello", Language: English}}
	m, err := RenderDir(context.Background(), renderer, reqs, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Prompts) != 3 {
		t.Fatalf("manifest has %d prompts, want 3: %+v", len(m.Prompts), m.Prompts)
	}
	// A second run adds to the manifest.
	if m, err = RenderDir(context.Background(), renderer, []Request{{Text: "再见"}}, dir); err != nil || len(m.Prompts) != 4 {
		t.Fatalf("second run: %v, %d prompts", err, len(m.Prompts))
	}
	read, err := ReadManifest(dir)
	if err != nil || len(read.Prompts) != 4 || read.Prompts[0].Text == "" {
		t.Fatalf("ReadManifest: %v %+v", err, read)
	}

	// No espeak-ng on this "machine": the fallback fails.
	missing := &failingEngine{name: "espeak-ng", err: ErrNotInstalled}
	shipped, err := NewShippedEngine(dir, missing, nil)
	if err != nil {
		t.Fatal(err)
	}
	if shipped.Name() != "espeak-ng" || shipped.Len() != 4 {
		t.Fatalf("name %q, %d prompts", shipped.Name(), shipped.Len())
	}
	r := &Renderer{Engine: shipped, Cache: newTestCache(t, t.TempDir())}
	pcm, err := r.Render(context.Background(), Request{Text: "体温三十六点五度"})
	if err != nil || len(pcm) != 80*8 {
		t.Fatalf("shipped prompt: %d samples, %v", len(pcm), err)
	}
	if missing.calls != 0 {
		t.Errorf("fallback called %d times for a shipped prompt", missing.calls)
	}
	// Other settings: the fallback is asked first, then the same text is served.
	if _, err := shipped.Synthesize(context.Background(), Request{Text: "您好", Rate: 90}); err != nil {
		t.Errorf("loose match: %v", err)
	}
	if _, err := shipped.Synthesize(context.Background(), Request{Text: "没有录过"}); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("unknown prompt: err = %v, want the fallback's", err)
	}
	// With a working engine, prompts not shipped are synthesised.
	working, err := NewShippedEngine(dir, &fakeEngine{name: "espeak-ng"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if pcm, err := working.Synthesize(context.Background(), Request{Text: "没有录过"}); err != nil || len(pcm) != 320 {
		t.Errorf("fallback: %d samples, %v", len(pcm), err)
	}
	// No fallback at all.
	alone, err := NewShippedEngine(dir, nil, nil)
	if err != nil || alone.Name() != "espeak-ng" {
		t.Fatalf("alone: %v %q", err, alone.Name())
	}
	if _, err := alone.Synthesize(context.Background(), Request{Text: "Hello", Language: English}); err != nil {
		t.Error(err)
	}
	if _, err := alone.Synthesize(context.Background(), Request{Text: "x"}); err == nil {
		t.Error("unknown prompt without fallback: want error")
	}
}

func TestReadManifestRejectsPaths(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ManifestFile), []byte(`{"version":1,"prompts":[{"file":"../x.wav","text":"a"}]}`), 0o644)
	if _, err := ReadManifest(dir); err == nil {
		t.Error("path escaping the directory accepted")
	}
	os.WriteFile(filepath.Join(dir, ManifestFile), []byte(`{`), 0o644)
	if _, err := ReadManifest(dir); err == nil {
		t.Error("bad JSON accepted")
	}
	if m, err := ReadManifest(t.TempDir()); err != nil || len(m.Prompts) != 0 {
		t.Errorf("missing manifest: %v", err)
	}
}

type failingEngine struct {
	name  string
	err   error
	calls int
}

func (f *failingEngine) Name() string { return f.name }
func (f *failingEngine) Synthesize(context.Context, Request) ([]int16, error) {
	f.calls++
	return nil, f.err
}

func TestAudioFilesAndCatalogue(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "greeting.wav")
	if err := media.WriteWAVFile(path, media.Tone([]float64{440}, 1e9, 0.3)[:8000], 16000); err != nil {
		t.Fatal(err)
	}
	files := NewAudioFiles(0)
	pcm, err := files.Load(path)
	if err != nil || len(pcm) < 3950 || len(pcm) > 4050 {
		t.Fatalf("16 kHz file: %d samples at 8 kHz, %v", len(pcm), err)
	}
	again, _ := files.Load(path)
	if &again[0] != &pcm[0] {
		t.Error("second load not served from the LRU")
	}
	if err := media.WriteWAVFile(path, make([]int16, 800), 8000); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(path, fileTimeLater(t, path), fileTimeLater(t, path))
	if changed, _ := files.Load(path); len(changed) != 800 {
		t.Errorf("changed file: %d samples, want 800", len(changed))
	}
	if _, err := LoadAudio(filepath.Join(dir, "missing.wav")); err == nil {
		t.Error("missing file: want error")
	}

	eng := &fakeEngine{}
	cat := &Catalogue{Dir: dir, Files: files, Renderer: &Renderer{Engine: eng}}
	if pcm, err := cat.Prompt(context.Background(), "greeting", Request{Text: "您好"}); err != nil || len(pcm) != 800 {
		t.Errorf("recorded: %d samples, %v", len(pcm), err)
	}
	if pcm, err := cat.Prompt(context.Background(), "bye", Request{Text: "再见"}); err != nil || len(pcm) != 160 || eng.calls.Load() != 1 {
		t.Errorf("tts: %d samples, %v", len(pcm), err)
	}
	if _, err := cat.Prompt(context.Background(), "../etc/passwd", Request{Text: "x"}); err == nil {
		t.Error("path in id accepted")
	}
	if _, err := (&Catalogue{Dir: dir}).Prompt(context.Background(), "bye", Request{Text: "x"}); err == nil {
		t.Error("no recording and no engine: want error")
	}
}
