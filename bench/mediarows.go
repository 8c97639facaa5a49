package bench

import (
	"fmt"
	"runtime"
)

// Media targets.
const (
	mediaLatenessCalls = 1000 // send lateness target applies up to this many calls
	mediaLatenessP99   = 2.0  // ms
	mediaCoresCalls    = 2000 // "2,000 concurrent calls on 2 cores"
	mediaMemPerCallKiB = 32.0
)

func mediaRows(rep *Report, n int, r mediaResult) {
	sec := fmt.Sprintf("media %d", n)
	rep.add(Row{Section: sec, Metric: "calls up", Ours: float64(r.Up), Target: fmt.Sprint(n), Verdict: verdict(r.Up == n)})
	if r.FirstErr != "" {
		rep.note("%s: %d call(s) failed, first: %s", sec, r.Failed, r.FirstErr)
	}
	rep.Failures += r.Failed
	win := r.Window.Seconds()
	ourPer, sippPer := 0.0, 0.0
	if r.Up > 0 && win > 0 {
		ourPer = r.OurCPU.Seconds() * 1e6 / win / float64(r.Up)
		sippPer = r.SippCPU.Seconds() * 1e6 / win / float64(r.Up)
	}
	rep.add(Row{Section: sec, Metric: "CPU per call", Unit: "µs/s", Ours: ourPer, Sipp: ptr(sippPer),
		Target: "≤ 2× sipp", Verdict: verdict(sippPer > 0 && ourPer <= 2*sippPer)})
	if r.WindowOut+r.WindowIn > 0 && r.WindowIn > 0 {
		// sipp does one receive and one send per echoed packet; a packet its
		// full socket dropped costs it nothing, so per packet is the fair view.
		rep.add(Row{Section: sec, Metric: "CPU per packet handled", Unit: "µs", Ours: us(r.OurCPU) / float64(r.WindowOut+r.WindowIn),
			Sipp: ptr(us(r.SippCPU) / float64(2*r.WindowIn))})
	}
	rep.add(Row{Section: sec, Metric: "our Ps at the window's end (GOMAXPROCS)", Ours: float64(r.Procs)})
	rep.add(Row{Section: sec, Metric: "our GOMAXPROCS changes during the window", Ours: float64(r.ProcsChanges)})
	cores := Row{Section: sec, Metric: "CPU cores used", Ours: r.OurCPU.Seconds() / win, Sipp: ptr(r.SippCPU.Seconds() / win)}
	dropped := int64(r.Sent) - int64(r.Echoed) - int64(r.SippDrops)
	if n >= mediaCoresCalls {
		cpus := runtime.NumCPU()
		cores.Target = fmt.Sprintf("%d calls on %d cores", mediaCoresCalls, cpus)
		cores.Verdict = verdict(r.Up == n && dropped == 0 && cores.Ours < float64(cpus) && r.Skipped == 0)
	}
	rep.add(cores)
	rep.add(Row{Section: sec, Metric: "machine CPU busy, all processes", Unit: "cores", Ours: r.MachineCPU.Seconds() / win})
	rep.add(Row{Section: sec, Metric: "threads waiting for a CPU", Unit: "ms/s", Ours: ms(r.OurWait) / win, Sipp: ptr(ms(r.SippWait) / win)})
	rep.add(Row{Section: sec, Metric: "vCPU time taken by the hypervisor (steal)", Unit: "ms/s", Ours: ms(r.Steal) / win})
	p99 := Row{Section: sec, Metric: "send lateness p99", Unit: "ms", Ours: ms(r.Send.P99)}
	if n <= mediaLatenessCalls {
		p99.Target, p99.Verdict = fmt.Sprintf("≤ %g", mediaLatenessP99), verdict(p99.Ours <= mediaLatenessP99 && r.Send.Count > 0)
	}
	rep.add(Row{Section: sec, Metric: "send lateness p50", Unit: "ms", Ours: ms(r.Send.P50)})
	rep.add(p99)
	rep.add(Row{Section: sec, Metric: "send lateness max", Unit: "ms", Ours: ms(r.Send.Max)})
	rep.add(Row{Section: sec, Metric: "tick lateness p99", Unit: "ms", Ours: ms(r.Tick.P99)})
	rep.add(Row{Section: sec, Metric: "pacer ticks skipped", Ours: float64(r.Skipped)})
	lost := int64(r.Sent) - int64(r.Echoed)
	ours := max(lost-int64(r.SippDrops), 0) // not explained by sipp's full socket
	rep.add(Row{Section: sec, Metric: "packets sent", Ours: float64(r.Sent)})
	rep.add(Row{Section: sec, Metric: "packets echoed back", Ours: float64(r.Echoed)})
	rep.add(Row{Section: sec, Metric: "packets lost end to end", Ours: float64(max(lost, 0)),
		Target: "0", Verdict: verdict(lost <= 0 && r.Sent > 0)})
	rep.add(Row{Section: sec, Metric: "lost: dropped by sipp's full socket", Unit: "datagrams", Ours: float64(r.SippDrops)})
	rep.add(Row{Section: sec, Metric: "lost: on our side", Unit: "datagrams", Ours: float64(ours),
		Target: "0", Verdict: verdict(ours == 0)})
	rep.add(Row{Section: sec, Metric: "lost: dropped by our sockets", Unit: "datagrams", Ours: float64(r.OurDrops)})
	if r.Frames > 0 { // decoding: every frame reached the reader
		rep.add(Row{Section: sec, Metric: "decoded frames dropped (slow reader)", Ours: float64(r.FramesDropped),
			Target: "0", Verdict: verdict(r.FramesDropped == 0)})
		rep.Failures += int(r.FramesDropped)
	}
	rep.Failures += int(ours)
	rep.add(Row{Section: sec, Metric: "memory per call", Unit: "KiB", Ours: r.MemPerCall / 1024,
		Target: fmt.Sprintf("≤ %g", mediaMemPerCallKiB), Verdict: verdict(r.MemPerCall/1024 <= mediaMemPerCallKiB)})
	rep.add(Row{Section: sec, Metric: "memory per call: goroutine stacks", Unit: "KiB", Ours: r.StackPerCall / 1024})
}
