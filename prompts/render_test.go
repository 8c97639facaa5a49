package prompts

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestPrerender(t *testing.T) {
	eng := &fakeEngine{}
	r := &Renderer{Engine: eng, Cache: newTestCache(t, t.TempDir()), Parallel: 3}
	var reqs []Request
	for i := range 20 {
		reqs = append(reqs, Request{Text: fmt.Sprintf("第%d题", i%10)}) // 10 distinct
	}
	if err := r.Prerender(context.Background(), reqs); err != nil {
		t.Fatal(err)
	}
	if got := eng.calls.Load(); got != 10 {
		t.Errorf("synthesised %d, want 10", got)
	}
	if m := eng.maxActive.Load(); m > 3 {
		t.Errorf("%d syntheses at once, limit 3", m)
	}
	// Everything is cached now.
	if err := r.Prerender(context.Background(), reqs); err != nil || eng.calls.Load() != 10 {
		t.Errorf("second prerender: %v, %d calls", err, eng.calls.Load())
	}
}

func TestPrerenderErrors(t *testing.T) {
	eng := &fakeEngine{}
	r := &Renderer{Engine: eng, Cache: newTestCache(t, t.TempDir())}
	err := r.Prerender(context.Background(), []Request{{Text: "好"}, {Text: "fail"}, {Text: "坏"}})
	if err == nil || !strings.Contains(err.Error(), "fake failure") {
		t.Fatalf("err = %v", err)
	}
	if got := eng.calls.Load(); got != 3 {
		t.Errorf("synthesised %d, want all 3 tried", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Prerender(ctx, []Request{{Text: "新的"}}); err == nil {
		t.Error("cancelled prerender: want error")
	}
	if err := (&Renderer{}).Prerender(context.Background(), []Request{{Text: "x"}}); err == nil {
		t.Error("no engine: want error")
	}
}

func TestRenderWithoutCacheAndErrors(t *testing.T) {
	eng := &fakeEngine{}
	r := &Renderer{Engine: eng, Rate: 120, Volume: 0.8}
	if _, err := r.Render(context.Background(), Request{Text: "您好"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Render(context.Background(), Request{Text: "您好"}); err != nil {
		t.Fatal(err)
	}
	if eng.calls.Load() != 2 {
		t.Errorf("no cache: %d calls", eng.calls.Load())
	}
	p := r.Prepare(Request{Text: " 2次 "})
	if p.Rate != 120 || p.Volume != 0.8 || p.Language != Chinese || p.Text != "两次" {
		t.Errorf("Prepare = %+v", p)
	}
	if _, err := r.Render(context.Background(), Request{Text: "  "}); err == nil {
		t.Error("empty text: want error")
	}
	_, err := r.Render(context.Background(), Request{Text: "fail"})
	if err == nil || strings.Contains(err.Error(), "\"fail\"") {
		t.Errorf("error should name the prompt by key, not text: %v", err)
	}
}

func TestLeadInAudio(t *testing.T) {
	tests := []struct {
		leadIn time.Duration
		want   int
	}{{0, 4000}, {-1, 0}, {250 * time.Millisecond, 2000}}
	for _, tt := range tests {
		pcm := (&Renderer{LeadIn: tt.leadIn}).LeadInAudio()
		if len(pcm) != tt.want {
			t.Errorf("LeadIn %v: %d samples, want %d", tt.leadIn, len(pcm), tt.want)
		}
		for _, s := range pcm {
			if s != 0 {
				t.Fatal("lead-in not silent")
			}
		}
	}
}
