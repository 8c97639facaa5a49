package e2e

import (
	"fmt"
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
	port, mport, cport := FreePort(t), FreePort(t), FreePort(t)
	sf := filepath.Join(RepoRoot(t), "internal", "e2e", "testdata", "sipp", scenario)
	dir := t.TempDir()
	args := []string{"-sf", sf, "-i", "127.0.0.1", "-mi", "127.0.0.1", "-p", strconv.Itoa(port),
		"-mp", strconv.Itoa(mport), "-cp", strconv.Itoa(cport), "-m", strconv.Itoa(calls),
		"-nostdin", "-trace_err", "-timeout", "60s", "-timeout_error"}
	args = append(args, extra...)
	p := start(t, "sipp "+scenario, dir, bin, args...)
	if !waitFor(5*time.Second, func() bool { return udpBound(port) }) {
		t.Fatalf("sipp %s did not bind 127.0.0.1:%d", scenario, port)
	}
	return &Sipp{Process: p, Addr: fmt.Sprintf("127.0.0.1:%d", port), MediaPort: mport}
}
