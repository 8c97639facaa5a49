package robot

import (
	"context"
	"fmt"
	"path/filepath"

	"outreach/ivr"
	"outreach/prompts"
)

// PromptVoice renders prompts with the prompts package: a recorded audio
// file when the prompt names one (relative to AudioDir), otherwise TTS
// through the Renderer (and its cache).
type PromptVoice struct {
	Renderer *prompts.Renderer
	Audio    *prompts.AudioFiles // nil: files are decoded on every play
	AudioDir string              // base of relative audio paths (the script's directory)
}

// Render implements Voice.
func (v *PromptVoice) Render(ctx context.Context, p ivr.Prompt) ([]int16, error) {
	if p.Audio != "" {
		path := p.Audio
		if !filepath.IsAbs(path) {
			dir := v.AudioDir
			if p.Voice.AudioDir != "" {
				dir = filepath.Join(dir, p.Voice.AudioDir)
			}
			path = filepath.Join(dir, path)
		}
		var pcm []int16
		var err error
		if v.Audio != nil {
			pcm, err = v.Audio.Load(path)
		} else {
			pcm, err = prompts.LoadAudio(path)
		}
		if err != nil {
			return nil, fmt.Errorf("audio prompt: %w", err)
		}
		return pcm, nil
	}
	if v.Renderer == nil {
		return nil, fmt.Errorf("prompt %q: no TTS renderer configured", p.Node)
	}
	return v.Renderer.Render(ctx, prompts.Request{Text: p.Text, Language: prompts.Language(p.Language), Voice: p.Voice.Name})
}

// Prerender synthesises every static prompt of a script before the first
// call, so no resident waits for TTS.
func (v *PromptVoice) Prerender(ctx context.Context, s *ivr.Script) error {
	if v.Renderer == nil {
		return nil
	}
	var reqs []prompts.Request
	for _, t := range s.StaticPrompts() {
		reqs = append(reqs, prompts.Request{Text: t, Language: prompts.Language(s.Language), Voice: s.Voice.Name})
	}
	return v.Renderer.Prerender(ctx, reqs)
}

// PrerenderResident synthesises the prompts that carry this resident's
// fields (name, organisation, date) before the resident is dialed.
func (v *PromptVoice) PrerenderResident(ctx context.Context, s *ivr.Script, texts []string) error {
	if v.Renderer == nil || len(texts) == 0 {
		return nil
	}
	reqs := make([]prompts.Request, len(texts))
	for i, t := range texts {
		reqs[i] = prompts.Request{Text: t, Language: prompts.Language(s.Language), Voice: s.Voice.Name}
	}
	return v.Renderer.Prerender(ctx, reqs)
}
