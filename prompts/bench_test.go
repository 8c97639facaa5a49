package prompts

import (
	"context"
	"testing"
	"time"

	"outreach/media"
)

const benchText = "您好，请问您今天的体温是36.5度吗？确认请按1，重新输入请按2。"

func BenchmarkNormalizeChinese(b *testing.B) {
	for b.Loop() {
		NormalizeChinese(benchText)
	}
}

func BenchmarkToPinyin(b *testing.B) {
	n := NormalizeChinese(benchText)
	for b.Loop() {
		ToPinyin(n)
	}
}

func BenchmarkRenderMemoryHit(b *testing.B) {
	c, err := NewCache(b.TempDir(), 0, nil)
	if err != nil {
		b.Fatal(err)
	}
	r := &Renderer{Engine: &fakeEngine{}, Cache: c}
	ctx := context.Background()
	r.Render(ctx, Request{Text: benchText})
	for b.Loop() {
		if _, err := r.Render(ctx, Request{Text: benchText}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderDiskHit(b *testing.B) {
	c, err := NewCache(b.TempDir(), -1, nil) // no memory layer
	if err != nil {
		b.Fatal(err)
	}
	r := &Renderer{Engine: &fakeEngine{}, Cache: c}
	ctx := context.Background()
	r.Render(ctx, Request{Text: benchText})
	for b.Loop() {
		if _, err := r.Render(ctx, Request{Text: benchText}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEspeakPrerenderEndToEnd renders a script's prompts through the real
// engine and the cache, then again from the cache alone.
func TestEspeakPrerenderEndToEnd(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	c, err := NewCache(dir, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &Renderer{Engine: &EspeakEngine{}, Cache: c}
	reqs := []Request{
		{Text: "您好，这里是社区健康随访。请问您是张*华本人吗？是请按1，不是请按2。"},
		{Text: "请用按键输入您今天的体温，例如36.5度，请按3、6、5，按井号键结束。"},
		{Text: "最近14天内，您是否去过外地？去过请按1，没有请按2。"},
		{Text: "Thank you. Goodbye.", Language: English},
	}
	start := time.Now()
	if err := r.Prerender(context.Background(), reqs); err != nil {
		t.Fatal(err)
	}
	cold := time.Since(start)
	// A fresh process: the cache directory alone serves every prompt.
	c2, _ := NewCache(dir, 0, nil)
	r2 := &Renderer{Engine: &failingEngine{name: "espeak-ng", err: ErrNotInstalled}, Cache: c2}
	start = time.Now()
	var total int
	for _, req := range reqs {
		pcm, err := r2.Render(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		total += len(pcm)
	}
	warm := time.Since(start)
	audio := time.Duration(total) * time.Second / media.SampleRate
	t.Logf("%d prompts, %v of audio: espeak-ng %v, from disk %v", len(reqs), audio, cold, warm)
	if audio < 4*time.Second {
		t.Errorf("only %v of audio for four sentences", audio)
	}
}
