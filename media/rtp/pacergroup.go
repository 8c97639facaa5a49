package rtp

import (
	"context"
	"log/slog"
	"runtime"
	"sync/atomic"
)

// PacerGroup holds one Pacer per CPU and hands them out round robin. The
// caller creates, starts and stops it, and passes it in Config.PacerGroup.
type PacerGroup struct {
	pacers []*Pacer
	next   atomic.Uint64
}

// NewPacerGroup returns n pacers (n <= 0: runtime.GOMAXPROCS(0)).
func NewPacerGroup(n int, logger *slog.Logger) *PacerGroup {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	g := &PacerGroup{pacers: make([]*Pacer, n)}
	for i := range g.pacers {
		g.pacers[i] = NewPacer(logger)
	}
	return g
}

// Start starts every pacer.
func (g *PacerGroup) Start(ctx context.Context) {
	for _, p := range g.pacers {
		p.Start(ctx)
	}
}

// Stop stops every pacer and waits for them.
func (g *PacerGroup) Stop() {
	for _, p := range g.pacers {
		p.Stop()
	}
}

// Next returns the next pacer, round robin.
func (g *PacerGroup) Next() *Pacer {
	i := g.next.Add(1) - 1
	return g.pacers[i%uint64(len(g.pacers))]
}

// Pacers returns the group's pacers.
func (g *PacerGroup) Pacers() []*Pacer { return g.pacers }

// Lateness merges the tick lateness of all pacers.
func (g *PacerGroup) Lateness() Lateness {
	return mergeLateness(g.hists(func(p *Pacer) *histogram { return &p.tickH }))
}

// SendLateness merges the per-packet send lateness of all pacers.
func (g *PacerGroup) SendLateness() Lateness {
	return mergeLateness(g.hists(func(p *Pacer) *histogram { return &p.sendH }))
}

func (g *PacerGroup) hists(f func(*Pacer) *histogram) []*histogram {
	hs := make([]*histogram, len(g.pacers))
	for i, p := range g.pacers {
		hs[i] = f(p)
	}
	return hs
}

// resetLateness clears the lateness histograms of every pacer.
func (g *PacerGroup) resetLateness() {
	for _, p := range g.pacers {
		p.tickH.reset()
		p.sendH.reset()
	}
}
