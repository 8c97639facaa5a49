package sim

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"outreach/media/rfc4733"
)

func rule(match string, p Persona) Rule { return Rule{Match: match, Persona: p} }

func TestFailurePersonas(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Personas: []Rule{
		rule("13800000001", Persona{Name: "busy", Kind: KindBusy}),
		rule("13800000002", Persona{Name: "reject", Kind: KindReject}),
		rule("13800000003", Persona{Name: "gone", Kind: KindNotInService, RingFor: 20 * time.Millisecond}),
		rule("13800000004", Persona{Name: "off", Kind: KindNotInService, FinalStatus: 480}),
	}})
	p := newPhone(t, "udp")
	tests := []struct {
		number string
		codes  []int // provisional responses seen, then the final one
	}{
		{"13800000001", []int{486}},
		{"13800000002", []int{603}},
		{"13800000003", []int{180, 183, 404}},
		{"13800000004", []int{183, 480}},
	}
	for _, tc := range tests {
		t.Run(tc.number, func(t *testing.T) {
			t.Parallel()
			leg, offer := newTestLeg(t)
			defer leg.close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			a := p.dial(ctx, s, tc.number, offer, func(sdp []byte) { leg.connect(t, sdp) })
			if a.finalStatus() != tc.codes[len(tc.codes)-1] {
				t.Fatalf("final status %d (err %v), want %d", a.finalStatus(), a.err, tc.codes[len(tc.codes)-1])
			}
			got := slices.DeleteFunc(a.codes(), func(c int) bool { return c == 100 })
			if !slices.Equal(got, tc.codes) {
				t.Fatalf("responses %v, want %v", got, tc.codes)
			}
			eventually(t, 2*time.Second, "call end", func() bool {
				c, ok := callLog(s, tc.number)
				return ok && c.Finished
			})
			c, _ := callLog(s, tc.number)
			if c.Answered || c.EndedBy != EndedByCallee || c.Status != tc.codes[len(tc.codes)-1] {
				t.Fatalf("log %+v", c)
			}
		})
	}
}

func TestNoAnswerCancel(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Personas: []Rule{rule("1380000*", Persona{Name: "away", Kind: KindNoAnswer})}})
	p := newPhone(t, "udp")
	leg, offer := newTestLeg(t)
	defer leg.close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var a *attempt
	done := make(chan struct{})
	go func() {
		defer close(done)
		a = p.dial(ctx, s, "13800000009", offer, nil)
	}()
	select { // the 180 has reached the phone: CANCEL may go (RFC 3261 §9.1)
	case <-p.ringCh:
	case <-time.After(5 * time.Second):
		t.Fatal("no 180 at the phone")
	}
	if now, _ := s.Concurrent(); now != 1 {
		t.Fatalf("%d calls live at the sim while ringing, want 1", now)
	}
	cancel()
	<-done
	if a.finalStatus() != 487 {
		t.Fatalf("final %d err %v, want 487", a.finalStatus(), a.err)
	}
	if got := slices.DeleteFunc(a.codes(), func(c int) bool { return c == 100 }); !slices.Equal(got, []int{180}) {
		t.Fatalf("provisional responses %v, want [180]", got)
	}
	eventually(t, 5*time.Second, "call end", func() bool {
		c, _ := callLog(s, "13800000009")
		return c.Finished
	})
	c, _ := callLog(s, "13800000009")
	if c.EndedBy != EndedByCancel || c.Answered || c.Persona != "away" {
		t.Fatalf("log %+v", c)
	}
	if now, _ := s.Concurrent(); now != 0 {
		t.Fatalf("live %d after cancel", now)
	}
}

func TestAnswerCallerHangsUp(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Personas: []Rule{rule("re:^139", Persona{Name: "ok", Kind: KindAnswer, RingFor: 30 * time.Millisecond})}})
	p := newPhone(t, "udp")
	leg, offer := newTestLeg(t)
	defer leg.close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a := p.dial(ctx, s, "13900000001", offer, nil)
	if a.err != nil {
		t.Fatal(a.err)
	}
	got := slices.DeleteFunc(a.codes(), func(c int) bool { return c == 100 })
	if !slices.Equal(got, []int{180, 200}) {
		t.Fatalf("responses %v", got)
	}
	if now, _ := s.Concurrent(); now != 1 {
		t.Fatalf("live %d during call", now)
	}
	if err := a.sess.Bye(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	c, ok := s.Call(a.sess.InviteRequest.CallID().Value())
	if !ok || c.Number != "13900000001" {
		t.Fatalf("Call(id) = %+v, %v", c, ok)
	}
	if !c.Answered || c.EndedBy != EndedByCaller || c.AnswerAt.Sub(c.InviteAt) < 30*time.Millisecond {
		t.Fatalf("log %+v", c)
	}
}

