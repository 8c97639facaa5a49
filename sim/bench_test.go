package sim

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkCall measures a whole call against the simulator over loopback:
// INVITE, 180, 200 with SDP, ACK, BYE, with `live` calls in flight.
func BenchmarkCall(b *testing.B) {
	for _, live := range []int{1, 50} {
		b.Run(fmt.Sprintf("live=%d", live), func(b *testing.B) {
			s, err := New(Config{Default: []Weighted{{Weight: 1, Persona: Persona{Name: "ok", Kind: KindAnswer}}}})
			if err != nil {
				b.Fatal(err)
			}
			if err := s.Start(context.Background()); err != nil {
				b.Fatal(err)
			}
			defer s.Stop()
			p := newPhone(b, "udp")
			var n atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			for range live {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for n.Add(1) <= int64(b.N) {
						benchOneCall(b, p, s)
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			_, peak := s.Concurrent()
			b.ReportMetric(float64(peak), "peak-live")
		})
	}
}

func benchOneCall(b *testing.B, p *phone, s *Server) {
	leg, offer := newTestLeg(p.t)
	defer leg.close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a := p.dial(ctx, s, "13800000000", offer, nil)
	if a.err != nil {
		b.Error(a.err)
		return
	}
	if err := a.sess.Bye(ctx); err != nil {
		b.Error(err)
	}
}
