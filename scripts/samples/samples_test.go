package samples

import (
	"os"
	"path/filepath"
	"testing"
)

func TestEmbedded(t *testing.T) {
	if _, err := Script("daily-health-check.zh.yaml"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WritePrompts(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
		t.Fatalf("manifest not written: %v", err)
	}
	speech := t.TempDir()
	if err := WriteSpeech(speech); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"references", "residents"} {
		if _, err := os.Stat(filepath.Join(speech, sub, "manifest.json")); err != nil {
			t.Fatalf("speech %s not written: %v", sub, err)
		}
	}
}
