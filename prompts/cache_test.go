package prompts

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
)

func newTestCache(t *testing.T, dir string) *Cache {
	t.Helper()
	c, err := NewCache(dir, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCacheHitMiss(t *testing.T) {
	dir := t.TempDir()
	eng := &fakeEngine{}
	r := &Renderer{Engine: eng, Cache: newTestCache(t, dir)}
	ctx := context.Background()
	first, err := r.Render(ctx, Request{Text: "体温36.5度"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Render(ctx, Request{Text: "体温三十六点五度"}); err != nil { // same normalised text
		t.Fatal(err)
	}
	if got := eng.calls.Load(); got != 1 {
		t.Fatalf("synthesised %d times, want 1", got)
	}
	if eng.texts[0] != "体温三十六点五度" {
		t.Errorf("engine got %q, want normalised text", eng.texts[0])
	}
	key := CacheKey("fake", r.Prepare(Request{Text: "体温36.5度"}))
	if _, err := os.Stat(r.Cache.Path(key)); err != nil {
		t.Fatalf("cache file: %v", err)
	}
	// Another process (a new Cache on the same directory) reads the file.
	r2 := &Renderer{Engine: eng, Cache: newTestCache(t, dir)}
	again, err := r2.Render(ctx, Request{Text: "体温36.5度"})
	if err != nil {
		t.Fatal(err)
	}
	if eng.calls.Load() != 1 || len(again) != len(first) || again[5] != first[5] {
		t.Fatalf("disk hit: calls %d, %d vs %d samples", eng.calls.Load(), len(again), len(first))
	}
	// Any change of engine settings is a miss.
	for _, req := range []Request{
		{Text: "体温36.5度", Voice: "other"},
		{Text: "体温36.5度", Rate: 120},
		{Text: "体温36.5度", Volume: 1.5},
		{Text: "体温36.5度", Language: English},
		{Text: "体温36.6度"},
	} {
		if _, err := r2.Render(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	if got := eng.calls.Load(); got != 6 {
		t.Fatalf("synthesised %d times, want 6", got)
	}
	tmp, _ := filepath.Glob(filepath.Join(dir, "*", ".tmp-*"))
	if len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestCacheCorruptFileIsMiss(t *testing.T) {
	c := newTestCache(t, t.TempDir())
	key := CacheKey("fake", Request{Text: "x"})
	os.MkdirAll(filepath.Dir(c.Path(key)), 0o755)
	if err := os.WriteFile(c.Path(key), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get(key); ok {
		t.Fatal("corrupt file counted as a hit")
	}
	eng := &fakeEngine{}
	pcm, err := c.Do(context.Background(), key, func(ctx context.Context) ([]int16, error) {
		return eng.Synthesize(ctx, Request{Text: "x"})
	})
	if err != nil || len(pcm) != 80 {
		t.Fatalf("Do: %d samples, %v", len(pcm), err)
	}
	c2 := newTestCache(t, c.Dir())
	if _, ok := c2.Get(key); !ok {
		t.Fatal("rewritten file not readable")
	}
}

func TestConcurrentRendersSynthesizeOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		eng := &fakeEngine{gate: make(chan struct{})}
		r := &Renderer{Engine: eng, Cache: newTestCache(t, t.TempDir())}
		var wg sync.WaitGroup
		results := make([][]int16, 8)
		errs := make([]error, 8)
		for i := range results {
			wg.Go(func() { results[i], errs[i] = r.Render(context.Background(), Request{Text: "请按一"}) })
		}
		synctest.Wait() // one in the engine, seven waiting for it
		close(eng.gate)
		wg.Wait()
		for i := range results {
			if errs[i] != nil || len(results[i]) != 240 {
				t.Fatalf("render %d: %d samples, %v", i, len(results[i]), errs[i])
			}
		}
		if got := eng.calls.Load(); got != 1 {
			t.Fatalf("synthesised %d times, want 1", got)
		}
	})
}

func TestCacheWaiterTakesOverFromCancelledLeader(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		eng := &fakeEngine{gate: make(chan struct{})}
		r := &Renderer{Engine: eng, Cache: newTestCache(t, t.TempDir())}
		leaderCtx, cancel := context.WithCancel(context.Background())
		var leaderErr, waiterErr error
		var waiterPCM []int16
		var wg sync.WaitGroup
		wg.Go(func() { _, leaderErr = r.Render(leaderCtx, Request{Text: "您好"}) })
		synctest.Wait()
		wg.Go(func() { waiterPCM, waiterErr = r.Render(context.Background(), Request{Text: "您好"}) })
		synctest.Wait()
		cancel()
		synctest.Wait() // leader gone; waiter now leads and waits on the gate
		close(eng.gate)
		wg.Wait()
		if !errors.Is(leaderErr, context.Canceled) {
			t.Errorf("leader err = %v", leaderErr)
		}
		if waiterErr != nil || len(waiterPCM) != 160 {
			t.Errorf("waiter: %d samples, %v", len(waiterPCM), waiterErr)
		}
		if got := eng.calls.Load(); got != 2 {
			t.Errorf("synthesised %d times, want 2", got)
		}
	})
}

func TestCacheWaiterContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		eng := &fakeEngine{gate: make(chan struct{})}
		r := &Renderer{Engine: eng, Cache: newTestCache(t, t.TempDir())}
		var wg sync.WaitGroup
		wg.Go(func() { r.Render(context.Background(), Request{Text: "您好"}) })
		synctest.Wait()
		ctx, cancel := context.WithCancel(context.Background())
		var err error
		wg.Go(func() { _, err = r.Render(ctx, Request{Text: "您好"}) })
		synctest.Wait()
		cancel()
		synctest.Wait()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("waiter err = %v", err)
		}
		close(eng.gate)
		wg.Wait()
	})
}

func TestTwoCachesOneDirectory(t *testing.T) {
	dir := t.TempDir()
	eng := &fakeEngine{}
	var wg sync.WaitGroup
	for range 4 {
		r := &Renderer{Engine: eng, Cache: newTestCache(t, dir)}
		wg.Go(func() {
			for _, s := range []string{"一", "二", "三", "四"} {
				if _, err := r.Render(context.Background(), Request{Text: strings.Repeat(s, 3)}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.wav"))
	tmp, _ := filepath.Glob(filepath.Join(dir, "*", ".tmp-*"))
	if len(files) != 4 || len(tmp) != 0 {
		t.Fatalf("%d files, %d temporary", len(files), len(tmp))
	}
	c := newTestCache(t, dir)
	for _, f := range files {
		if pcm, ok := c.Get(strings.TrimSuffix(filepath.Base(f), ".wav")); !ok || len(pcm) != 240 {
			t.Errorf("%s: %d samples, ok %v", f, len(pcm), ok)
		}
	}
}

func TestPCMLRU(t *testing.T) {
	l := newPCMLRU(100)
	l.put("a", "", make([]int16, 40))
	l.put("b", "", make([]int16, 40))
	l.get("a", "")
	l.put("c", "", make([]int16, 40)) // evicts b, the least recently used
	if _, ok := l.get("b", ""); ok {
		t.Error("b not evicted")
	}
	if _, ok := l.get("a", ""); !ok {
		t.Error("a evicted")
	}
	if _, ok := l.get("a", "changed"); ok {
		t.Error("stale stamp served")
	}
	l.put("big", "", make([]int16, 60)) // over half the budget: not kept
	if _, ok := l.get("big", ""); ok || l.len() != 1 {
		t.Errorf("len %d", l.len())
	}
}
