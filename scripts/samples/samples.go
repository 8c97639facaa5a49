// Package samples embeds the shipped sample scripts, their pre-rendered
// prompts and the spoken answers of the demo's voice residents (speech/:
// the template engine's references and what the residents say), so
// `outreach demo` runs anywhere, without espeak-ng.
package samples

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed *.yaml prompts speech
var files embed.FS

// Script returns the source of a sample script, e.g. "daily-health-check.zh.yaml".
func Script(name string) ([]byte, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("sample script %s: %w", name, err)
	}
	return b, nil
}

// WritePrompts copies the pre-rendered prompts (manifest.json and WAVs)
// into dir, for prompts.NewShippedEngine.
func WritePrompts(dir string) error { return writeTree("prompts", dir) }

// WriteSpeech copies the spoken answers into dir: dir/references, the
// template engine's reference directory, and dir/residents, the voice the
// demo's residents answer in (each an asr template directory).
func WriteSpeech(dir string) error { return writeTree("speech", dir) }

// writeTree copies the embedded folder root into dir.
func writeTree(root, dir string) error {
	return fs.WalkDir(files, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p[len(root)+1:]))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}
