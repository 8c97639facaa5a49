package prompts

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// Catalogue finds the audio of a script's prompts: a recording named after
// the prompt in Dir (Dir/<id>.wav) when there is one, otherwise the text
// spoken by the Renderer.
type Catalogue struct {
	Dir      string      // recorded prompts; "" = TTS only
	Files    *AudioFiles // nil: a private one is not kept, files are read each time
	Renderer *Renderer   // nil: recordings only
}

// Prompt returns the audio of prompt id, whose text is in req.
func (c *Catalogue) Prompt(ctx context.Context, id string, req Request) ([]int16, error) {
	if c.Dir != "" && id != "" {
		if !validPromptID(id) {
			return nil, fmt.Errorf("prompt %q: invalid id", id)
		}
		path := filepath.Join(c.Dir, id+".wav")
		var pcm []int16
		var err error
		if c.Files != nil {
			pcm, err = c.Files.Load(path)
		} else {
			pcm, err = LoadAudio(path)
		}
		if err == nil {
			return pcm, nil
		}
		if !errors.Is(err, fs.ErrNotExist) || c.Renderer == nil {
			return nil, fmt.Errorf("prompt %s: %w", id, err)
		}
	}
	if c.Renderer == nil {
		return nil, fmt.Errorf("prompt %s: no recording and no TTS engine", id)
	}
	return c.Renderer.Render(ctx, req)
}

// validPromptID accepts names that stay inside Dir.
func validPromptID(id string) bool {
	return !strings.ContainsAny(id, `/\`+"\x00") && id != "." && id != ".." && !strings.HasPrefix(id, ".")
}
