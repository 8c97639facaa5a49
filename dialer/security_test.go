package dialer

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
)

// sendRaw sends one datagram from laddr to the dialer and reports whether
// anything came back within wait.
func sendRaw(t *testing.T, laddr, to string, msg string, wait time.Duration) bool {
	t.Helper()
	c, err := net.ListenPacket("udp", laddr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ra, _ := net.ResolveUDPAddr("udp", to)
	if _, err := c.WriteTo([]byte(msg), ra); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(wait))
	buf := make([]byte, 4096)
	n, _, err := c.ReadFrom(buf)
	if err == nil {
		t.Logf("got response: %q", buf[:n])
	}
	return err == nil
}

func rawInvite(from, to string, extra string) string {
	return "INVITE sip:robot@" + to + " SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP " + from + ";rport;branch=z9hG4bK-stranger1\r\n" +
		"Max-Forwards: 70\r\nFrom: <sip:13812345678@" + from + ">;tag=s1\r\nTo: <sip:robot@" + to + ">\r\n" +
		"Call-ID: stranger-1\r\nCSeq: 1 INVITE\r\nContact: <sip:13812345678@" + from + ">\r\n" + extra +
		"Content-Length: 0\r\n\r\n"
}

func TestStrangerGetsNoResponse(t *testing.T) {
	t.Parallel()
	u := newUAS(t, answer(0))
	d := newTestDialer(t, u, nil)
	// 127.0.0.2 is not a trunk address: dropped before parsing.
	if sendRaw(t, "127.0.0.2:0", d.Addr(), rawInvite("127.0.0.2:5099", d.Addr(), ""), 300*time.Millisecond) {
		t.Error("stranger's INVITE answered")
	}
	// From the trunk's own address an out-of-dialog INVITE is dropped too,
	// and so is garbage (sipgo would answer a malformed request with 400).
	if sendRaw(t, "127.0.0.1:0", d.Addr(), rawInvite("127.0.0.1:5099", d.Addr(), ""), 300*time.Millisecond) {
		t.Error("out-of-dialog INVITE answered")
	}
	bye := strings.Replace(rawInvite("127.0.0.1:5099", d.Addr(), ""), "INVITE", "BYE", 2)
	if sendRaw(t, "127.0.0.1:0", d.Addr(), bye, 200*time.Millisecond) {
		t.Error("BYE for an unknown dialog answered")
	}
	// A trunk's OPTIONS is answered.
	opt := strings.Replace(rawInvite("127.0.0.1:5099", d.Addr(), ""), "INVITE", "OPTIONS", 2)
	if !sendRaw(t, "127.0.0.1:0", d.Addr(), opt, 2*time.Second) {
		t.Error("trunk OPTIONS not answered")
	}
	if sendRaw(t, "127.0.0.2:0", d.Addr(), opt, 200*time.Millisecond) {
		t.Error("stranger OPTIONS answered")
	}
}

func TestHandlerPanicRecovered(t *testing.T) {
	t.Parallel()
	u := newUAS(t, answer(0))
	d := newTestDialer(t, u, nil)
	req := sip.NewRequest(sip.INFO, sip.Uri{Scheme: "sip", Host: "127.0.0.1"})
	req.SetSource("127.0.0.1:5060")
	called := false
	h := d.guard(func(*sip.Request, sip.ServerTransaction) { called = true; panic("boom") })
	h(req, nil) // would crash the test binary if not recovered
	if called {
		t.Error("malformed request (no headers) reached the handler")
	}
	full, err := sip.ParseMessage([]byte(strings.Replace(rawInvite("127.0.0.1:5099", "127.0.0.1:5060", ""), "INVITE", "INFO", 2)))
	if err != nil {
		t.Fatal(err)
	}
	r := full.(*sip.Request)
	r.SetSource("127.0.0.1:5099")
	h(r, nil)
	if !called {
		t.Error("valid request did not reach the handler")
	}
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var elevenDigits = regexp.MustCompile(`\d{11}`)

func TestLogsMaskNumbers(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	u := newUAS(t, respond(486, "Busy Here"))
	d := newTestDialer(t, u, func(c *Config) { c.Logger = logger })
	_, _ = d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true})
	// Garbage from the trunk address makes sipgo log the raw bytes.
	sendRaw(t, "127.0.0.1:0", d.Addr(), "GARBAGE 13812345678 \r\n\r\n", 100*time.Millisecond)
	sendRaw(t, "127.0.0.1:0", d.Addr(), rawInvite("127.0.0.1:5099", d.Addr(), ""), 100*time.Millisecond)
	// Direct use of the handler: every attribute kind is masked.
	l := slog.New(NewMaskHandler(slog.NewTextHandler(&buf, nil)))
	l.With("n", "13912345678").WithGroup("g").Info("call 13712345678", "num", 13612345678,
		"err", context.Cause(context.Background()), "any", []string{"13512345678"}, slog.Group("x", "y", "13412345678"))
	out := buf.String()
	if out == "" {
		t.Fatal("nothing logged")
	}
	if m := elevenDigits.FindAllString(out, -1); len(m) > 0 {
		t.Fatalf("unmasked numbers in logs: %v\n%s", m, out)
	}
	if !strings.Contains(out, "failed to parse") || !strings.Contains(out, "138****5678") {
		t.Errorf("sipgo parse error not logged through the mask:\n%s", out)
	}
	if !strings.Contains(out, "137****5678") {
		t.Errorf("masked number missing:\n%s", out)
	}
}
