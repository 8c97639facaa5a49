package procs

import (
	"context"
	"crypto/sha256"
	"os"
	"runtime"
	"slices"
	"strings"
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
		all  bool // want
	}
	low := func(n int) []step { // n intervals at 0.1 cores, still on all Ps
		return slices.Repeat([]step{{0.1, true}}, n)
	}
	tests := []struct {
		name  string
		all   bool
		steps []step
	}{
		{"idle stays on one", false, []step{{0.01, false}, {0.2, false}, {0.29, false}}},
		{"load takes all at once", false, []step{{0.05, false}, {0.30, true}, {0.9, true}}},
		{"between the marks nothing moves", true, []step{{0.2, true}, {0.16, true}, {0.29, true}}},
		{"back to one after hold under down", true, append(low(7), step{0.1, false})},
		{"a busy interval restarts the hold", true, slices.Concat(low(7), []step{{0.5, true}}, low(7), []step{{0.1, false}})},
		{"an interval between the marks restarts the hold too", true, slices.Concat(low(7), []step{{0.2, true}}, low(1))},
		{"down and up again", true, slices.Concat(low(7), []step{{0, false}, {0.31, true}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d decider
			all := tt.all
			for i, s := range tt.steps {
				all = d.next(cfg, all, s.used, iv)
				if all != s.all {
					t.Fatalf("step %d (%.2f cores): all Ps %v, want %v", i, s.used, all, s.all)
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

// fakeRuntime is a process whose CPU time grows at the rate the test sets,
// in the bubble's fake time, with a GOMAXPROCS of its own.
type fakeRuntime struct {
	mu    sync.Mutex
	max   int // the "runtime default"
	procs int
	cores float64
	cpu   time.Duration
	at    time.Time
	sets  []int
}

func (f *fakeRuntime) cpuTime() (time.Duration, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if !f.at.IsZero() {
		f.cpu += time.Duration(f.cores * float64(now.Sub(f.at)))
	}
	f.at = now
	return f.cpu, true
}

func (f *fakeRuntime) load(cores float64) {
	f.cpuTime() // account the old rate up to now
	f.mu.Lock()
	f.cores = cores
	f.mu.Unlock()
}

func (f *fakeRuntime) set(n int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n == 0 {
		n = f.max
	}
	f.procs = n
	f.sets = append(f.sets, n)
	return n
}

func (f *fakeRuntime) get() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.procs
}

// change alters the fake runtime under its lock.
func (f *fakeRuntime) change(do func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	do()
}

// started is a started Scaler on a fake runtime whose default is max Ps.
func started(max int) (*fakeRuntime, *Scaler) {
	f := &fakeRuntime{}
	s := testScaler(max, f)
	s.Start(context.Background())
	return f, s
}

// testScaler is a Scaler on the fake runtime f, whose default is max Ps.
func testScaler(max int, f *fakeRuntime) *Scaler {
	f.max, f.procs = max, max
	s := New(Config{})
	s.cpuTime, s.set, s.get = f.cpuTime, f.set, f.get
	s.max.Store(int32(max))
	s.procs.Store(int32(max))
	return s
}

func TestScalerFollowsLoad(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f, s := started(4)
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
		s.Stop() // a second Stop changes nothing
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

func TestScalerScaleUpTakesTheNewDefault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f, s := started(4)
		f.change(func() { f.max = 3 }) // the CPU limit changed while on one P
		f.load(0.9)
		time.Sleep(300 * time.Millisecond)
		if s.Procs() != 3 || s.Max() != 3 {
			t.Fatalf("after scale-up: %d Ps, max %d; want the runtime's new default 3", s.Procs(), s.Max())
		}
		s.Stop()
	})
}

func TestScalerLeavesAnOutsideChange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f, s := started(4)
		f.change(func() { f.procs = 2 }) // someone else called runtime.GOMAXPROCS
		f.load(0.9)
		time.Sleep(time.Second)
		synctest.Wait()
		s.Stop()
		if got := f.get(); got != 2 {
			t.Fatalf("GOMAXPROCS %d after Stop, want the outside value 2 left alone", got)
		}
		if s.Changes() != 1 {
			t.Fatalf("changes %d, want only Start's", s.Changes())
		}
	})
}

func TestScalerStopsWithContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeRuntime{}
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
	f := &fakeRuntime{}
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

// noEnv runs the test without GOMAXPROCS in the environment, whatever CI set.
func noEnv(t *testing.T) {
	t.Setenv("GOMAXPROCS", "") // restores the old value at the end
	os.Unsetenv("GOMAXPROCS")
	prev := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
}

func TestApplyEnvironmentWins(t *testing.T) {
	for _, env := range []string{"2", "1"} {
		t.Setenv("GOMAXPROCS", env)
		if s, what := Apply(context.Background(), 3, nil); s != nil || !strings.Contains(what, "environment") {
			t.Fatalf("GOMAXPROCS=%s: scaler %v, %q; want the environment to win", env, s, what)
		}
	}
	t.Setenv("GOMAXPROCS", "lots") // the runtime ignores this value; so does Apply
	prev := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	if s, what := Apply(context.Background(), 3, nil); s != nil || what != "3 (fixed)" {
		t.Fatalf("GOMAXPROCS=lots: %q, want the configured 3", what)
	}
}

func TestApplyFixed(t *testing.T) {
	noEnv(t)
	s, what := Apply(context.Background(), 3, nil)
	if s != nil || runtime.GOMAXPROCS(0) != 3 || what != "3 (fixed)" {
		t.Fatalf("Apply(3): scaler %v, GOMAXPROCS %d, %q", s, runtime.GOMAXPROCS(0), what)
	}
}

func TestApplyAdaptive(t *testing.T) {
	noEnv(t)
	runtime.GOMAXPROCS(2) // as on the 2-CPU machines this runs on, whatever the host
	s, what := Apply(context.Background(), 0, nil)
	if s == nil {
		t.Fatal("Apply(0) started no Scaler")
	}
	if !strings.HasPrefix(what, "adaptive 1–2") || runtime.GOMAXPROCS(0) != 1 {
		t.Fatalf("Apply(0): %q, GOMAXPROCS %d; want adaptive on one P", what, runtime.GOMAXPROCS(0))
	}
	s.Stop()
	if got := runtime.GOMAXPROCS(0); got < 1 || got != s.Max() {
		t.Fatalf("after Stop: GOMAXPROCS %d, want the runtime's default %d", got, s.Max())
	}
}
