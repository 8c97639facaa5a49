package dialer

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
)

// BenchmarkDialNoMedia measures call setup (INVITE → 200 → ACK → BYE) on
// loopback without RTP, the dialer's load mode. Compare calls/s with
// `sipp -sn uac` against the same UAS in one run; never assert absolute times.
func BenchmarkDialNoMedia(b *testing.B) {
	u := newUAS(b, func(u *uas, req *sip.Request, tx sip.ServerTransaction) {
		res := sip.NewResponseFromRequest(req, 200, "OK", minimalSDP("127.0.0.1", 40000, 1, 1))
		res.To().Params.Add("tag", randToken(4))
		res.AppendHeader(&sip.ContactHeader{Address: sip.Uri{Scheme: "sip", Host: "127.0.0.1", Port: portOf(u.addr)}})
		_ = tx.Respond(res)
	})
	d, err := New(Config{Trunks: []Trunk{{Name: "gw1", Addr: u.addr, CallerID: "02150001234"}}, ListenAddr: "127.0.0.1:0"})
	if err != nil {
		b.Fatal(err)
	}
	if err := d.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer d.Stop()
	stop := make(chan struct{})
	defer close(stop)
	go func() { // drain the UAS's recordings
		for {
			select {
			case <-u.invites:
			case <-u.acks:
			case <-u.byes:
			case <-stop:
				return
			}
		}
	}()
	const workers = 32
	var next, failed atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				c, err := d.Dial(context.Background(), Request{Trunk: "gw1", Number: "13812345678", NoMedia: true, RingTimeout: 5 * time.Second})
				if err != nil {
					failed.Add(1)
					continue
				}
				_ = c.Hangup(context.Background())
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "calls/s")
	if failed.Load() > 0 {
		b.Errorf("%d of %d dials failed", failed.Load(), b.N)
	}
}
