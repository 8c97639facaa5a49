package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"time"

	"outreach/procs"
)

// Run runs the selected sections and returns the report. On a section's
// error the report holds what was measured before it.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	sipp := cfg.has(SectionSetup) || cfg.has(SectionMedia) // the sections against sipp, which run as a robot process does
	gomaxprocs, procsDesc := runtime.GOMAXPROCS(0), ""
	if sipp {
		var scaler *procs.Scaler
		scaler, procsDesc = procs.Apply(context.WithoutCancel(ctx), cfg.Procs, cfg.Logger)
		if scaler != nil {
			defer scaler.Stop()
			cfg.procsChanges = scaler.Changes
		}
	}
	rep := &Report{Started: time.Now(), Host: Host{CPUs: runtime.NumCPU(), GOMAXPROCS: gomaxprocs, Procs: procsDesc, GOGC: cfg.GCPercent, LoadBefore: loadAvg()}}
	defer func() {
		rep.Elapsed = time.Since(rep.Started)
		rep.Host.LoadAfter = loadAvg()
	}()
	if sipp {
		if rep.Host.SippVersion, err = sippVersion(cfg.Sipp); err != nil {
			return rep, fmt.Errorf("bench: %w (install sipp: apt-get install sip-tester, or scripts/provision.sh)", err)
		}
	}
	dir, err := os.MkdirTemp("", "outreach-bench-")
	if err != nil {
		return rep, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(dir)
	for _, s := range cfg.Sections {
		switch s {
		case SectionSetup:
			err = runSetup(ctx, cfg, dir, rep)
		case SectionMedia:
			err = runMedia(ctx, cfg, dir, rep)
		case SectionFrame:
			err = runFrame(cfg, rep)
		}
		if err != nil {
			return rep, fmt.Errorf("bench %s: %w", s, err)
		}
	}
	return rep, nil
}
