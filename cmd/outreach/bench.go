package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"outreach/bench"
	"outreach/dialer"
)

// runBench implements `outreach bench`: call setup, concurrent media and
// per-frame figures side by side with sipp, as a table or JSON.
func runBench(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "--worker" { // one media run, spawned by the parent
		return bench.WorkerMain(ctx, args[1:], e.stdout, e.logger)
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	f := newBenchFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	cfg, err := f.config(fs)
	if err != nil {
		return err
	}
	cfg.Logger = e.logger
	if *f.cpuProfile != "" {
		stop, err := startProfile(*f.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	return report(ctx, e, cfg, *f.asJSON, *f.strict)
}

// benchFlags are the flags of `outreach bench`.
type benchFlags struct {
	calls, conc, peers      *int
	rate, mediaRate         *float64
	mediaCalls, only, sipp  *string
	cpuProfile, memProfile  *string
	duration                *time.Duration
	noDecode, quick, asJSON *bool
	strict, inProcess       *bool
	gogc, procs             *int
}

func newBenchFlags(fs *flag.FlagSet) *benchFlags {
	def := bench.DefaultConfig()
	return &benchFlags{
		calls:      fs.Int("calls", def.Calls, "setup: calls per side"),
		rate:       fs.Float64("rate", def.Rate, "setup: calls started per second (sipp -r)"),
		conc:       fs.Int("concurrency", def.Concurrency, "setup: calls in progress at most (sipp -l)"),
		mediaCalls: fs.String("media-calls", "1000,2000", "media: concurrent calls per run, comma separated"),
		duration:   fs.Duration("duration", def.Duration, "media: measured window per run"),
		mediaRate:  fs.Float64("media-rate", def.MediaRate, "media: calls set up per second while ramping"),
		peers:      fs.Int("media-peers", bench.DefaultConfig().MediaPeers, "media: sipp -rtp_echo processes sharing the calls (one media socket each)"),
		noDecode:   fs.Bool("no-decode", false, "media: do not decode the echoed audio"),
		inProcess:  fs.Bool("in-process", false, "media: run every media run in this process (default: a child process each)"),
		only:       fs.String("only", "", "sections to run: setup,media,frame (default all)"),
		quick:      fs.Bool("quick", false, "small numbers (200 calls, 50 media calls for 2s); explicit flags still win"),
		sipp:       fs.String("sipp", "sipp", "sipp binary"),
		asJSON:     fs.Bool("json", false, "print the report as JSON"),
		strict:     fs.Bool("strict", false, "exit 1 when a target is missed"),
		cpuProfile: fs.String("cpuprofile", "", "write a CPU profile of this process to FILE (with --in-process it covers the media runs)"),
		memProfile: fs.String("memprofile", "", "write a heap profile of the first media run, all calls up, to FILE"),
		gogc:       fs.Int("gogc", dialer.DefaultGCPercent, "GC target of our side, as robot.gc_percent (GOGC in the environment wins)"),
		procs:      fs.Int("procs", 0, "GOMAXPROCS of our side, as robot.procs: 0 adaptive, N fixed (GOMAXPROCS in the environment wins)"),
	}
}

// config builds the bench configuration: the defaults (or --quick's), then
// the flags given explicitly.
func (f *benchFlags) config(fs *flag.FlagSet) (bench.Config, error) {
	cfg := bench.DefaultConfig()
	if *f.quick {
		cfg = bench.QuickConfig()
	}
	var err error
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "calls":
			cfg.Calls = *f.calls
		case "rate":
			cfg.Rate = *f.rate
		case "concurrency":
			cfg.Concurrency = *f.conc
		case "media-calls":
			cfg.MediaCalls, err = parseInts(*f.mediaCalls)
		case "duration":
			cfg.Duration = *f.duration
		case "media-rate":
			cfg.MediaRate = *f.mediaRate
		case "media-peers":
			cfg.MediaPeers = *f.peers
		}
	})
	if err != nil {
		return cfg, usageErr("--media-calls: %v", err)
	}
	if cfg.Sections, err = parseSections(*f.only); err != nil {
		return cfg, usageErr("--only: %v", err)
	}
	cfg.NoDecode, cfg.Sipp, cfg.HeapProfile = *f.noDecode, *f.sipp, *f.memProfile
	cfg.GCPercent = dialer.ApplyGCPercent(*f.gogc) // as the robot role does
	cfg.Procs = *f.procs                           // bench.Run applies it, as serve does robot.procs
	if !*f.inProcess {
		exe, err := os.Executable()
		if err != nil {
			return cfg, fmt.Errorf("bench: %w", err)
		}
		cfg.Spawn = func(args []string) *exec.Cmd {
			cmd := exec.Command(exe, append([]string{"bench", "--worker"}, args...)...)
			cmd.Env = append(os.Environ(), "GOGC="+gcEnv(cfg.GCPercent)) // the child runs with the same target
			if _, set := os.LookupEnv("GOMAXPROCS"); !set && *f.procs > 0 {
				cmd.Env = append(cmd.Env, "GOMAXPROCS="+strconv.Itoa(*f.procs)) // and the same fixed Ps (adaptive otherwise)
			}
			return cmd
		}
	}
	return cfg, nil
}

func report(ctx context.Context, e *env, cfg bench.Config, asJSON, strict bool) error {
	rep, runErr := bench.Run(ctx, cfg)
	if rep != nil {
		var err error
		if asJSON {
			err = rep.WriteJSON(e.stdout)
		} else {
			err = rep.WriteText(e.stdout)
		}
		if err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	switch {
	case runErr != nil:
		return runErr
	case rep.Failures > 0:
		return fmt.Errorf("%d failure(s) (failed calls or dropped packets)", rep.Failures)
	case strict && rep.Misses > 0:
		return fmt.Errorf("%d target(s) missed", rep.Misses)
	}
	return nil
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func parseSections(s string) ([]bench.Section, error) {
	if s == "" {
		return nil, nil
	}
	var out []bench.Section
	for _, f := range strings.Split(s, ",") {
		sec, err := bench.ParseSection(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, sec)
	}
	return out, nil
}

// startProfile starts a CPU profile into path; stop ends and closes it.
func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// gcEnv writes a GC target as the GOGC variable takes it.
func gcEnv(p int) string {
	if p < 0 {
		return "off"
	}
	return strconv.Itoa(p)
}
