package bench

import (
	"fmt"
	"testing"
	"time"

	"outreach/media"
)

// frameBench is one per-frame micro-benchmark: f processes one 20 ms frame.
type frameBench struct {
	name string
	f    func()
}

// frameBenches builds the micro-benchmarks over shared, preallocated
// buffers (each is run alone, never concurrently).
func frameBenches() ([]frameBench, error) {
	pcm := media.Tone([]float64{440, 1000}, media.FrameDuration, 0.5)
	alaw, ulaw := make([]byte, media.FrameSamples), make([]byte, media.FrameSamples)
	media.EncodeALaw(alaw, pcm)
	media.EncodeULaw(ulaw, pcm)
	out := make([]int16, media.FrameSamples)
	key, err := media.DTMFTone('5', 100*time.Millisecond)
	if err != nil {
		return nil, fmt.Errorf("frame bench: %w", err)
	}
	signal := append(key, media.Silence(100*time.Millisecond)...) // a key press, then a gap: 10 frames
	det := media.NewDTMFDetector()
	i := 0
	return []frameBench{
		{"PCMA encode", func() { media.EncodeALaw(alaw, pcm) }},
		{"PCMA decode", func() { media.DecodeALaw(out, alaw) }},
		{"PCMU encode", func() { media.EncodeULaw(ulaw, pcm) }},
		{"PCMU decode", func() { media.DecodeULaw(out, ulaw) }},
		{"DTMF detect", func() {
			det.Process(signal[i : i+media.FrameSamples])
			if i += media.FrameSamples; i+media.FrameSamples > len(signal) {
				i = 0
			}
		}},
	}, nil
}

// measure times f over about d (after one calibration pass) and counts its
// allocations, like testing.B with -benchtime d and -benchmem.
func measure(d time.Duration, f func()) (nsPerOp, allocsPerOp float64) {
	allocsPerOp = testing.AllocsPerRun(100, f)
	n := 100
	for {
		start := time.Now()
		for range n {
			f()
		}
		el := time.Since(start)
		if el >= d || n >= 1<<30 {
			return float64(el.Nanoseconds()) / float64(n), allocsPerOp
		}
		next := n * 2
		if el > 0 {
			next = int(float64(n) * 1.2 * float64(d) / float64(el))
		}
		n = min(max(next, n+1), 100*n)
	}
}

// runFrame measures the per-frame work; every one must not allocate.
func runFrame(cfg Config, rep *Report) error {
	benches, err := frameBenches()
	if err != nil {
		return err
	}
	for _, b := range benches {
		ns, allocs := measure(cfg.FrameBenchDur, b.f)
		rep.add(Row{Section: "frame", Metric: b.name + " time", Unit: "ns/frame", Ours: ns})
		rep.add(Row{Section: "frame", Metric: b.name + " allocations", Unit: "allocs/frame", Ours: allocs,
			Target: "0", Verdict: verdict(allocs == 0)})
	}
	rep.note("frame: one 20 ms frame (160 samples) per operation, in process; sipp has no counterpart")
	return nil
}
