package e2e

import (
	"context"
	"testing"
	"time"

	"outreach/dialer"
)

// sippCase is one sipp UAS scenario and what the dialer must make of it.
type sippCase struct {
	scenario string
	check    func(t *testing.T, d *dialer.Dialer, req dialer.Request)
}

var sippCases = []sippCase{
	{"uas_answer_pcap.xml", checkSippDigits("15#", true)},
	{"uas_answer_playdtmf.xml", checkSippDigits("246#", false)},
	{"uas_busy.xml", checkSippFailure(dialer.Busy, 486)},
	{"uas_noanswer.xml", checkSippNoAnswer},
	{"uas_early_404.xml", checkSippEarly404},
	{"uas_503.xml", checkSipp503},
}

// TestSippThroughKamailio places calls through Kamailio demanding digest
// auth (407 proxy mode and 401 www mode) to sipp UAS scenarios, and straight
// to sipp for comparison. Every sipp run must end with exit code 0: sipp
// saw the whole scenario (e.g. our CANCEL after the ring timeout).
func TestSippThroughKamailio(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"proxy", "www", "direct"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			for _, sc := range sippCases {
				t.Run(sc.scenario, func(t *testing.T) {
					t.Parallel()
					runSipp(t, mode, sc)
				})
			}
		})
	}
}

func runSipp(t *testing.T, mode string, sc sippCase) {
	s := SippUAS(t, sc.scenario, 1)
	trunk := dialer.Trunk{Name: "gw", Addr: s.Addr}
	if mode != "direct" {
		k := StartKamailio(t, KamailioConfig{AuthMode: mode, Gateways: []string{s.Addr}})
		trunk = dialer.Trunk{Name: "gw", Addr: k.Addr, Username: k.User, Password: k.Password}
	}
	d := startDialer(t, trunk)
	sc.check(t, d, dialer.Request{Trunk: "gw", Number: "13812345678"})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if code := s.Wait(ctx); code != 0 {
		t.Errorf("sipp %s exit code %d, want 0\n%s", sc.scenario, code, tail(s.Output(), 3000))
	}
}

// checkSippDigits answers, checks the audio sipp sends (when audio) and that
// every key arrives exactly once, then hangs up.
func checkSippDigits(want string, audio bool) func(*testing.T, *dialer.Dialer, dialer.Request) {
	return func(t *testing.T, d *dialer.Dialer, req dialer.Request) {
		c := dialOK(t, d, req)
		var heard chan []int16
		if audio { // g711a.pcap: 30 ms packets, speech from 0.96 s, cut at 2.5 s by the first key
			heard = make(chan []int16, 1)
			go func() { heard <- collectFrames(c, 3*time.Second) }()
		}
		if got := collectDigits(c, len(want), 8*time.Second, 700*time.Millisecond); got != want {
			t.Errorf("digits %q, want %q", got, want)
		}
		if audio {
			if a := audible(<-heard); a < 700*time.Millisecond {
				t.Errorf("heard %v of sipp's g711a.pcap audio, want > 700ms", a)
			}
		}
		hangup(t, c)
		if r := c.Result(); r.Outcome != dialer.Completed || r.HangupBy != "robot" {
			t.Errorf("result %+v", r)
		}
	}
}

func checkSippFailure(o dialer.Outcome, status int) func(*testing.T, *dialer.Dialer, dialer.Request) {
	return func(t *testing.T, d *dialer.Dialer, req dialer.Request) {
		if e := dialErr(t, d, req); e.Outcome != o || e.Status != status {
			t.Errorf("got %v (%v %d), want %v %d", e, e.Outcome, e.Status, o, status)
		}
	}
}

func checkSippNoAnswer(t *testing.T, d *dialer.Dialer, req dialer.Request) {
	req.RingTimeout = time.Second
	start := time.Now()
	e := dialErr(t, d, req)
	if e.Outcome != dialer.NoAnswer || e.Status != 487 {
		t.Errorf("got %v (%v %d), want no_answer 487", e, e.Outcome, e.Status)
	}
	if el := time.Since(start); el < time.Second || el > 5*time.Second {
		t.Errorf("no_answer after %v, want just after the 1 s ring timeout", el)
	}
}

func checkSippEarly404(t *testing.T, d *dialer.Dialer, req dialer.Request) {
	e := dialErr(t, d, req)
	if e.Outcome != dialer.InvalidNumber || e.Status != 404 {
		t.Errorf("got %v (%v %d), want invalid_number 404", e, e.Outcome, e.Status)
	}
	if a := audible(e.EarlyMedia); a < 500*time.Millisecond {
		t.Errorf("early media: %v audible of %d samples, want sipp's pcap audio", a, len(e.EarlyMedia))
	}
}

// checkSipp503: 503 with Retry-After 30 pauses the trunk; the next dial
// fails at once without sending anything, telling how long to wait.
// Kamailio relays it as is (deploy/kamailio/kamailio.cfg: remap_503_500 0).
func checkSipp503(t *testing.T, d *dialer.Dialer, req dialer.Request) {
	e := dialErr(t, d, req)
	if e.Outcome != dialer.TrunkError || e.Status != 503 ||
		e.RetryAfter < 25*time.Second || e.RetryAfter > 30*time.Second {
		t.Errorf("got %v (%v %d retry after %v), want trunk_error 503 retry after 30s", e, e.Outcome, e.Status, e.RetryAfter)
	}
	start := time.Now()
	e = dialErr(t, d, req)
	if e.Status != 0 || e.RetryAfter <= 0 || e.Outcome != dialer.TrunkError {
		t.Errorf("second dial: got %v (status %d retry after %v), want a paused trunk", e, e.Status, e.RetryAfter)
	}
	if el := time.Since(start); el > 100*time.Millisecond {
		t.Errorf("second dial took %v, want it to fail fast", el)
	}
	if st, ok := d.TrunkStatus("gw"); !ok || st.PausedFor <= 0 {
		t.Errorf("trunk status %+v, want paused", st)
	}
}
