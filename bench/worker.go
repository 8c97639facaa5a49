package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"syscall"

	"outreach/procs"
)

// workerArgs are the arguments of the child process of one media run.
func workerArgs(cfg Config, ps peers, n int) []string {
	var addrs, ports, pids []string
	for _, p := range ps {
		addrs, ports = append(addrs, p.Addr), append(ports, strconv.Itoa(p.MediaPort))
		pids = append(pids, strconv.Itoa(p.PID))
	}
	args := []string{"-calls", strconv.Itoa(n), "-uas", strings.Join(addrs, ","), "-media-port", strings.Join(ports, ","),
		"-sipp-pid", strings.Join(pids, ","), "-duration", cfg.Duration.String(),
		"-media-rate", strconv.FormatFloat(cfg.MediaRate, 'f', -1, 64)}
	if cfg.NoDecode {
		args = append(args, "-no-decode")
	}
	if cfg.HeapProfile != "" {
		args = append(args, "-memprofile", cfg.HeapProfile)
	}
	return args
}

// WorkerMain runs one media run as told by args (what Config.Spawn is
// given) and writes its result as JSON to stdout, for the parent's report.
func WorkerMain(ctx context.Context, args []string, stdout io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("bench worker", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	def := DefaultConfig()
	n := fs.Int("calls", 0, "concurrent calls")
	addrs := fs.String("uas", "", "sipp UAS SIP addresses, comma separated")
	ports := fs.String("media-port", "", "their media (echo) ports")
	pids := fs.String("sipp-pid", "", "their process ids")
	dur := fs.Duration("duration", def.Duration, "measured window")
	rate := fs.Float64("media-rate", def.MediaRate, "calls set up per second")
	noDecode := fs.Bool("no-decode", false, "do not decode echoes")
	heap := fs.String("memprofile", "", "heap profile file")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("bench worker: %w", err)
	}
	ps, err := parsePeers(*addrs, *ports, *pids)
	if *n <= 0 || err != nil {
		return fmt.Errorf("bench worker: -calls, -uas, -media-port and -sipp-pid are required: %v", err)
	}
	cfg, err := Config{Duration: *dur, MediaRate: *rate, NoDecode: *noDecode, HeapProfile: *heap, Logger: logger}.withDefaults()
	if err != nil {
		return err
	}
	// Sized as the parent's side: adaptive, unless the parent passed a
	// fixed number as GOMAXPROCS.
	if scaler, _ := procs.Apply(context.WithoutCancel(ctx), 0, logger); scaler != nil {
		defer scaler.Stop()
		cfg.procsChanges = scaler.Changes
	}
	res, err := mediaRun(ctx, cfg, ps, *n)
	if err != nil {
		return fmt.Errorf("bench worker: %w", err)
	}
	return json.NewEncoder(stdout).Encode(res)
}

// parsePeers reads the comma-separated lists of workerArgs.
func parsePeers(addrs, ports, pids string) (peers, error) {
	a, p, d := strings.Split(addrs, ","), strings.Split(ports, ","), strings.Split(pids, ",")
	if addrs == "" || len(a) != len(p) || len(a) != len(d) {
		return nil, fmt.Errorf("peer lists differ in length or are empty")
	}
	ps := make(peers, len(a))
	for i := range a {
		port, err1 := strconv.Atoi(p[i])
		pid, err2 := strconv.Atoi(d[i])
		if err1 != nil || err2 != nil || port <= 0 || pid <= 0 {
			return nil, fmt.Errorf("peer %d: bad port %q or pid %q", i, p[i], d[i])
		}
		ps[i] = peer{Addr: a[i], MediaPort: port, PID: pid}
	}
	return ps, nil
}

// runWorker runs one media run in a child process made by cfg.Spawn.
func runWorker(ctx context.Context, cfg Config, ps peers, n int) (mediaResult, error) {
	cmd := cfg.Spawn(workerArgs(cfg, ps, n))
	var out bytes.Buffer
	errOut := &capBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = &out, errOut
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return mediaResult{}, fmt.Errorf("start worker: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }() // owned here: ends when the child exits
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // the group we created
		<-done
		return mediaResult{}, ctx.Err()
	}
	if err != nil {
		return mediaResult{}, fmt.Errorf("worker: %w: %s", err, errOut.String())
	}
	var res mediaResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return mediaResult{}, fmt.Errorf("worker output: %w: %q", err, out.String())
	}
	return res, nil
}
