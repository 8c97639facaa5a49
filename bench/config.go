package bench

import (
	"fmt"
	"log/slog"
	"os/exec"
	"time"
)

// Section names one part of the benchmark.
type Section uint8

// Sections, in the order they run.
const (
	SectionSetup Section = iota
	SectionMedia
	SectionFrame
)

// String returns "setup", "media" or "frame".
func (s Section) String() string {
	switch s {
	case SectionSetup:
		return "setup"
	case SectionMedia:
		return "media"
	case SectionFrame:
		return "frame"
	}
	return fmt.Sprintf("Section(%d)", uint8(s))
}

// ParseSection is the inverse of String.
func ParseSection(s string) (Section, error) {
	for _, v := range []Section{SectionSetup, SectionMedia, SectionFrame} {
		if v.String() == s {
			return v, nil
		}
	}
	return 0, fmt.Errorf("unknown section %q (setup, media, frame)", s)
}

// Config says what to run. The zero value of a field takes the full-run
// default (DefaultConfig); Quick takes small numbers (for tests).
type Config struct {
	Sections []Section // nil = all

	Calls       int     // setup: calls per side (default 20000)
	Rate        float64 // setup: calls started per second (default 2000)
	Concurrency int     // setup: calls in progress at most (default 200)

	MediaCalls    []int         // media: concurrent calls per run (default 1000, 2000)
	Duration      time.Duration // media: measured hold window (default 10s)
	MediaRate     float64       // media: calls set up per second while ramping (default 1000)
	MediaPeers    int           // media: sipp -rtp_echo processes sharing the calls (default 4)
	NoDecode      bool          // media: do not decode what comes back (default: decode, like a robot)
	FrameBenchDur time.Duration // frame: time per micro-benchmark (default 1s)

	// HeapProfile, when set, is the file that receives a heap profile
	// (pprof) of the first media run where memory per call is measured.
	HeapProfile string
	// Spawn, when set, runs each media run in a child process: it returns
	// the command that calls WorkerMain with args (e.g. this binary with
	// "bench --worker" prepended). Each run then starts from a fresh heap
	// and runtime, and CPU is counted for that run alone. Nil: in process.
	Spawn func(args []string) *exec.Cmd

	// GCPercent is the GC target (GOGC) our side runs with, for the report:
	// the caller applies it (dialer.ApplyGCPercent), as the robot role does.
	GCPercent int
	// Procs sizes our side's Ps as robot.procs does a robot process's: 0
	// adaptive (procs.Scaler), N fixed; GOMAXPROCS in the environment wins.
	// Run applies it, and so does each media child (the caller passes a
	// fixed N to the children as GOMAXPROCS).
	Procs int
	// procsChanges counts our GOMAXPROCS changes so far (nil: fixed).
	procsChanges func() int64

	Sipp   string       // sipp binary (default: "sipp" on PATH)
	Logger *slog.Logger // progress; nil = discard
}

// DefaultConfig is the full benchmark.
func DefaultConfig() Config {
	return Config{
		Calls: 20000, Rate: 2000, Concurrency: 200,
		MediaCalls: []int{1000, 2000}, Duration: 10 * time.Second, MediaRate: 1000, MediaPeers: 4,
		FrameBenchDur: time.Second, Sipp: "sipp",
	}
}

// QuickConfig is a small run that finishes in a few seconds.
func QuickConfig() Config {
	return Config{
		Calls: 200, Rate: 400, Concurrency: 50,
		MediaCalls: []int{50}, Duration: 2 * time.Second, MediaRate: 500, MediaPeers: 2,
		FrameBenchDur: 20 * time.Millisecond, Sipp: "sipp",
	}
}

// withDefaults fills zero fields from DefaultConfig and checks the rest.
func (c Config) withDefaults() (Config, error) {
	d := DefaultConfig()
	if c.Sections == nil {
		c.Sections = []Section{SectionSetup, SectionMedia, SectionFrame}
	}
	if c.Calls == 0 {
		c.Calls = d.Calls
	}
	if c.Rate == 0 {
		c.Rate = d.Rate
	}
	if c.Concurrency == 0 {
		c.Concurrency = d.Concurrency
	}
	if c.MediaCalls == nil {
		c.MediaCalls = d.MediaCalls
	}
	if c.Duration == 0 {
		c.Duration = d.Duration
	}
	if c.MediaRate == 0 {
		c.MediaRate = d.MediaRate
	}
	if c.MediaPeers == 0 {
		c.MediaPeers = d.MediaPeers
	}
	if c.FrameBenchDur == 0 {
		c.FrameBenchDur = d.FrameBenchDur
	}
	if c.Sipp == "" {
		c.Sipp = d.Sipp
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	switch {
	case c.Calls < 0, c.Rate < 0, c.Concurrency < 0, c.Duration < 0, c.MediaRate < 0, c.MediaPeers < 0:
		return c, fmt.Errorf("bench config: negative value")
	case c.Rate > 100000:
		return c, fmt.Errorf("bench config: rate %.0f too high", c.Rate)
	case c.MediaPeers > 64:
		return c, fmt.Errorf("bench config: %d media peers, at most 64", c.MediaPeers)
	}
	for _, n := range c.MediaCalls {
		if n <= 0 || n > 20000 {
			return c, fmt.Errorf("bench config: media calls %d out of 1..20000", n)
		}
	}
	return c, nil
}

func (c Config) has(s Section) bool {
	for _, v := range c.Sections {
		if v == s {
			return true
		}
	}
	return false
}

// changesSoFar counts our GOMAXPROCS changes so far (0 when fixed).
func (c Config) changesSoFar() int64 {
	if c.procsChanges == nil {
		return 0
	}
	return c.procsChanges()
}
