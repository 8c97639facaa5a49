package procs

import (
	"context"
	"crypto/sha256"
	"runtime"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestDecider(t *testing.T) {
	cfg := Config{}.withDefaults() // up 0.30, down 0.15, hold 2s
	const iv = 250 * time.Millisecond
	type step struct {
		used float64
		want int
	}
	tests := []struct {
		name  string
		start int
		steps []step
	}{
		{"idle stays on one", 1, []step{{0.01, 1}, {0.2, 1}, {0.29, 1}}},
		{"load takes all at once", 1, []step{{0.05, 1}, {0.30, 4}, {0.9, 4}}},
		{"between the marks nothing moves", 4, []step{{0.2, 4}, {0.16, 4}, {0.29, 4}}},
		{"back to one after hold under down", 4, []step{
			{0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 1}}},
		{"a busy interval restarts the hold", 4, []step{
			{0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.5, 4},
			{0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 1}}},
		{"an interval between the marks restarts the hold too", 4, []step{
			{0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.1, 4}, {0.2, 4}, {0.1, 4}}},
		{"down and up again", 4, []step{
			{0, 4}, {0, 4}, {0, 4}, {0, 4}, {0, 4}, {0, 4}, {0, 4}, {0, 1}, {0.31, 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d decider
			cur := tt.start
			for i, s := range tt.steps {
				cur = d.next(cfg, 4, cur, s.used, iv)
				if cur != s.want {
					t.Fatalf("step %d (%.2f cores): %d Ps, want %d", i, s.used, cur, s.want)
				}
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	c := Config{Up: 0.2, Down: 0.5}.withDefaults()
	if c.Down >= c.Up {
		t.Fatalf("down %.2f not under up %.2f", c.Down, c.Up)
	}
	if c.Interval != DefaultInterval || c.Hold != DefaultHold {
		t.Fatalf("defaults not taken: %+v", c)
	}
}

// fakeLoad is a process whose CPU time grows at the rate the test sets, in
// the bubble's fake time.
type fakeLoad struct {
	mu    sync.Mutex
	cores float64
	cpu   time.Duration
	at    time.Time
	sets  []int
}

func (f *fakeLoad) cpuTime() (time.Duration, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if !f.at.IsZero() {
		f.cpu += time.Duration(f.cores * float64(now.Sub(f.at)))
	}
	f.at = now
	return f.cpu, true
}

func (f *fakeLoad) load(cores float64) {
	f.cpuTime() // account the old rate up to now
	f.mu.Lock()
	f.cores = cores
	f.mu.Unlock()
}

func (f *fakeLoad) set(n int) {
	f.mu.Lock()
	f.sets = append(f.sets, n)
	f.mu.Unlock()
}

func TestScalerFollowsLoad(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeLoad{}
		s := testScaler(4, f)
		s.Start(context.Background())
		if got := s.Procs(); got != 1 {
			t.Fatalf("after Start: %d Ps, want 1", got)
		}
		phases := []struct {
			cores float64       // load from now on
			wait  time.Duration // fake time that passes
			want  int
			what  string
		}{
			{0.05, time.Second, 1, "idle"},
			{0.8, 300 * time.Millisecond, 4, "loaded, one sample later"},
			{0.05, time.Second, 4, "1 s after the load went (hold is 2 s)"},
			{0.05, 1500 * time.Millisecond, 1, "2.5 s after the load went"},
		}
		for _, ph := range phases {
			f.load(ph.cores)
			time.Sleep(ph.wait)
			if got := s.Procs(); got != ph.want {
				t.Fatalf("%s: %d Ps, want %d", ph.what, got, ph.want)
			}
		}
		s.Stop()
		if got := s.Procs(); got != 4 {
			t.Fatalf("after Stop: %d Ps, want all 4 back", got)
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if want := []int{1, 4, 1, 4}; !slices.Equal(f.sets, want) {
			t.Fatalf("GOMAXPROCS set to %v, want %v", f.sets, want)
		}
		if s.Changes() != 4 {
			t.Fatalf("changes %d, want 4", s.Changes())
		}
	})
}

func TestScalerStopsWithContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeLoad{}
		s := testScaler(2, f)
		ctx, cancel := context.WithCancel(context.Background())
		s.Start(ctx)
		s.Start(ctx) // a second Start is a no-op
		cancel()
		synctest.Wait() // the sampling goroutine has returned
		s.Stop()
		if got := s.Procs(); got != 2 {
			t.Fatalf("after Stop: %d Ps, want 2", got)
		}
	})
}

func TestScalerSingleP(t *testing.T) {
	f := &fakeLoad{}
	s := testScaler(1, f)
	s.Start(context.Background())
	defer s.Stop()
	if len(f.sets) != 0 || s.Procs() != 1 || s.Changes() != 0 {
		t.Fatalf("a single-P process was changed: sets %v, %d Ps, %d changes", f.sets, s.Procs(), s.Changes())
	}
}

func TestProcessCPU(t *testing.T) {
	before, ok := processCPU()
	if !ok {
		t.Fatal("getrusage gave no CPU time on this platform")
	}
	sum := sha256.Sum256(nil)
	for range 200_000 {
		sum = sha256.Sum256(sum[:])
	}
	after, _ := processCPU()
	if after <= before {
		t.Fatalf("CPU time did not grow over 200,000 hashes: %v then %v", before, after)
	}
}

func TestApplyEnvironmentWins(t *testing.T) {
	t.Setenv("GOMAXPROCS", "2")
	s, what := Apply(context.Background(), 0, nil)
	if s != nil {
		s.Stop()
		t.Fatal("a Scaler started although GOMAXPROCS is set in the environment")
	}
	if what == "" {
		t.Fatal("no description")
	}
}

func TestApplyFixed(t *testing.T) {
	prev := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	s, what := Apply(context.Background(), 3, nil)
	if s != nil || runtime.GOMAXPROCS(0) != 3 || what != "3 (fixed)" {
		t.Fatalf("Apply(3): scaler %v, GOMAXPROCS %d, %q", s, runtime.GOMAXPROCS(0), what)
	}
}

// testScaler is a Scaler of max Ps on the fake process f.
func testScaler(max int, f *fakeLoad) *Scaler {
	s := New(Config{})
	s.max, s.cpuTime, s.set = max, f.cpuTime, f.set
	s.procs.Store(int32(max))
	return s
}
