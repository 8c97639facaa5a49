package rtp

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"outreach/media"
)

const (
	// pacerSlots spreads the streams of a pacer over sub-ticks of the 20 ms
	// period (each stream keeps its own exact 20 ms cadence), so one tick
	// sends a quarter of the packets: less burst, lower lateness.
	pacerSlots = 4
	subTick    = media.FrameDuration / pacerSlots
	// maxCatchUp is how many missed sub-ticks a late pacer still serves;
	// beyond that it skips ahead (counting the skipped ticks) rather than bursting.
	maxCatchUp = 10 * pacerSlots
)

// Pacer sends the packets of many streams on one 20 ms timeline: one
// goroutine, one timer, deadlines computed from the start time (start + n·5
// ms, each stream served on every fourth sub-tick) so lateness never
// accumulates into drift. It records how late each tick
// woke up and how late each packet left (fixed-bucket histograms).
//
// On the same sub-tick, after sending, it reads each stream's session
// socket (polled, outside Go's netpoller): however many calls, each pacer
// wakes 200 times a second, and no goroutine wakes per packet received.
type Pacer struct {
	log *slog.Logger

	mu      sync.Mutex
	streams [pacerSlots][]*stream
	count   int
	cancel  context.CancelFunc
	done    chan struct{}
	wake    chan struct{} // a stream was added

	active  []*stream                 // tick scratch, pacer goroutine only
	spread  [pacerSlots]time.Duration // how long each slot's sends took last time, pacer goroutine only
	tickH   histogram
	sendH   histogram
	skipped atomic.Uint64
}

// NewPacer returns a stopped pacer; Start runs it.
func NewPacer(logger *slog.Logger) *Pacer {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Pacer{log: logger, wake: make(chan struct{}, 1)}
}

// Start runs the pacer goroutine until ctx is done or Stop is called.
// Starting a running pacer does nothing.
func (p *Pacer) Start(ctx context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cancel != nil {
		return
	}
	ctx, p.cancel = context.WithCancel(ctx)
	p.done = make(chan struct{})
	go p.run(ctx, p.done)
}

// Stop ends the pacer goroutine and waits for it.
func (p *Pacer) Stop() {
	p.mu.Lock()
	cancel, done := p.cancel, p.done
	p.cancel = nil
	p.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// Lateness reports how far from their aim the pacer's ticks woke up
// (absolute deviation): the timer's precision. A tick aims half its slot's
// send spread before the deadline, and its timer earlier still (see run).
func (p *Pacer) Lateness() Lateness { return p.tickH.summary() }

// SendLateness reports, for every packet sent, how far from its deadline the
// write returned (absolute deviation, early or late): the jitter the
// receiver sees from the sender.
func (p *Pacer) SendLateness() Lateness { return p.sendH.summary() }

// Streams returns the number of streams on the pacer.
func (p *Pacer) Streams() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count
}

func (p *Pacer) add(st *stream) {
	p.mu.Lock()
	slot := 0
	for i := range p.streams {
		if len(p.streams[i]) < len(p.streams[slot]) {
			slot = i
		}
	}
	st.slot, st.idx = slot, len(p.streams[slot])
	p.streams[slot] = append(p.streams[slot], st)
	p.count++
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *Pacer) remove(st *stream) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i, list := st.idx, p.streams[st.slot]
	if i < 0 || i >= len(list) || list[i] != st {
		return
	}
	last := len(list) - 1
	list[i] = list[last]
	list[i].idx = i
	list[last] = nil
	p.streams[st.slot] = list[:last]
	p.count--
	st.idx = -1
}

// snapshot copies the streams of one slot into the tick scratch slice and
// returns them with the pacer's total.
func (p *Pacer) snapshot(slot int) ([]*stream, int) {
	p.mu.Lock()
	p.active = append(p.active[:0], p.streams[slot]...)
	n := p.count
	p.mu.Unlock()
	return p.active, n
}

