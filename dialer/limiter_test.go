package dialer

import (
	"testing"
	"time"
)

func TestTokenBucket(t *testing.T) {
	t.Parallel()
	now := time.Unix(1000, 0)
	l := newTrunkLimiter(0, 2) // 2 calls/s, burst 2
	if w := l.reserve(now); w != 0 {
		t.Fatalf("first: %s", w)
	}
	if w := l.reserve(now); w != 0 {
		t.Fatalf("second (burst): %s", w)
	}
	if w := l.reserve(now); w != 500*time.Millisecond {
		t.Fatalf("third: %s", w)
	}
	if w := l.reserve(now); w != time.Second {
		t.Fatalf("fourth queues behind: %s", w)
	}
	l.cancelReservation()
	now = now.Add(2 * time.Second) // refill 4 tokens, capped at burst
	if w := l.reserve(now); w != 0 {
		t.Fatalf("after refill: %s", w)
	}
	unlimited := newTrunkLimiter(0, 0)
	for range 100 {
		if unlimited.reserve(now) != 0 {
			t.Fatal("unlimited waited")
		}
	}
}

func TestMaxCallsAndPause(t *testing.T) {
	t.Parallel()
	l := newTrunkLimiter(2, 0)
	if !l.acquireSlot() || !l.acquireSlot() || l.acquireSlot() {
		t.Fatal("max calls 2 not enforced")
	}
	l.releaseSlot()
	if !l.acquireSlot() || l.Active() != 2 {
		t.Fatal("slot not released")
	}
	now := time.Unix(0, 0)
	l.pause(now, time.Minute)
	l.pause(now, time.Second) // shorter pause does not shorten
	if p := l.paused(now.Add(10 * time.Second)); p != 50*time.Second {
		t.Fatalf("paused %s", p)
	}
	if p := l.paused(now.Add(2 * time.Minute)); p != 0 {
		t.Fatalf("still paused %s", p)
	}
}

func TestTrunkValidateAndRewrite(t *testing.T) {
	t.Parallel()
	good := Trunk{Name: "gw1", Addr: "10.0.0.1", CallerID: "02150001234",
		Rewrite: []RewriteRule{{Match: `^\+86`, Replace: ""}, {Match: `^(1\d{10})$`, Replace: "9$1"}}}
	rules, err := good.validate()
	if err != nil {
		t.Fatal(err)
	}
	if good.Addr != "10.0.0.1:5060" || good.Transport != "udp" || good.RegisterExpiry != time.Hour {
		t.Errorf("defaults: %+v", good)
	}
	for in, want := range map[string]string{"+8613812345678": "913812345678", "02150009999": "02150009999"} {
		if got, err := rewriteNumber(rules, in); err != nil || got != want {
			t.Errorf("rewrite %s = %s, %v", in, got, err)
		}
	}
	bad := []Trunk{
		{Name: "", Addr: "h", CallerID: "1"},
		{Name: "a", Addr: "", CallerID: "1"},
		{Name: "a", Addr: "h:99999", CallerID: "1"},
		{Name: "a", Addr: "h", CallerID: ""},
		{Name: "a", Addr: "h", CallerID: "1<x>"},
		{Name: "a", Addr: "h", CallerID: "1", Transport: "sctp"},
		{Name: "a", Addr: "h", CallerID: "1", Rewrite: []RewriteRule{{Match: "("}}},
		{Name: "a", Addr: "h", CallerID: "1", Register: true},
		{Name: "a", Addr: "h", CallerID: "1", Password: "p\nq"},
		{Name: "a", Addr: "h", CallerID: "1", MaxCalls: -1},
	}
	for i, tr := range bad {
		if _, err := tr.validate(); err == nil {
			t.Errorf("bad[%d] accepted", i)
		}
	}
	tls := Trunk{Name: "t", Addr: "sip.example.com", Transport: "TLS", CallerID: "1"}
	if _, err := tls.validate(); err != nil || tls.Addr != "sip.example.com:5061" {
		t.Errorf("tls default port: %v %s", err, tls.Addr)
	}
	if _, err := rewriteNumber([]compiledRule{{re: rules[0].re, replace: "\r\n"}}, "+86138"); err == nil {
		t.Error("rewrite to a CRLF accepted")
	}
}
