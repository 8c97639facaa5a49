package e2e

import (
	"bytes"
	"context"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"
)

// RequireBinary returns the path of name, or fails the test with the
// command that installs it.
func RequireBinary(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: run `sudo bash scripts/provision.sh` (or `apt-get install %s`)", name, debianPackage)
	}
	return p
}

// Process is a peer started for one test.
type Process struct {
	Name string
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
	err  error
}

// start runs the command in its own process group; the test's cleanup kills
// the whole group and, if the test failed, prints the peer's output.
func start(t testing.TB, name string, dir string, path string, args ...string) *Process {
	t.Helper()
	cmd := exec.Command(path, args...)
	cmd.Dir = dir
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	p := &Process{Name: name, cmd: cmd, out: out, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.Kill()
		if t.Failed() {
			t.Logf("--- %s output ---\n%s", name, tail(out.String(), 6000))
		}
	})
	return p
}

// Kill stops the process group and waits for the process.
func (p *Process) Kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

// Wait waits for the process to exit and returns its exit code (-1 if ctx
// ended first).
func (p *Process) Wait(ctx context.Context) int {
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-ctx.Done():
		return -1
	}
}

// startRetry starts a peer with launch (which picks fresh ports) until its
// ready check holds. A peer that exits first — typically because another
// process took a port between FreePort and the peer's bind — is started
// again, up to 5 times; one that neither exits nor gets ready within wait
// fails the test.
func startRetry(t testing.TB, name string, wait time.Duration, launch func() (p *Process, ready func() bool)) *Process {
	t.Helper()
	for try := 1; ; try++ {
		p, ready := launch()
		waitFor(wait, func() bool { return ready() || p.exited() })
		switch {
		case ready():
			return p
		case !p.exited():
			t.Fatalf("%s did not become ready within %v", name, wait)
		case try == 5:
			t.Fatalf("%s exited at start 5 times; last output:\n%s", name, tail(p.Output(), 3000))
		}
		t.Logf("%s exited at start (try %d), retrying on new ports: %s", name, try, tail(p.Output(), 300))
	}
}

func (p *Process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Output is what the process printed so far.
func (p *Process) Output() string { return p.out.String() }

// Exited is closed when the process has exited.
func (p *Process) Exited() <-chan struct{} { return p.done }

// waitFor polls cond every 20 ms until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(20 * time.Millisecond) // polling an external process, not waiting for our own goroutines
	}
	return cond()
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 4<<20 { // keep memory bounded for chatty peers
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