func (p *Pacer) run(ctx context.Context, done chan struct{}) {
	defer close(done)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		if !p.waitStreams(ctx) {
			return
		}
		base := time.Now()
		var lead leadEstimate
		for n := p.nextBusy(0); ; n = p.nextBusy(n) {
			deadline := base.Add(time.Duration(n) * subTick)
			// Go timers fire late (0-1 ms, the netpoller sleeps in whole
			// milliseconds, and more under load): aim the timer early, so
			// the send times centre on the deadline (see leadEstimate).
			// The slot's packets leave one after another over its
			// spread: start half of it early, so they centre on the deadline.
			aim := deadline.Add(-p.spread[n%pacerSlots] / 2)
			target := aim.Add(-lead.lead())
			wait := time.Until(target)
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				return
			case <-timer.C:
			}
			now := time.Now()
			if wait > 0 { // catch-up ticks say nothing about timer delay
				lead.learn(now.Sub(target))
			}
			late := now.Sub(deadline)
			p.tickH.add(absDur(now.Sub(aim)), 1)
			if late > maxCatchUp*subTick {
				skip := int64(late/media.FrameDuration) * pacerSlots // keep the slot phase
				p.skipped.Add(uint64(skip))
				n += skip
				deadline = deadline.Add(time.Duration(skip) * subTick)
			}
			if p.tick(int(n%pacerSlots), n/pacerSlots+1, deadline) == 0 {
				break // idle: park until a stream is added
			}
		}
	}
}

// nextBusy returns the first sub-tick after n whose slot has streams, so a
// pacer with few streams (a private one has a single stream) wakes only when
// it has something to send.
func (p *Pacer) nextBusy(n int64) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := int64(1); i <= pacerSlots; i++ {
		if len(p.streams[(n+i)%pacerSlots]) > 0 {
			return n + i
		}
	}
	return n + 1
}

// maxLead bounds how early the pacer aims its timer.
const maxLead = 1500 * time.Microsecond

// leadEstimate learns how early to aim the timer. The timer's delay has a
// floor near zero and a long late tail, never an early one; what counts is
// the largest deviation most ticks see (the p99 of pacing lateness), so the
// lead is the midpoint of the delay's range, from its 5th to its 99th
// percentile, not its median (which would leave the late tail twice as far
// from the deadline as the early side).
type leadEstimate struct{ lo, hi time.Duration }

// Quantiles tracked: each observation moves an estimate one small step, up
// by q·step when above it and down by (1-q)·step otherwise, so it settles
// where a fraction 1-q of the delays lie above (stochastic quantile).
const (
	leadStep = 20 * time.Microsecond
	leadLoQ  = 0.05
	leadHiQ  = 0.99
)

func (e *leadEstimate) learn(delay time.Duration) {
	e.lo = quantileStep(e.lo, delay, leadLoQ)
	e.hi = quantileStep(e.hi, delay, leadHiQ)
}

// lead is the midpoint of the delay's range, at most maxLead.
func (e *leadEstimate) lead() time.Duration { return min((e.lo+e.hi)/2, maxLead) }

func quantileStep(est, x time.Duration, q float64) time.Duration {
	if x > est {
		return min(est+time.Duration(q*float64(leadStep)), 2*maxLead)
	}
	return max(est-time.Duration((1-q)*float64(leadStep)), 0)
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// waitStreams blocks until the pacer has a stream (true) or ctx is done.
func (p *Pacer) waitStreams(ctx context.Context) bool {
	for {
		p.mu.Lock()
		n := p.count
		p.mu.Unlock()
		if n > 0 {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-p.wake:
		}
	}
}

// tick produces and sends the next packets of the streams of one slot, then
// reads what their sessions received, and returns the pacer's number of
// streams. Sending comes first: it is the part on a deadline.
func (p *Pacer) tick(slot int, period int64, deadline time.Time) int {
	streams, total := p.snapshot(slot)
	start := time.Now()
	for _, st := range streams {
		n := st.produce(deadline, period)
		if n == 0 {
			continue
		}
		st.send(n)
		p.sendH.add(absDur(time.Since(deadline)), uint64(n))
	}
	p.spread[slot] = min(time.Since(start), subTick)
	for _, st := range streams {
		if st.rx != nil {
			st.rx.poll()
		}
	}
	clear(p.active) // do not pin closed sessions
	return total
}

// Skipped returns how many sub-ticks the pacer skipped because it fell more
// than maxCatchUp sub-ticks behind (e.g. the process was stopped).
func (p *Pacer) Skipped() uint64 { return p.skipped.Load() }
