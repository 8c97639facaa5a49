package prompts

import (
	"context"
	"strings"
)

// Language is a BCP 47 language tag of a prompt. The robot speaks Mandarin
// ("zh-CN") and American English ("en-US").
type Language string

// Languages the engines support.
const (
	Chinese Language = "zh-CN"
	English Language = "en-US"
)

// IsChinese reports whether l is a Chinese tag ("zh", "zh-CN", "cmn", …).
func (l Language) IsChinese() bool {
	s := strings.ToLower(string(l))
	return s == "zh" || strings.HasPrefix(s, "zh-") || strings.HasPrefix(s, "zh_") ||
		s == "cmn" || strings.HasPrefix(s, "cmn-")
}

// String returns the tag.
func (l Language) String() string { return string(l) }

// Request is one text to speak.
type Request struct {
	Text     string
	Language Language // "zh-CN" or "en-US"; empty means zh-CN
	Voice    string   // engine specific; empty means the engine's default for Language
	Rate     int      // words per minute; 0 means the engine's default
	Volume   float64  // linear gain, 1 = normal; 0 means 1
}

// Engine synthesises speech. Synthesize returns 8 kHz mono 16-bit PCM
// (media.SampleRate). Implementations are safe for concurrent use.
type Engine interface {
	Name() string
	Synthesize(ctx context.Context, req Request) ([]int16, error)
}

// lang returns the request's language with the default applied.
func (r Request) lang() Language {
	if r.Language == "" {
		return Chinese
	}
	return r.Language
}

// volume returns the request's gain with the default applied.
func (r Request) volume() float64 {
	if r.Volume <= 0 {
		return 1
	}
	return r.Volume
}

// applyGain scales pcm in place by g, clipping to the int16 range.
func applyGain(pcm []int16, g float64) {
	if g == 1 || g <= 0 {
		return
	}
	for i, s := range pcm {
		v := float64(s) * g
		switch {
		case v > 32767:
			v = 32767
		case v < -32768:
			v = -32768
		}
		pcm[i] = int16(v)
	}
}
