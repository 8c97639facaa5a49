package asr

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"outreach/ivr"
	"outreach/media"
	"outreach/prompts"
)

// TestTemplateVoices measures how far the template engine carries beyond
// the residents' voice: each recorded word is spoken by espeak-ng at other
// rates and pitches, and by other voices (other speakers), recognised
// against the whole vocabulary of its language after A-law. Voices near
// the references' must be understood; for other speakers the engine may
// fail, but it must reject rather than mishear. Needs espeak-ng.
func TestTemplateVoices(t *testing.T) {
	espeak, err := exec.LookPath("espeak-ng")
	if err != nil {
		t.Fatal("espeak-ng is needed: run scripts/provision.sh (or apt-get install espeak-ng)")
	}
	rec, m, _ := shippedSpeech(t)
	type setting struct {
		name        string
		rate, pitch float64 // rate relative to the references'
		variant     string  // espeak-ng voice variant: another speaker
		near        bool    // must be understood
	}
	settings := []setting{
		{"residents: rate 0.8 pitch 65", 0.8, 65, "", true}, {"references: rate 1 pitch 50", 1, 50, "", true},
		{"rate 0.7 pitch 80", 0.7, 80, "", true}, {"rate 1.3 pitch 35", 1.3, 35, "", true},
		{"male variant m3", 1, 50, "+m3", true}, {"female variant f3", 1, 50, "+f3", false},
		{"whisper variant", 1, 50, "+whisper", false},
	}
	for _, s := range settings {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			var got, wrong, total int
			var misses []string
			for _, lang := range []string{"zh-CN", "en-US"} {
				words := vocabulary(m, lang)
				for _, w := range words {
					pcm := render(t, espeak, lang, w, s.rate, s.pitch, s.variant)
					u := listenTo(t, rec, Options{Type: ivr.TypeChoice, Language: lang, Hints: words}, pcm)
					total++
					switch u.Text {
					case w:
						got++
					case "":
						misses = append(misses, w+"→∅")
					default:
						wrong++
						misses = append(misses, w+"→"+u.Text)
					}
				}
			}
			t.Logf("%2d/%d recognised, %d misheard %s", got, total, wrong, strings.Join(misses, " "))
			if wrong > 0 || (s.near && got < total*9/10) {
				t.Errorf("%d/%d recognised, %d misheard", got, total, wrong)
			}
		})
	}
}

// render speaks w as the shipped generator does, at rate (relative to the
// prompts' default) and pitch, with an optional voice variant.
func render(t *testing.T, espeak, lang, w string, rate, pitch float64, variant string) []int16 {
	t.Helper()
	l := prompts.Language(lang)
	voice, base, text := prompts.DefaultEnglishVoice, prompts.DefaultEnglishRate, prompts.Normalize(l, w)
	if l.IsChinese() {
		voice, base, text = prompts.DefaultChineseVoice, prompts.DefaultChineseRate, prompts.ToPinyin(text)
	}
	out := filepath.Join(t.TempDir(), "w.wav")
	cmd := exec.Command(espeak, "--stdin", "-b", "1", "-v", voice+variant, "-s", fmt.Sprint(int(float64(base)*rate)),
		"-p", fmt.Sprint(int(pitch)), "-w", out)
	cmd.Stdin = strings.NewReader(strings.ToLower(text))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v: %s", err, b)
	}
	pcm, err := media.ReadWAVFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return pcm
}
