package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"outreach/dialer"
	"outreach/sim"
)

// TestKamailioBalancesGateways: the shipped Kamailio configuration in front
// of two gateways (two sim servers) spreads new calls over both (dispatcher
// set 1, round robin), after digest auth.
func TestKamailioBalancesGateways(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var gws []*sim.Server
	for range 2 {
		s, err := sim.New(sim.Config{Listen: "127.0.0.1:0",
			Default: []sim.Weighted{{Weight: 1, Persona: sim.Persona{Name: "busy", Kind: sim.KindBusy}}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Stop)
		gws = append(gws, s)
	}
	k := StartKamailio(t, KamailioConfig{Gateways: []string{gws[0].Addr(), gws[1].Addr()}})
	d := startDialer(t, dialer.Trunk{Name: "kam", Addr: k.Addr, Username: k.User, Password: k.Password,
		CallerID: "02100000000"})
	for i := range 6 {
		e := dialErr(t, d, dialer.Request{Trunk: "kam", Number: fmt.Sprintf("1390003%04d", i), RingTimeout: 5 * time.Second})
		if e.Outcome != dialer.Busy {
			t.Fatalf("call %d: %v, want busy from a gateway", i, e)
		}
	}
	a, b := len(gws[0].Calls()), len(gws[1].Calls())
	if a+b != 6 || a == 0 || b == 0 {
		t.Fatalf("gateways got %d and %d calls; want 6 spread over both", a, b)
	}
	t.Logf("round robin: gateway 1 got %d calls, gateway 2 got %d", a, b)
}
