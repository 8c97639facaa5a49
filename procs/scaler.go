package procs

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of Config.
const (
	DefaultInterval = 250 * time.Millisecond
	DefaultUp       = 0.30
	DefaultDown     = 0.15
	DefaultHold     = 2 * time.Second
)

// Config tunes a Scaler; zero fields take the defaults above.
type Config struct {
	Interval time.Duration // how often the process's CPU time is sampled
	Up       float64       // cores used over one interval that give the process all its Ps
	Down     float64       // cores used under which, for Hold, the process goes back to one P
	Hold     time.Duration // how long the load must stay under Down
	Logger   *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Interval <= 0 {
		c.Interval = DefaultInterval
	}
	if c.Up <= 0 {
		c.Up = DefaultUp
	}
	if c.Down <= 0 || c.Down >= c.Up {
		c.Down = min(DefaultDown, c.Up/2)
	}
	if c.Hold <= 0 {
		c.Hold = DefaultHold
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Scaler switches GOMAXPROCS between 1 and the runtime's default by load.
// It owns one goroutine, between Start and Stop. GOMAXPROCS belongs to the
// whole process: only the process's owner (`outreach serve`) runs one.
type Scaler struct {
	cfg Config
	max atomic.Int32 // the runtime's default, refreshed at each scale-up

	// Seams for tests: the process's CPU time; set sets n Ps (0: the
	// runtime's default) and returns the GOMAXPROCS in force; get reads it.
	cpuTime func() (time.Duration, bool)
	set     func(n int) int
	get     func() int

	procs   atomic.Int32
	changes atomic.Int64

	mu      sync.Mutex
	cancel  context.CancelFunc
	done    chan struct{}
	stopped bool
}

// New returns a Scaler whose upper bound is the current GOMAXPROCS (the
// runtime's default unless something changed it). It changes nothing until
// Start.
func New(cfg Config) *Scaler {
	s := &Scaler{cfg: cfg.withDefaults(), cpuTime: processCPU, set: setProcs, get: func() int { return runtime.GOMAXPROCS(0) }}
	s.max.Store(int32(runtime.GOMAXPROCS(0)))
	s.procs.Store(s.max.Load())
	return s
}

// setProcs sets n Ps, or with n 0 gives GOMAXPROCS back to the runtime,
// which then follows CPU limit and affinity changes again (Go 1.25).
func setProcs(n int) int {
	if n == 0 {
		runtime.SetDefaultGOMAXPROCS()
		return runtime.GOMAXPROCS(0)
	}
	runtime.GOMAXPROCS(n)
	return n
}

// Max is the number of Ps the process gets under load.
func (s *Scaler) Max() int { return int(s.max.Load()) }

// Procs is the GOMAXPROCS the Scaler last set.
func (s *Scaler) Procs() int { return int(s.procs.Load()) }

// Changes counts the times the Scaler changed GOMAXPROCS.
func (s *Scaler) Changes() int64 { return s.changes.Load() }

// Start sets one P and samples the load until ctx ends or Stop is called.
// It does nothing where there is a single P anyway, or where this platform
// gives no process CPU time. A Scaler runs once.
func (s *Scaler) Start(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done != nil || s.Max() <= 1 {
		return
	}
	if _, ok := s.cpuTime(); !ok {
		return
	}
	ctx, s.cancel = context.WithCancel(ctx)
	s.done = make(chan struct{})
	s.apply(1, "start: light load until measured otherwise")
	go s.run(ctx, s.done)
}

// Stop ends sampling and gives the process all its Ps back, unless
// something else has changed GOMAXPROCS meanwhile.
func (s *Scaler) Stop() {
	s.mu.Lock()
	cancel, done, again := s.cancel, s.done, s.stopped
	s.stopped = true
	s.mu.Unlock()
	if cancel == nil || again {
		return
	}
	cancel()
	<-done
	if s.Procs() == 1 && s.get() == 1 {
		s.apply(0, "stop")
	}
}

func (s *Scaler) run(ctx context.Context, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(s.cfg.Interval)
	defer t.Stop()
	var d decider
	last, _ := s.cpuTime()
	lastAt := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			cpu, _ := s.cpuTime()
			wall := now.Sub(lastAt)
			if wall <= 0 {
				continue
			}
			used := float64(cpu-last) / float64(wall)
			last, lastAt = cpu, now
			if got := s.get(); got != s.Procs() {
				s.cfg.Logger.Warn("GOMAXPROCS changed by someone else: no longer adapting it", "set", s.Procs(), "now", got)
				return
			}
			all := s.Procs() > 1
			if want := d.next(s.cfg, all, used, wall); want != all {
				n := 1
				if want {
					n = 0 // all: the runtime's default
				}
				s.apply(n, fmt.Sprintf("%.2f cores used over %v", used, wall.Round(time.Millisecond)))
			}
		}
	}
}

// apply sets n Ps (0: all, the runtime's default) and records it.
func (s *Scaler) apply(n int, why string) {
	got := s.set(n)
	if n == 0 {
		s.max.Store(int32(got))
	}
	from := s.procs.Swap(int32(got))
	s.changes.Add(1)
	s.cfg.Logger.Info("GOMAXPROCS changed", "from", from, "to", got, "why", why)
}

// decider is the rule, kept apart from time and the runtime so that a
// table test can walk it.
type decider struct {
	low time.Duration // how long the load has stayed under Down
}

// next says whether the process should run on all its Ps after an interval
// of wall time in which it used used cores, running on all of them or not.
func (d *decider) next(cfg Config, all bool, used float64, wall time.Duration) bool {
	switch {
	case used >= cfg.Up:
		d.low = 0
		return true
	case !all:
		return false
	case used >= cfg.Down:
		d.low = 0
		return true
	}
	d.low += wall
	if d.low >= cfg.Hold {
		d.low = 0
		return false
	}
	return true
}
