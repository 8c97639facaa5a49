package rtp

import (
	"fmt"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCalls runs N calls, each a pair of sessions sending 20 ms RTP to
// each other (both ways), every session decoding what it receives, all on
// one PacerGroup. One iteration is one 20 ms period. It reports CPU cores
// used, send lateness and the packets lost end to end.
func BenchmarkCalls(b *testing.B) {
	for _, calls := range []int{500, 1000, 2000} {
		b.Run(fmt.Sprintf("calls=%d", calls), func(b *testing.B) { benchCalls(b, calls) })
	}
}

func benchCalls(b *testing.B, calls int) {
	g := NewPacerGroup(0, nil)
	sessions := make([]*Session, 0, 2*calls)
	cfg := testCfg()
	cfg.PacerGroup = g
	for range calls {
		x, err := Listen(cfg)
		if err != nil {
			b.Fatal(err)
		}
		y, err := Listen(cfg)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range []*Session{x, y} {
			b.Cleanup(func() { _ = s.Close() })
			s.Frames() // decode everything (frames nobody reads are dropped and counted)
			sessions = append(sessions, s)
		}
		x.SetRemote(y.LocalAddr())
		y.SetRemote(x.LocalAddr())
	}
	for _, s := range sessions {
		s.Start(b.Context())
	}
	g.Start(b.Context())
	time.Sleep(300 * time.Millisecond) // warm up
	g.resetLateness()
	cpu0, wall0 := cpuTime(), time.Now()
	b.ResetTimer()
	for range b.N {
		time.Sleep(20 * time.Millisecond)
	}
	b.StopTimer()
	cpu, wall := cpuTime()-cpu0, time.Since(wall0)
	g.Stop()
	time.Sleep(100 * time.Millisecond) // in-flight packets land
	var out, in uint64                 // cumulative since the start: every packet sent must arrive
	for _, s := range sessions {
		st := s.Stats()
		out, in = out+st.PacketsOut, in+st.PacketsIn
	}
	var skipped uint64
	for _, p := range g.Pacers() {
		skipped += p.Skipped()
	}
	send := g.SendLateness()
	b.ReportMetric(cpu.Seconds()/wall.Seconds(), "cpu-cores")
	b.ReportMetric(float64(send.P99.Microseconds()), "send-p99-µs")
	b.ReportMetric(float64(send.Count)/wall.Seconds()/float64(2*calls), "pkts/s/session")
	b.ReportMetric(float64(int64(out)-int64(in)), "lost-pkts")
	b.ReportMetric(float64(skipped), "skipped-ticks")
	b.ReportMetric(schedP99().Seconds()*1e6, "sched-p99-µs")
}

// schedP99 is the Go scheduler's p99 runnable-to-running latency
// (runtime/metrics, cumulative for the process): it tells a starved process
// (OS) from a slow pacer.
func schedP99() time.Duration {
	sample := []metrics.Sample{{Name: "/sched/latencies:seconds"}}
	metrics.Read(sample)
	h := sample[0].Value.Float64Histogram()
	var total uint64
	for _, c := range h.Counts {
		total += c
	}
	var run uint64
	for i, c := range h.Counts {
		run += c
		if run >= total-total/100 {
			return time.Duration(h.Buckets[i+1] * float64(time.Second))
		}
	}
	return 0
}
