package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"outreach/dialer"
	"outreach/sim"
)

// tortureMsg is one RFC 4475 torture message.
type tortureMsg struct {
	name string // valid/wsinv.dat
	data []byte
}

// loadTorture reads the RFC 4475 messages shipped in sipgo's module
// (sip/testdata/torture/{valid,invalid}/*.dat).
func loadTorture(t *testing.T) []tortureMsg {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/emiago/sipgo").Output()
	if err != nil {
		t.Fatalf("locate sipgo module: %v (run `go mod download github.com/emiago/sipgo`)", err)
	}
	root := filepath.Join(strings.TrimSpace(string(out)), "sip", "testdata", "torture")
	var msgs []tortureMsg
	for _, dir := range []string{"valid", "invalid"} {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*.dat"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			msgs = append(msgs, tortureMsg{name: dir + "/" + filepath.Base(f), data: b})
		}
	}
	if len(msgs) < 40 {
		t.Fatalf("found %d torture messages under %s, want the RFC 4475 set (~50)", len(msgs), root)
	}
	return msgs
}

// TestTorture sends every RFC 4475 torture message to the dialer's SIP port
// over UDP and TCP, from a stranger (127.0.0.2) and from the trunk's own
// address (127.0.0.1): the process must not crash, strangers must get no
// response at all, no goroutine may be left behind, and calls must still
// work afterwards. It runs alone (not parallel) so the goroutine count is
// the dialer's.
func TestTorture(t *testing.T) {
	msgs := loadTorture(t)
	udpSim := startAnswerSim(t, "udp://127.0.0.1:0")
	tcpSim := startAnswerSim(t, "tcp://127.0.0.1:0")
	d := startDialer(t, dialer.Trunk{Name: "udp", Addr: udpSim.Addr()},
		dialer.Trunk{Name: "tcp", Addr: tcpSim.Addr(), Transport: "tcp"})
	placeCall(t, d, "udp", "13800000101")
	placeCall(t, d, "tcp", "13800000102")
	base := settledGoroutines()

	t.Run("send", func(t *testing.T) { sendTorture(t, d.Addr(), msgs) })

	start := time.Now()
	var now int
	if !poll(10*time.Second, func() bool { now = runtime.NumGoroutine(); return now <= base }) {
		var b bytes.Buffer
		_ = pprof.Lookup("goroutine").WriteTo(&b, 1)
		t.Errorf("goroutines grew from %d to %d after the torture messages:\n%s", base, now, tail(b.String(), 8000))
	}
	t.Logf("goroutines: %d before, %d after (settled in %v)", base, now, time.Since(start).Round(time.Millisecond))
	placeCall(t, d, "udp", "13800000103")
	placeCall(t, d, "tcp", "13800000104")
}

// sendTorture sends the messages over UDP and TCP from a stranger and from
// the trunk's address, all four at once.
func sendTorture(t *testing.T, to string, msgs []tortureMsg) {
	for _, src := range []string{"127.0.0.2", "127.0.0.1"} {
		stranger := src != "127.0.0.1"
		t.Run("udp_from_"+src, func(t *testing.T) {
			t.Parallel()
			got := tortureUDP(t, to, src, msgs)
			if stranger && len(got) > 0 {
				t.Errorf("stranger got %d responses, first: %q", len(got), firstLine(got[0]))
			}
			for _, b := range got {
				t.Logf("response: %s", firstLine(b))
			}
		})
		t.Run("tcp_from_"+src, func(t *testing.T) {
			t.Parallel()
			got := tortureTCP(t, to, src, msgs)
			if stranger && len(got) > 0 {
				t.Errorf("stranger got responses: %v", got)
			}
			for k, v := range got {
				t.Logf("%s: %s", k, v)
			}
		})
	}
}

func startAnswerSim(t *testing.T, listen string) *sim.Server {
	t.Helper()
	s, err := sim.New(sim.Config{Listen: listen, Logger: testLogger(t),
		Default: []sim.Weighted{{Weight: 1, Persona: sim.Persona{Name: "answer", Kind: sim.KindAnswer}}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// placeCall checks the dialer still places a call on trunk: answered, a
// short prompt, hung up.
func placeCall(t *testing.T, d *dialer.Dialer, trunk, number string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := d.Dial(ctx, dialer.Request{Trunk: trunk, Number: number})
	if err != nil {
		t.Fatalf("dial via %s: %v", trunk, err)
	}
	if _, err := c.Play(ctx, testTone(200*time.Millisecond), false); err != nil {
		t.Errorf("play via %s: %v", trunk, err)
	}
	if err := c.Hangup(ctx); err != nil {
		t.Errorf("hangup via %s: %v", trunk, err)
	}
	if r := c.Result(); !r.Answered || r.Outcome != dialer.Completed {
		t.Errorf("call via %s: %+v", trunk, r)
	}
}

// settledGoroutines waits until the goroutine count stops falling (timers of
// finished calls and transactions ending) and returns it.
func settledGoroutines() int {
	last := runtime.NumGoroutine()
	stable := 0
	poll(10*time.Second, func() bool {
		n := runtime.NumGoroutine()
		if n >= last {
			stable++
		} else {
			stable = 0
		}
		last = min(last, n)
		return stable >= 10 // 200 ms without a drop
	})
	return last
}

// tortureUDP sends every message as one datagram from src and returns what
// came back within half a second of the last one.
func tortureUDP(t *testing.T, to, src string, msgs []tortureMsg) [][]byte {
	t.Helper()
	c, err := net.ListenPacket("udp", net.JoinHostPort(src, "0"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ra, err := net.ResolveUDPAddr("udp", to)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if _, err := c.WriteTo(m.data, ra); err != nil {
			t.Fatalf("send %s: %v", m.name, err)
		}
	}
	var got [][]byte
	buf := make([]byte, 65535)
	for {
		_ = c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
		n, _, err := c.ReadFrom(buf)
		if err != nil {
			return got
		}
		got = append(got, append([]byte(nil), buf[:n]...))
	}
}

// tortureTCP sends every message on its own connection from src (a broken
// message must not desynchronise the others) and returns, per message, what
// came back within half a second.
func tortureTCP(t *testing.T, to, src string, msgs []tortureMsg) map[string]string {
	t.Helper()
	dl := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 2 * time.Second}
	var mu sync.Mutex
	got := map[string]string{}
	var wg sync.WaitGroup
	for _, m := range msgs {
		wg.Go(func() {
			c, err := dl.Dial("tcp", to)
			if err != nil {
				t.Errorf("connect for %s: %v", m.name, err)
				return
			}
			defer c.Close()
			if _, err := c.Write(m.data); err != nil {
				return // the dialer may close a stranger's connection: fine
			}
			_ = c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
			b, err := io.ReadAll(io.LimitReader(c, 64<<10))
			var ne net.Error
			if len(b) > 0 || (err != nil && !(errors.As(err, &ne) && ne.Timeout())) {
				mu.Lock()
				got[m.name] = firstLine(b)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	// Only bytes count as a response; a reset connection is not one.
	for k, v := range got {
		if v == "" {
			delete(got, k)
		}
	}
	return got
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\r\n")
	return s
}
