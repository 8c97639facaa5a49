package prompts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ManifestFile is the name of the manifest in a pre-rendered prompt directory.
const ManifestFile = "manifest.json"

// Manifest lists the pre-rendered prompts of a directory (RenderDir).
type Manifest struct {
	Version int             `json:"version"`
	Prompts []ManifestEntry `json:"prompts"`
}

// ManifestEntry is one pre-rendered prompt: the request as rendered (text
// normalised) and its 8 kHz WAV file, relative to the directory.
type ManifestEntry struct {
	File     string   `json:"file"`
	Engine   string   `json:"engine"`
	Language Language `json:"language"`
	Voice    string   `json:"voice,omitempty"`
	Rate     int      `json:"rate,omitempty"`
	Volume   float64  `json:"volume,omitempty"`
	Text     string   `json:"text"`
}

func (e ManifestEntry) request() Request {
	return Request{Text: e.Text, Language: e.Language, Voice: e.Voice, Rate: e.Rate, Volume: e.Volume}
}

// ReadManifest reads dir/manifest.json. A directory without one has an
// empty manifest.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return &Manifest{Version: 1}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read prompt manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read prompt manifest %s: %w", dir, err)
	}
	for _, e := range m.Prompts {
		if e.File == "" || e.File != filepath.Base(e.File) || strings.HasPrefix(e.File, ".") {
			return nil, fmt.Errorf("read prompt manifest %s: bad file name %q", dir, e.File)
		}
	}
	return &m, nil
}

// RenderDir renders reqs with r into dir (one WAV per distinct prompt, named
// by its cache key) and writes dir/manifest.json, keeping the entries of an
// existing manifest. The result is meant to be committed with the sample
// scripts so they play on machines without a TTS engine (ShippedEngine).
func RenderDir(ctx context.Context, r *Renderer, reqs []Request, dir string) (*Manifest, error) {
	if r == nil || r.Engine == nil {
		return nil, errors.New("render dir: no engine configured")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("render dir: %w", err)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("render dir: %w", err)
	}
	byFile := make(map[string]ManifestEntry, len(m.Prompts))
	for _, e := range m.Prompts {
		byFile[e.File] = e
	}
	for _, req := range reqs {
		p := r.Prepare(req)
		file := CacheKey(r.Engine.Name(), p)[:16] + ".wav"
		pcm, err := r.Render(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("render dir: %w", err)
		}
		if err := writeWAVAtomic(filepath.Join(dir, file), pcm); err != nil {
			return nil, fmt.Errorf("render dir: %w", err)
		}
		byFile[file] = ManifestEntry{File: file, Engine: r.Engine.Name(), Language: p.Language,
			Voice: p.Voice, Rate: p.Rate, Volume: p.Volume, Text: p.Text}
	}
	out := &Manifest{Version: 1}
	for _, e := range byFile {
		out.Prompts = append(out.Prompts, e)
	}
	slices.SortFunc(out.Prompts, func(a, b ManifestEntry) int {
		return strings.Compare(string(a.Language)+"\x00"+a.Text+"\x00"+a.File,
			string(b.Language)+"\x00"+b.Text+"\x00"+b.File)
	})
	if err := writeManifest(dir, out); err != nil {
		return nil, fmt.Errorf("render dir: %w", err)
	}
	return out, nil
}

func writeManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-manifest-*")
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, ManifestFile))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// ShippedEngine serves pre-rendered prompts from a RenderDir directory and
// asks Fallback for the others. A prompt rendered by the fallback's engine
// with the same voice, rate and volume is served from the directory; when
// the fallback fails (espeak-ng not installed, service down), a prompt with
// the same language and text rendered with other settings is served instead.
type ShippedEngine struct {
	dir      string
	fallback Engine
	name     string
	exact    map[string]ManifestEntry // by CacheKey(entry engine, entry request)
	loose    map[string]ManifestEntry // by language + text
	files    *AudioFiles
	logger   *slog.Logger
}

// NewShippedEngine loads dir's manifest. fallback may be nil.
func NewShippedEngine(dir string, fallback Engine, logger *slog.Logger) (*ShippedEngine, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &ShippedEngine{dir: dir, fallback: fallback, exact: map[string]ManifestEntry{},
		loose: map[string]ManifestEntry{}, files: NewAudioFiles(0), logger: logger}
	for _, e := range m.Prompts {
		s.exact[CacheKey(e.Engine, e.request())] = e
		s.loose[looseKey(e.request())] = e
		if s.name == "" {
			s.name = e.Engine
		}
	}
	if fallback != nil {
		s.name = fallback.Name()
	}
	s.name = firstString(s.name, "shipped")
	return s, nil
}

func looseKey(req Request) string {
	return string(req.lang()) + "\x00" + Normalize(req.lang(), req.Text)
}

// Name implements Engine: the fallback's name, so cache keys agree whether
// the prompt came from the directory or from the engine itself.
func (s *ShippedEngine) Name() string { return s.name }

// Len returns the number of prompts in the directory.
func (s *ShippedEngine) Len() int { return len(s.exact) }

// Synthesize implements Engine.
func (s *ShippedEngine) Synthesize(ctx context.Context, req Request) ([]int16, error) {
	req.Language = req.lang()
	req.Volume = req.volume()
	if e, ok := s.exact[CacheKey(s.name, req)]; ok {
		return s.files.Load(filepath.Join(s.dir, e.File))
	}
	var ferr error
	if s.fallback != nil {
		pcm, err := s.fallback.Synthesize(ctx, req)
		if err == nil {
			return pcm, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		ferr = err
	} else {
		ferr = fmt.Errorf("prompt not among the %d shipped in %s and no engine configured", len(s.exact), s.dir)
	}
	if e, ok := s.loose[looseKey(req)]; ok {
		s.logger.Warn("tts engine failed: serving a shipped prompt rendered with other settings",
			"file", e.File, "err", ferr)
		return s.files.Load(filepath.Join(s.dir, e.File))
	}
	return nil, ferr
}
