package sim

import (
	"context"
	"math"
	"sync"
	"time"
)

// hearing consumes the decoded incoming audio of a call: it keeps level
// statistics, the optional recording, and detects prompt ends (audible audio
// followed by gap of silence or of no packets at all) for AfterPrompt digits.
type hearing struct {
	threshold float64 // mean square above which a frame is audible
	gap       time.Duration
	record    bool

	mu      sync.Mutex
	samples int
	audible int     // audible samples
	energy  float64 // sum of squares of audible samples
	pcm     []int16
	ends    int
	endCh   chan struct{} // closed and replaced at every prompt end
}

func newHearing(audibleDBFS float64, gap time.Duration, record bool) *hearing {
	full := 32768.0 * 32768.0
	return &hearing{
		threshold: full * math.Pow(10, audibleDBFS/10),
		gap:       gap, record: record, endCh: make(chan struct{}),
	}
}

// run reads frames until ctx ends or frames is closed. A prompt ends after
// audible audio when gap worth of silent frames arrived (senders of comfort
// silence), or when no frame at all arrived for twice gap (senders that
// suppress silence, RFC 3551 §4.1).
func (h *hearing) run(ctx context.Context, frames <-chan []int16) {
	idle := 2 * h.gap
	timer := time.NewTimer(idle)
	defer timer.Stop()
	gapSamples := int(h.gap * 8000 / time.Second)
	voiced, silent := false, 0
	for {
		select {
		case <-ctx.Done():
			return
		case f, ok := <-frames:
			if !ok {
				return
			}
			timer.Reset(idle)
			switch {
			case h.push(f):
				voiced, silent = true, 0
			case voiced:
				if silent += len(f); silent >= gapSamples {
					voiced = false
					h.promptEnded()
				}
			}
		case <-timer.C:
			if len(frames) > 0 {
				// Frames are queued: this goroutine was late, not the audio.
				timer.Reset(idle)
				continue
			}
			if voiced {
				voiced = false
				h.promptEnded()
			}
		}
	}
}

// push accounts one frame and reports whether it was audible.
func (h *hearing) push(f []int16) bool {
	var sum float64
	for _, v := range f {
		x := float64(v)
		sum += x * x
	}
	loud := len(f) > 0 && sum/float64(len(f)) > h.threshold
	h.mu.Lock()
	defer h.mu.Unlock()
	h.samples += len(f)
	if loud {
		h.audible += len(f)
		h.energy += sum
	}
	if h.record {
		h.pcm = append(h.pcm, f...)
	}
	return loud
}

func (h *hearing) promptEnded() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ends++
	close(h.endCh)
	h.endCh = make(chan struct{})
}

// prompts returns the number of prompt ends so far.
func (h *hearing) prompts() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ends
}

// waitPromptEnd waits until more than after prompt ends were seen; false
// when ctx ends first.
func (h *hearing) waitPromptEnd(ctx context.Context, after int) bool {
	for {
		h.mu.Lock()
		n, ch := h.ends, h.endCh
		h.mu.Unlock()
		if n > after {
			return true
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		}
	}
}

// stats fills the hearing fields of a call log.
func (h *hearing) stats(c *CallLog) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c.HeardSamples = h.samples
	c.HeardDuration = time.Duration(h.audible) * time.Second / 8000
	c.HeardEnergyDBFS = -120
	if h.audible > 0 {
		ms := h.energy / float64(h.audible)
		c.HeardEnergyDBFS = 10 * math.Log10(ms/(32768.0*32768.0))
	}
	c.Prompts = h.ends
	if h.record {
		c.Heard = append([]int16(nil), h.pcm...)
	}
}
