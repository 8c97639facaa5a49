package sim

import (
	"context"
	"math"
	"testing"
	"time"

	"outreach/media"
)

func TestHearingPromptEnds(t *testing.T) {
	tone := media.Tone([]float64{1000}, 200*time.Millisecond, 0.5)
	quiet := make([]int16, media.FrameSamples)
	tests := []struct {
		name   string
		frames int // silent frames after the tone
		want   int // prompt ends
	}{
		{"comfort silence ends the prompt", 20, 1},
		{"short pause does not", 5, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHearing(-45, 300*time.Millisecond, true)
			frames := make(chan []int16, 64)
			for i := 0; i < len(tone); i += media.FrameSamples {
				frames <- tone[i : i+media.FrameSamples]
			}
			for range tc.frames {
				frames <- quiet
			}
			close(frames)
			h.run(context.Background(), frames)
			var c CallLog
			h.stats(&c)
			if c.Prompts != tc.want {
				t.Fatalf("%d prompt ends, want %d", c.Prompts, tc.want)
			}
			if c.HeardDuration != 200*time.Millisecond || len(c.Heard) != c.HeardSamples {
				t.Fatalf("heard %v, %d samples, %d recorded", c.HeardDuration, c.HeardSamples, len(c.Heard))
			}
			if want := 20 * math.Log10(0.5/math.Sqrt2); math.Abs(c.HeardEnergyDBFS-want) > 0.5 {
				t.Fatalf("level %.2f dBFS, want %.2f", c.HeardEnergyDBFS, want)
			}
		})
	}
}

func TestHearingIdleEndsPrompt(t *testing.T) {
	h := newHearing(-45, 20*time.Millisecond, false)
	frames := make(chan []int16, 8)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); h.run(ctx, frames) }()
	frames <- media.Tone([]float64{800}, 20*time.Millisecond, 0.5)
	// No more packets (silence suppression): the prompt ends after 2×gap.
	wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
	defer wcancel()
	if !h.waitPromptEnd(wctx, 0) {
		t.Fatal("no prompt end without packets")
	}
	cancel()
	<-done
	var c CallLog
	h.stats(&c)
	if c.Prompts != 1 || c.Heard != nil {
		t.Fatalf("log %+v", c)
	}
}
