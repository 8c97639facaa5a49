package dialer

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// A trunk that rings, accepts our CANCEL with 200 but never sends the
// INVITE's final response: Dial must give up 64*T1 after the CANCEL
// (RFC 3261 §9.1) instead of waiting for ever (shortened here).
func TestCancelWithoutFinalResponse(t *testing.T) {
	t.Parallel()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	go ringNeverFinal(pc)
	d, err := New(Config{Trunks: []Trunk{{Name: "gw1", Addr: pc.LocalAddr().String(), CallerID: "1"}}})
	if err != nil {
		t.Fatal(err)
	}
	d.finalW = 300 * time.Millisecond
	if err := d.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer d.Stop()
	start := time.Now()
	_, err = d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true,
		RingTimeout: 100 * time.Millisecond})
	de := dialErr(t, err)
	if de.Outcome != NoAnswer || de.Status != 0 || !strings.Contains(de.Reason, "after CANCEL") {
		t.Fatalf("got %v (%v), want no_answer without a final response", err, de.Outcome)
	}
	if el := time.Since(start); el < 400*time.Millisecond || el > 3*time.Second {
		t.Errorf("gave up after %v, want ring timeout + final wait (~400ms)", el)
	}
}

// ringNeverFinal answers INVITE with 180 and CANCEL with 200, nothing else.
func ringNeverFinal(pc net.PacketConn) {
	buf := make([]byte, 65535)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			return
		}
		msg := string(buf[:n])
		var code string
		switch {
		case strings.HasPrefix(msg, "INVITE "):
			code = "180 Ringing"
		case strings.HasPrefix(msg, "CANCEL "):
			code = "200 OK"
		default:
			continue
		}
		res := "SIP/2.0 " + code + "\r\n"
		for _, line := range strings.Split(msg, "\r\n") {
			name, _, _ := strings.Cut(line, ":")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "via", "from", "call-id", "cseq":
				res += line + "\r\n"
			case "to":
				res += line + ";tag=ring1\r\n"
			}
		}
		_, _ = pc.WriteTo([]byte(res+"Content-Length: 0\r\n\r\n"), from)
	}
}
