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
// It owns one goroutine, between Start and Stop.
type Scaler struct {
	cfg Config
	max int

	// Seams for tests: the process's CPU time, the GOMAXPROCS setter.
	cpuTime func() (time.Duration, bool)
	set     func(n int)

	procs   atomic.Int32
	changes atomic.Int64

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// New returns a Scaler whose upper bound is the current GOMAXPROCS (the
// runtime's default unless something changed it). It changes nothing until
// Start.
func New(cfg Config) *Scaler {
	s := &Scaler{cfg: cfg.withDefaults(), max: runtime.GOMAXPROCS(0), cpuTime: processCPU,
		set: func(n int) { runtime.GOMAXPROCS(n) }}
	s.procs.Store(int32(s.max))
	return s
}

// Max is the number of Ps the process gets under load.
func (s *Scaler) Max() int { return s.max }

// Procs is the GOMAXPROCS the Scaler last set.
func (s *Scaler) Procs() int { return int(s.procs.Load()) }

// Changes counts the times the Scaler changed GOMAXPROCS.
func (s *Scaler) Changes() int64 { return s.changes.Load() }

// Start sets one P and samples the load until ctx ends or Stop is called.
// It does nothing where there is a single P anyway, or where this platform
// gives no process CPU time.
func (s *Scaler) Start(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done != nil || s.max <= 1 {
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

// Stop ends sampling and gives the process all its Ps back.
func (s *Scaler) Stop() {
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
	if s.Procs() != s.max {
		s.apply(s.max, "stop")
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
			if n := d.next(s.cfg, s.max, s.Procs(), used, wall); n != s.Procs() {
				s.apply(n, fmt.Sprintf("%.2f cores used over %v", used, wall.Round(time.Millisecond)))
			}
		}
	}
}

func (s *Scaler) apply(n int, why string) {
	s.set(n)
	from := s.procs.Swap(int32(n))
	s.changes.Add(1)
	s.cfg.Logger.Info("GOMAXPROCS changed", "from", from, "to", n, "why", why)
}

// decider is the rule, kept apart from time and the runtime so that a
// table test can walk it.
type decider struct {
	low time.Duration // how long the load has stayed under Down
}

// next returns the Ps to run with after an interval of wall time in which
// the process used used cores, running on cur Ps out of max.
func (d *decider) next(cfg Config, max, cur int, used float64, wall time.Duration) int {
	if used >= cfg.Up {
		d.low = 0
		return max
	}
	if cur == 1 {
		return 1
	}
	if used >= cfg.Down {
		d.low = 0
		return cur
	}
	d.low += wall
	if d.low >= cfg.Hold {
		d.low = 0
		return 1
	}
	return cur
}
