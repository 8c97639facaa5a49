package demo

import (
	"fmt"
	"path/filepath"

	"outreach/asr"
	"outreach/scripts/samples"
)

// Spoken answers: some residents answer by voice. They speak recordings
// shipped with the samples (espeak-ng, slower and higher than the
// references), and the robot understands them with the template engine
// over the shipped references: pure Go, no model, no network. The engine
// is speaker-dependent, which is what a demo of synthetic residents needs.

// Voice is what the voice residents say: a WAV file per answer.
type Voice struct {
	Identity string // "it is me"
	Yes, No  string // to a yes/no question
	NoNeeds  string // the needs choice: nothing needed
	Decline  string // the doctor question: no transfer
}

// voiceWords are the residents' answers per script language; each must be
// among the shipped recordings (scripts/prerender SpeechWords).
func voiceWords(lang string) [5]string {
	if lang == "en" {
		return [5]string{"yes", "yes", "no", "nothing", "no"}
	}
	return [5]string{"是我", "有", "没有", "不需要", "不需要"}
}

// writeSpeech writes the shipped speech under dir and returns the
// residents' voice for lang and the template engine's reference directory.
func writeSpeech(dir, lang string) (Voice, string, error) {
	if err := samples.WriteSpeech(dir); err != nil {
		return Voice{}, "", fmt.Errorf("demo: speech: %w", err)
	}
	residents := filepath.Join(dir, "residents")
	m, err := asr.ReadTemplateManifest(residents)
	if err != nil {
		return Voice{}, "", fmt.Errorf("demo: speech: %w", err)
	}
	tag := "zh-CN"
	if lang == "en" {
		tag = "en-US"
	}
	var files [5]string
	for i, w := range voiceWords(lang) {
		if files[i] = m.Find(residents, tag, w); files[i] == "" {
			return Voice{}, "", fmt.Errorf("demo: speech: no recording of %q in %s", w, residents)
		}
	}
	v := Voice{Identity: files[0], Yes: files[1], No: files[2], NoNeeds: files[3], Decline: files[4]}
	return v, filepath.Join(dir, "references"), nil
}