func TestHangupPersonaSendsBye(t *testing.T) {
	t.Parallel()
	for _, network := range []string{"udp", "tcp"} {
		t.Run(network, func(t *testing.T) {
			s := startSim(t, Config{Listen: network + "://127.0.0.1:0",
				Default: []Weighted{{Weight: 1, Persona: Persona{Name: "short", Kind: KindHangup, HangupAfter: 100 * time.Millisecond}}}})
			p := newPhone(t, network)
			leg, offer := newTestLeg(t)
			defer leg.close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			a := p.dial(ctx, s, "13700000001", offer, nil)
			if a.err != nil {
				t.Fatal(a.err)
			}
			select {
			case <-p.byeCh:
			case <-ctx.Done():
				t.Fatal("no BYE from the sim")
			}
			eventually(t, 2*time.Second, "call end", func() bool {
				c, _ := callLog(s, "13700000001")
				return c.Finished
			})
			c, _ := callLog(s, "13700000001")
			if c.EndedBy != EndedByCallee || !c.Answered || c.Persona != "short" {
				t.Fatalf("log %+v", c)
			}
			if d := c.EndAt.Sub(c.AnswerAt); d < 100*time.Millisecond {
				t.Fatalf("hung up after %v", d)
			}
		})
	}
}

func TestDigitsByInfo(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Personas: []Rule{rule("13600000001", Persona{Name: "info", Kind: KindAnswer,
		HangupAfter: 400 * time.Millisecond,
		Digits: []DigitAt{
			{Digit: '1', At: 20 * time.Millisecond, Method: MethodInfo},
			{Digit: '#', At: 50 * time.Millisecond, Method: MethodInfo, Relative: true},
		}})}})
	p := newPhone(t, "udp")
	leg, offer := newTestLeg(t)
	defer leg.close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a := p.dial(ctx, s, "13600000001", offer, nil)
	if a.err != nil {
		t.Fatal(a.err)
	}
	<-p.byeCh
	var got []rune
	for _, body := range p.infoBodies() {
		d, dur, err := rfc4733.ParseDTMFRelay([]byte(body))
		if err != nil || dur != 100*time.Millisecond {
			t.Fatalf("INFO body %q: %v, %v", body, dur, err)
		}
		got = append(got, d)
	}
	if string(got) != "1#" {
		t.Fatalf("INFO digits %q, want 1#", string(got))
	}
	eventually(t, 2*time.Second, "call end", func() bool {
		c, _ := callLog(s, "13600000001")
		return c.Finished
	})
	if c, _ := callLog(s, "13600000001"); c.DigitsSent != "1#" {
		t.Fatalf("DigitsSent %q", c.DigitsSent)
	}
}

func TestParallelCallsCountAndConcurrency(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Default: []Weighted{{Weight: 1, Persona: Persona{Name: "ok", Kind: KindAnswer, RingFor: 50 * time.Millisecond}}}})
	p := newPhone(t, "udp")
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	hold := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			leg, offer := newTestLeg(t)
			defer leg.close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			a := p.dial(ctx, s, fmt.Sprintf("1350000%04d", i%25), offer, nil)
			if a.err != nil {
				errs <- a.err
				return
			}
			<-hold
			errs <- a.sess.Bye(ctx)
		}()
	}
	eventually(t, 10*time.Second, "50 live calls", func() bool { now, _ := s.Concurrent(); return now == n })
	close(hold)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 5*time.Second, "all calls end", func() bool { now, _ := s.Concurrent(); return now == 0 })
	if _, peak := s.Concurrent(); peak != n {
		t.Fatalf("peak %d, want %d", peak, n)
	}
	for i := range 25 {
		if got := s.InviteCount(fmt.Sprintf("1350000%04d", i)); got != 2 {
			t.Fatalf("InviteCount = %d, want 2", got)
		}
	}
	if got := len(s.Calls()); got != n {
		t.Fatalf("%d calls logged", got)
	}
}
