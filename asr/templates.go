package asr

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"outreach/ivr"
	"outreach/media"
)

// TemplateManifestFile names the recordings of a template directory.
const TemplateManifestFile = "manifest.json"

// TemplateManifest is a template directory's manifest.json: one entry per
// recording of a phrase. The template engine reads its references from
// one; the same format lists other sets of recorded phrases (the demo's
// simulated residents).
type TemplateManifest struct {
	Recordings []TemplateRecording `json:"recordings"`
}

// TemplateRecording is one recorded phrase.
type TemplateRecording struct {
	Language string `json:"language"`        // "zh-CN" or "en-US"
	Text     string `json:"text"`            // the phrase, as the question's words spell it
	File     string `json:"file"`            // WAV in the directory (any rate, read as 8 kHz mono)
	Voice    string `json:"voice,omitempty"` // how it was made or who spoke it (for people)
}

// ReadTemplateManifest reads dir's manifest.json.
func ReadTemplateManifest(dir string) (TemplateManifest, error) {
	var m TemplateManifest
	b, err := os.ReadFile(filepath.Join(dir, TemplateManifestFile))
	if err != nil {
		return m, fmt.Errorf("template manifest: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("template manifest %s: %w", dir, err)
	}
	return m, nil
}

// WriteTemplateManifest writes dir's manifest.json.
func WriteTemplateManifest(dir string, m TemplateManifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("template manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, TemplateManifestFile), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("template manifest: %w", err)
	}
	return nil
}

// Find returns the path of the first recording of text in language, or "".
func (m TemplateManifest) Find(dir, language, text string) string {
	for _, r := range m.Recordings {
		if baseLanguage(r.Language) == baseLanguage(language) && phraseKey(r.Text) == phraseKey(text) {
			return filepath.Join(dir, r.File)
		}
	}
	return ""
}

// reference is one recorded phrase and the features of its recording.
type reference struct {
	text  string
	key   string // phraseKey(text)
	feats [][]float64
}

// referenceSet holds the references of a directory by base language.
type referenceSet map[string][]reference

// loadReferences reads and analyses every recording of dir.
func loadReferences(dir string, m *mfcc) (referenceSet, error) {
	man, err := ReadTemplateManifest(dir)
	if err != nil {
		return nil, err
	}
	set := referenceSet{}
	for _, r := range man.Recordings {
		pcm, err := media.ReadWAVFile(filepath.Join(dir, r.File))
		if err != nil {
			return nil, fmt.Errorf("reference %q: %w", r.Text, err)
		}
		f := m.features(pcm)
		if f == nil || phraseKey(r.Text) == "" {
			return nil, fmt.Errorf("reference %q (%s): no speech or no text", r.Text, r.File)
		}
		lang := baseLanguage(r.Language)
		set[lang] = append(set[lang], reference{text: r.Text, key: phraseKey(r.Text), feats: f})
	}
	if len(set) == 0 {
		return nil, fmt.Errorf("references in %s: no recordings", dir)
	}
	return set, nil
}

// Phrases a yes/no question accepts besides its own words, for the
// template engine (English: the pocketsphinx grammar's).
var (
	templateYesZH = []string{"是", "是的", "对", "对的", "有", "有的", "好", "好的", "可以", "需要", "是我", "本人"}
	templateNoZH  = []string{"不是", "不对", "没有", "没", "不", "不用", "不要", "不需要"}
)

// forQuestion returns the references of the phrases the question accepts:
// a yes/no question's yes and no words and its own, a choice question's
// option words, and the repeat and opt-out words (the hints). The engine
// recognises isolated phrases: numbers, digit strings and free speech have
// no grammar.
func (s referenceSet) forQuestion(opts Options) ([]reference, error) {
	lang := baseLanguage(opts.Language)
	phrases := append([]string(nil), opts.Hints...)
	switch opts.Type {
	case ivr.TypeYesNo:
		if lang == "en" {
			phrases = append(append(phrases, grammarYes...), grammarNo...)
		} else {
			phrases = append(append(phrases, templateYesZH...), templateNoZH...)
		}
	case ivr.TypeChoice:
	default:
		return nil, fmt.Errorf("%s question: %w", opts.Type, ErrNoGrammar)
	}
	want := map[string]bool{}
	for _, p := range phrases {
		want[phraseKey(p)] = true
	}
	var out []reference
	for _, t := range s[lang] {
		if want[t.key] {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s question in %s: no reference of its words: %w", opts.Type, lang, ErrNoGrammar)
	}
	return out, nil
}

// baseLanguage is "zh" or "en" of a language tag; empty is Chinese.
func baseLanguage(tag string) string {
	base, _, _ := strings.Cut(strings.ToLower(tag), "-")
	if base == "" {
		return "zh"
	}
	return base
}

// phraseKey compares phrases: lower-case letters and digits only, so
// "It's me" matches "its me".
func phraseKey(p string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(p) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
