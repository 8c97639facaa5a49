package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// sippProc is one sipp process this package started. It runs in its own
// session, so its own process group (stop ends exactly it, never a kill by
// name: other people's sipps may run on the machine) and, where the kernel
// groups sessions for CPU fairness (sched_autogroup), its own CPU share
// instead of sharing ours: like a peer on another machine.
type sippProc struct {
	name  string
	cmd   *exec.Cmd
	dir   string
	out   *capBuffer
	done  chan struct{}
	err   error // from Wait
	start time.Time
	end   time.Time
}

// startSipp runs bin with args in dir.
func startSipp(bin, dir, name string, args ...string) (*sippProc, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	out := &capBuffer{max: 16 << 10}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // own session: own process group, own autogroup
	p := &sippProc{name: name, cmd: cmd, dir: dir, out: out, done: make(chan struct{})}
	p.start = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() { // owned by p: ends when the process exits (stop kills it)
		p.err = cmd.Wait()
		p.end = time.Now()
		close(p.done)
	}()
	return p, nil
}

func (p *sippProc) pid() int { return p.cmd.Process.Pid }

// cpu is the process's CPU time so far (exact after exit).
func (p *sippProc) cpu() (time.Duration, error) {
	select {
	case <-p.done:
		if ru, ok := p.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			return rusageCPU(ru), nil
		}
		return 0, fmt.Errorf("%s: no rusage", p.name)
	default:
	}
	return procCPU(p.pid())
}

// switches is the exited process's context switches (see selfSwitches);
// -1 while it runs.
func (p *sippProc) switches() int64 {
	select {
	case <-p.done:
		if ru, ok := p.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			return rusageSwitches(ru)
		}
	default:
	}
	return -1
}

// wait waits for the process to exit by itself, or stops it when ctx ends.
func (p *sippProc) wait(ctx context.Context) error {
	select {
	case <-p.done:
		return nil
	case <-ctx.Done():
		p.stop()
		return fmt.Errorf("%s: %w", p.name, ctx.Err())
	}
}

// exitCode is sipp's exit status: 0 all calls succeeded, 1 some failed.
func (p *sippProc) exitCode() int { return p.cmd.ProcessState.ExitCode() }

// stop kills the process group we created and waits for the process.
func (p *sippProc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = syscall.Kill(-p.pid(), syscall.SIGKILL)
	<-p.done
}

// exited reports whether the process ended.
func (p *sippProc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// output is the tail of what the process printed and its error trace.
func (p *sippProc) output() string {
	s := p.out.String()
	if m, _ := filepath.Glob(filepath.Join(p.dir, "*_errors.log")); len(m) > 0 {
		if b, err := os.ReadFile(m[0]); err == nil {
			s += "\n" + string(b)
		}
	}
	s = strings.TrimSpace(s)
	if len(s) > 1500 {
		s = "…" + s[len(s)-1500:]
	}
	return s
}

// sippVersion is the first line of `sipp -v`.
func sippVersion(bin string) (string, error) {
	out, _ := exec.Command(bin, "-v").CombinedOutput() // sipp -v exits non-zero
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); strings.Contains(l, "SIPp") {
			return l, nil
		}
	}
	return "", fmt.Errorf("%s -v: not sipp: %q", bin, bytes.TrimSpace(out))
}

// waitBound polls until sipp bound its SIP port (an external process: no
// channel to wait on).
func waitBound(ctx context.Context, p *sippProc, port int) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.NewTimer(5 * time.Second)
	defer deadline.Stop()
	for !udpBound(port) {
		select {
		case <-tick.C:
		case <-p.done:
			return fmt.Errorf("%s exited at start: %s", p.name, p.output())
		case <-deadline.C:
			p.stop()
			return fmt.Errorf("%s did not bind 127.0.0.1:%d: %s", p.name, port, p.output())
		case <-ctx.Done():
			p.stop()
			return ctx.Err()
		}
	}
	return nil
}

// capBuffer keeps the last max bytes written to it (sipp's errors come last).
type capBuffer struct {
	mu  sync.Mutex
	max int
	b   bytes.Buffer
}

func (c *capBuffer) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.b.Write(p)
	if extra := c.b.Len() - c.max; extra > 0 {
		c.b.Next(extra)
	}
	return len(p), nil
}

func (c *capBuffer) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.b.String()
}
