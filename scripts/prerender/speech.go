package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"outreach/asr"
	"outreach/media"
	"outreach/prompts"
)

// SpeechDir holds, under the samples directory, spoken answers to the
// daily health check rendered twice by espeak-ng: references/ in the
// prompts' own voice settings, the template engine's references, and
// residents/ slower and higher, what the demo's voice residents say. Both
// are asr template directories (manifest.json and 8 kHz WAVs). The two
// settings differ so that recognition in the demo is never the match of
// a waveform with itself.
const SpeechDir = "speech"

// SpeechVoice is one rendering of the answer words.
type SpeechVoice struct {
	Dir   string                   // under SpeechDir
	Rate  map[prompts.Language]int // espeak-ng -s
	Pitch int                      // espeak-ng -p (its default is 50)
}

// SpeechVoices are the references and the residents' voice.
func SpeechVoices() []SpeechVoice {
	return []SpeechVoice{
		{Dir: "references", Pitch: 50,
			Rate: map[prompts.Language]int{prompts.Chinese: prompts.DefaultChineseRate, prompts.English: prompts.DefaultEnglishRate}},
		{Dir: "residents", Pitch: 65, Rate: map[prompts.Language]int{prompts.Chinese: 140, prompts.English: 120}},
	}
}

// SpeechWords are the answers rendered per language: what the demo's
// voice residents say to the daily health check, and a few other answers
// to the same questions that the engine must tell them from.
func SpeechWords() map[prompts.Language][]string {
	return map[prompts.Language][]string{
		prompts.Chinese: {"是我", "是", "不是", "有", "没有", "需要", "不需要", "买药"},
		prompts.English: {"yes", "it's me", "no", "wrong", "nothing", "medicine", "food"},
	}
}

// speechEntries is the manifest v's directory must hold.
func speechEntries(v SpeechVoice) []asr.TemplateRecording {
	var out []asr.TemplateRecording
	words := SpeechWords()
	for _, lang := range []prompts.Language{prompts.Chinese, prompts.English} {
		for _, w := range words[lang] {
			voice, text := speechVoiceName(lang), speechText(lang, w)
			out = append(out, asr.TemplateRecording{Language: string(lang), Text: w,
				File:  string(lang)[:2] + "-" + strings.Join(strings.Fields(strings.ReplaceAll(text, "'", "")), "-") + ".wav",
				Voice: fmt.Sprintf("espeak-ng -v %s -s %d -p %d", voice, v.Rate[lang], v.Pitch)})
		}
	}
	return out
}

func speechVoiceName(lang prompts.Language) string {
	if lang.IsChinese() {
		return prompts.DefaultChineseVoice
	}
	return prompts.DefaultEnglishVoice
}

// speechText is what espeak-ng reads: pinyin for Chinese, as the prompts.
func speechText(lang prompts.Language, w string) string {
	t := prompts.Normalize(lang, w)
	if lang.IsChinese() {
		t = prompts.ToPinyin(t)
	}
	return strings.ToLower(t)
}

// RenderSpeech replaces the speech directories under samples and returns
// their size in bytes.
func RenderSpeech(ctx context.Context, samples string) (int64, error) {
	espeak, err := exec.LookPath("espeak-ng")
	if err != nil {
		return 0, fmt.Errorf("render speech: %w", prompts.ErrNotInstalled)
	}
	var size int64
	for _, v := range SpeechVoices() {
		dir := filepath.Join(samples, SpeechDir, v.Dir)
		if err := os.RemoveAll(dir); err != nil {
			return 0, fmt.Errorf("render speech: %w", err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return 0, fmt.Errorf("render speech: %w", err)
		}
		entries := speechEntries(v)
		for _, e := range entries {
			lang := prompts.Language(e.Language)
			n, err := speak(ctx, espeak, filepath.Join(dir, e.File), speechVoiceName(lang), speechText(lang, e.Text), v.Rate[lang], v.Pitch)
			if err != nil {
				return 0, fmt.Errorf("render speech %q: %w", e.Text, err)
			}
			size += n
		}
		if err := asr.WriteTemplateManifest(dir, asr.TemplateManifest{Recordings: entries}); err != nil {
			return 0, err
		}
	}
	return size, nil
}

// speak renders text with espeak-ng into an 8 kHz WAV at path, without
// the silence espeak-ng leaves after the words, and returns its size. The
// text goes through stdin, as the prompts' engine does.
func speak(ctx context.Context, espeak, path, voice, text string, rate, pitch int) (int64, error) {
	tmp := path + ".tmp"
	defer os.Remove(tmp)
	cmd := exec.CommandContext(ctx, espeak, "--stdin", "-b", "1", "-v", voice,
		"-s", strconv.Itoa(rate), "-p", strconv.Itoa(pitch), "-w", tmp)
	cmd.Stdin = strings.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("espeak-ng: %w: %s", err, out)
	}
	pcm, err := media.ReadWAVFile(tmp)
	if err != nil {
		return 0, err
	}
	pcm = trimSilence(pcm)
	if err := media.WriteWAVFile(path, pcm, media.SampleRate); err != nil {
		return 0, err
	}
	return int64(44 + 2*len(pcm)), nil
}

// MissingSpeech lists what the speech directories under samples lack or
// hold differently from what RenderSpeech makes (voice: language: text).
func MissingSpeech(samples string) ([]string, error) {
	var missing []string
	for _, v := range SpeechVoices() {
		dir := filepath.Join(samples, SpeechDir, v.Dir)
		m, err := asr.ReadTemplateManifest(dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		have := map[asr.TemplateRecording]bool{}
		for _, r := range m.Recordings {
			_, err := os.Stat(filepath.Join(dir, r.File))
			have[r] = err == nil
		}
		want := speechEntries(v)
		for _, e := range want {
			if !have[e] {
				missing = append(missing, v.Dir+": "+e.Language+": "+e.Text)
			}
		}
		if len(m.Recordings) != len(want) {
			missing = append(missing, fmt.Sprintf("%s: %d recordings, want %d", v.Dir, len(m.Recordings), len(want)))
		}
	}
	return missing, nil
}

// trimSilence cuts the silence before and after the words to 50 ms: a
// resident's answer ends when the words do (espeak-ng adds about half a
// second, which the robot would wait through as the end of the answer).
func trimSilence(pcm []int16) []int16 {
	const block, margin = media.SampleRate / 100, media.SampleRate / 20 // 10 ms, 50 ms
	first, last := -1, 0
	for i := 0; i+block <= len(pcm); i += block {
		if media.DBFS(pcm[i:i+block]) > -50 {
			if first < 0 {
				first = i
			}
			last = i + block
		}
	}
	if first < 0 {
		return pcm
	}
	return pcm[max(0, first-margin):min(len(pcm), last+margin)]
}
