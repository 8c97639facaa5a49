package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outreach/asr"
	"outreach/media"
)

// TestShippedSpeech fails when the shipped spoken answers differ from what
// RenderSpeech makes (a word or a voice setting changed without
// re-rendering), and checks the two voices really differ.
func TestShippedSpeech(t *testing.T) {
	samples := filepath.Join("..", "samples")
	missing, err := MissingSpeech(samples)
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Fatalf("spoken answers not rendered; run `%s -speech` from the repository root:\n%s", Command, strings.Join(missing, "\n"))
	}
	refs, err := asr.ReadTemplateManifest(filepath.Join(samples, SpeechDir, "references"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range refs.Recordings {
		a, err := media.ReadWAVFile(filepath.Join(samples, SpeechDir, "references", r.File))
		if err != nil {
			t.Fatal(err)
		}
		b, err := media.ReadWAVFile(filepath.Join(samples, SpeechDir, "residents", r.File))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) <= len(a) || media.DBFS(a) < -30 {
			t.Errorf("%s: residents' %d samples, references' %d at %.1f dBFS: not a slower voice", r.Text, len(b), len(a), media.DBFS(a))
		}
	}
	missing, err = MissingSpeech(t.TempDir())
	if err != nil || len(missing) < 2*len(refs.Recordings) {
		t.Errorf("empty directory: %d missing, %v", len(missing), err)
	}
}

func TestTrimSilence(t *testing.T) {
	word := media.Tone([]float64{300, 900}, 400*time.Millisecond, 0.5)
	pcm := append(append(media.Silence(300*time.Millisecond), word...), media.Silence(500*time.Millisecond)...)
	got := trimSilence(pcm)
	if want := len(word) + media.SampleRate/10; len(got) < len(word) || len(got) > want {
		t.Errorf("trimmed to %d samples, want %d..%d", len(got), len(word), want)
	}
	if quiet := media.Silence(time.Second); len(trimSilence(quiet)) != len(quiet) {
		t.Error("silence was trimmed away")
	}
}

// TestRenderSpeech renders the spoken answers into a fresh directory with
// espeak-ng and checks them as the shipped ones.
func TestRenderSpeech(t *testing.T) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Fatal("espeak-ng is needed: run scripts/provision.sh (or apt-get install espeak-ng)")
	}
	dir := t.TempDir()
	if _, err := RenderSpeech(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	if missing, err := MissingSpeech(dir); err != nil || len(missing) > 0 {
		t.Fatalf("after rendering: missing %q, %v", missing, err)
	}
}
