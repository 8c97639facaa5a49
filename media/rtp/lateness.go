package rtp

import (
	"sync/atomic"
	"time"
)

// Lateness summarises a lateness histogram. Percentiles are bucket upper
// bounds: 25 µs resolution up to 10 ms, 1 ms up to 210 ms.
type Lateness struct {
	Count    uint64
	P50, P99 time.Duration
	Max      time.Duration
}

const (
	fineStep    = 25 * time.Microsecond
	fineBuckets = int(10 * time.Millisecond / fineStep) // 400
	fineLimit   = time.Duration(fineBuckets) * fineStep
	coarseStep  = time.Millisecond
	coarseCount = 200
	histBuckets = fineBuckets + coarseCount + 1 // + overflow
)

// histogram is a fixed-bucket lateness histogram, written by one goroutine
// and read by any; it never allocates.
type histogram struct {
	buckets [histBuckets]atomic.Uint64
	count   atomic.Uint64
	max     atomic.Int64
}

func bucketOf(d time.Duration) int {
	switch {
	case d < 0:
		return 0
	case d < fineLimit:
		return int(d / fineStep)
	}
	i := fineBuckets + int((d-fineLimit)/coarseStep)
	return min(i, histBuckets-1)
}

func bucketUpper(i int) time.Duration {
	if i < fineBuckets {
		return time.Duration(i+1) * fineStep
	}
	return fineLimit + time.Duration(i-fineBuckets+1)*coarseStep
}

// add records one observation, n times.
func (h *histogram) add(d time.Duration, n uint64) {
	h.buckets[bucketOf(d)].Add(n)
	h.count.Add(n)
	if int64(d) > h.max.Load() {
		h.max.Store(int64(d)) // single writer
	}
}

// summary computes the percentiles.
func (h *histogram) summary() Lateness {
	var counts [histBuckets]uint64
	var total uint64
	for i := range h.buckets {
		counts[i] = h.buckets[i].Load()
		total += counts[i]
	}
	return summarize(&counts, total, time.Duration(h.max.Load()))
}

func summarize(counts *[histBuckets]uint64, total uint64, maxv time.Duration) Lateness {
	l := Lateness{Count: total, Max: maxv}
	if total == 0 {
		return l
	}
	p50, p99 := (total+1)/2, total-total/100
	var run uint64
	for i, c := range counts {
		run += c
		if l.P50 == 0 && run >= p50 {
			l.P50 = min(bucketUpper(i), maxv)
		}
		if run >= p99 {
			l.P99 = min(bucketUpper(i), maxv)
			break
		}
	}
	return l
}

// mergeLateness combines histograms (for a PacerGroup).
func mergeLateness(hs []*histogram) Lateness {
	var counts [histBuckets]uint64
	var total uint64
	var maxv time.Duration
	for _, h := range hs {
		for i := range h.buckets {
			c := h.buckets[i].Load()
			counts[i] += c
			total += c
		}
		maxv = max(maxv, time.Duration(h.max.Load()))
	}
	return summarize(&counts, total, maxv)
}

// reset clears the histogram (benchmarks measure after a warm-up). Safe to
// call while the writer runs: a few concurrent observations may be lost.
func (h *histogram) reset() {
	for i := range h.buckets {
		h.buckets[i].Store(0)
	}
	h.count.Store(0)
	h.max.Store(0)
}
