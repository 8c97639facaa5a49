package prompts

import (
	"fmt"
	"os"
	"strconv"

	"outreach/media"
)

// LoadAudio reads a recorded prompt: any WAV media.ReadWAV reads (PCM 8–32
// bit, float, A-law, µ-law, any rate, mono or stereo) as 8 kHz mono PCM.
func LoadAudio(path string) ([]int16, error) {
	pcm, err := media.ReadWAVFile(path)
	if err != nil {
		return nil, fmt.Errorf("load prompt audio: %w", err)
	}
	return pcm, nil
}

// AudioFiles loads recorded prompts through a small LRU of decoded files. A
// file changed on disk (size or modification time) is read again. Safe for
// concurrent use; returned slices are shared and must not be modified.
type AudioFiles struct {
	lru *pcmLRU
}

// NewAudioFiles keeps up to maxSamples decoded samples in memory
// (0 = 10 minutes of audio).
func NewAudioFiles(maxSamples int) *AudioFiles {
	if maxSamples == 0 {
		maxSamples = 10 * 60 * media.SampleRate
	}
	return &AudioFiles{lru: newPCMLRU(maxSamples)}
}

// Load returns the decoded audio of the WAV file at path.
func (a *AudioFiles) Load(path string) ([]int16, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("load prompt audio: %w", err)
	}
	stamp := strconv.FormatInt(fi.Size(), 10) + "/" + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
	if pcm, ok := a.lru.get(path, stamp); ok {
		return pcm, nil
	}
	pcm, err := LoadAudio(path)
	if err != nil {
		return nil, err
	}
	a.lru.put(path, stamp, pcm)
	return pcm, nil
}
