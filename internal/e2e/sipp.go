package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Sipp is a running sipp instance.
type Sipp struct {
	*Process
	Addr      string // SIP address, 127.0.0.1:port
	MediaPort int
}

// SippUAS starts sipp as a gateway/resident running one of the scenarios in
// testdata/sipp (e.g. "uas_busy.xml") for calls calls. Every instance gets
// its own control and media ports (sipp's defaults 8888/6000 would collide).
func SippUAS(t testing.TB, scenario string, calls int, extra ...string) *Sipp {
	t.Helper()
	bin := RequireBinary(t, "sipp", "sip-tester")
	sf := filepath.Join(RepoRoot(t), "internal", "e2e", "testdata", "sipp", scenario)
	dir := t.TempDir()
	var port, mport int
	p := startRetry(t, "sipp "+scenario, 5*time.Second, func() (*Process, func() bool) {
		var cport int
		port, mport, cport = FreePort(t), FreePort(t), FreePort(t)
		args := []string{"-sf", sf, "-i", "127.0.0.1", "-mi", "127.0.0.1", "-p", strconv.Itoa(port),
			"-mp", strconv.Itoa(mport), "-cp", strconv.Itoa(cport), "-m", strconv.Itoa(calls),
			"-nostdin", "-trace_err", "-timeout", "60s", "-timeout_error"}
		if os.Getenv("E2E_DEBUG") != "" {
			args = append(args, "-trace_msg", "-message_file", filepath.Join(dir, "messages.log"))
		}
		args = append(args, extra...)
		p := start(t, "sipp "+scenario, dir, bin, args...)
		return p, func() bool { return udpBound(port) }
	})
	if os.Getenv("E2E_DEBUG") != "" {
		t.Cleanup(func() {
			if b, err := os.ReadFile(filepath.Join(dir, "messages.log")); err == nil && t.Failed() {
				t.Logf("--- sipp %s messages ---\n%s", scenario, tail(string(b), 12000))
			}
		})
	}
	return &Sipp{Process: p, Addr: fmt.Sprintf("127.0.0.1:%d", port), MediaPort: mport}
}
