package bench

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"outreach/dialer"
	"outreach/media"
	"outreach/media/rtp"
)

// Media run phases: calls play 2×settleWait before the CPU window opens;
// after the plays stop, echoes are counted once none came for drainWait.
const (
	settleWait = 500 * time.Millisecond
	drainWait  = 200 * time.Millisecond
	drainMax   = 5 * time.Second
	rampConc   = 200 // calls set up at once while ramping
)

// mediaResult is one media run of n calls.
type mediaResult struct {
	Calls, Up, Failed int
	FirstErr          string // the first failure, if any
	Window            time.Duration
	OurCPU, SippCPU   time.Duration // over Window
	Sent, Echoed      uint64
	Frames            uint64 // decoded frames read by our side
	FramesDropped     uint64 // decoded frames dropped because the reader was slow
	Send, Tick        rtp.Lateness
	Skipped           uint64        // pacer ticks skipped (overload)
	MemPerCall        float64       // live heap (HeapAlloc after GC) + goroutine stacks, bytes
	StackPerCall      float64       // of which goroutine stacks
	MachineCPU        time.Duration // all processes, over Window
	Steal             time.Duration // vCPU time the hypervisor took, over Window
	SippDrops         uint64        // datagrams sipp's media socket dropped (buffer full)
	OurDrops          uint64        // datagrams our sessions' sockets dropped
	WindowOut         uint64        // packets we sent during Window
	WindowIn          uint64        // packets we received (echoes) during Window
	OurWait, SippWait time.Duration // threads runnable but not running, over Window
	Procs             int           // our GOMAXPROCS at the end of Window (robot.procs adapts it)
	ProcsChanges      int64         // our GOMAXPROCS changes during Window
}

// runMedia holds cfg.MediaCalls calls open against cfg.MediaPeers sipp
// -rtp_echo processes, calls spread round robin.
func runMedia(ctx context.Context, cfg Config, dir string, rep *Report) error {
	var ps peers
	for i := range cfg.MediaPeers {
		uasDir := filepath.Join(dir, fmt.Sprintf("media-uas%d", i))
		if err := os.MkdirAll(uasDir, 0o755); err != nil {
			return fmt.Errorf("media: %w", err)
		}
		uas, err := startUAS(ctx, cfg.Sipp, uasDir, true)
		if err != nil {
			return fmt.Errorf("media: %w", err)
		}
		defer uas.stop()
		ps = append(ps, peer{Addr: uas.addr, MediaPort: uas.mediaPort, PID: uas.pid(), uas: uas})
	}
	for _, n := range cfg.MediaCalls {
		cfg.Logger.Info("media: holding calls", "calls", n, "window", cfg.Duration, "own process", cfg.Spawn != nil)
		var r mediaResult
		var err error
		if cfg.Spawn != nil {
			r, err = runWorker(ctx, cfg, ps, n)
		} else {
			r, err = mediaRun(ctx, cfg, ps, n)
		}
		if err != nil {
			return fmt.Errorf("media %d calls: %w", n, err)
		}
		for _, p := range ps {
			if p.uas.exited() {
				return fmt.Errorf("media: sipp uas died: %s", p.uas.output())
			}
		}
		mediaRows(rep, n, r)
		cfg.HeapProfile = "" // the first run only
	}
	rep.note("media: our side = dialer (SIP, load mode) + one rtp.Session per call on one shared rtp.PacerGroup (one pacer per CPU, as the dialer), PCMU, no comfort noise, playing a shared tone, decoding what comes back into 20 ms frames handed to a hook, as the dialer's legs do (unless --no-decode), each run in its own process (unless --in-process); sipp side = %d sipp -sn uas -rtp_echo (each one media socket, echoing every packet to its source), calls spread round robin; sipp's figures are their sums. CPU per call is CPU time per second of call over the window.", cfg.MediaPeers)
	return nil
}

// peer is one far end of a media run: a sipp UAS.
type peer struct {
	Addr      string   // SIP
	MediaPort int      // where it echoes RTP
	PID       int      // for its CPU time
	uas       *sippUAS // nil in a worker process
}

// peers are the far ends of a media run; call i goes to peers[i%len].
type peers []peer

func (ps peers) addrs() []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Addr
	}
	return out
}

// cpu and wait sum the peers' CPU time and run-queue wait.
func (ps peers) cpu() (time.Duration, error) { return ps.sum(procCPU) }

func (ps peers) wait() (time.Duration, error) { return ps.sum(runQueueWait) }

func (ps peers) sum(f func(pid int) (time.Duration, error)) (time.Duration, error) {
	var total time.Duration
	for _, p := range ps {
		v, err := f(p.PID)
		if err != nil {
			return 0, err
		}
		total += v
	}
	return total, nil
}

// drops sums the peers' media socket drops in a udpDrops map.
func (ps peers) drops(m map[uint16]uint64) uint64 {
	var n uint64
	for _, p := range ps {
		n += m[uint16(p.MediaPort)]
	}
	return n
}

// mediaRun sets up n calls, plays on all of them for the window, counts
// packets and tears the calls down.
func mediaRun(ctx context.Context, cfg Config, ps peers, n int) (mediaResult, error) {
	res := mediaResult{Calls: n}
	// A dialer per run: the SIP transactions an earlier run left lingering
	// (RFC 3261 timers, 32 s) would otherwise skew memory per call.
	d, err := newDialer(ctx, ps.addrs(), cfg.Logger)
	if err != nil {
		return res, err
	}
	defer d.Stop()
	g := rtp.NewPacerGroup(runtime.NumCPU(), cfg.Logger) // as the dialer's own group
	gctx, stopPacers := context.WithCancel(ctx)
	g.Start(gctx)
	defer func() { stopPacers(); g.Stop() }()

	drops0, err := udpDrops()
	if err != nil {
		return res, err
	}
	runtime.GC()
	runtime.GC() // twice: the first only queues finalizers of closed sockets
	var m0 runtime.MemStats
	runtime.ReadMemStats(&m0)
	sctx, stopSessions := context.WithCancel(ctx)
	defer stopSessions()
	legs := rampUp(ctx, sctx, cfg, d, g, ps, n, &res)
	defer closeLegs(ctx, legs)

	stopPlay := playAll(ctx, legs, cfg.Duration+2*settleWait+10*time.Second)
	err = pause(ctx, 2*settleWait)
	ch0 := cfg.changesSoFar()
	if err == nil {
		err = measureWindow(ctx, cfg, ps, legs, &res)
	}
	res.ProcsChanges = cfg.changesSoFar() - ch0
	// Lateness before the forced GC of measureMemory, which would stall the
	// pacers' timers (a P running a dedicated mark worker).
	res.Send, res.Tick, res.Procs = g.SendLateness(), g.Lateness(), runtime.GOMAXPROCS(0)
	for _, p := range g.Pacers() {
		res.Skipped += p.Skipped()
	}
	if err == nil {
		err = measureMemory(cfg, &m0, &res)
	}
	stopPlay()
	if err == nil {
		err = drain(ctx, legs)
	}
	if err != nil {
		return res, err
	}
	if err := count(legs, ps, drops0, &res); err != nil {
		return res, err
	}
	return res, nil
}

// rampUp places n calls and opens their media (sessions live until sctx
// ends or they are closed); failed calls leave a nil leg.
func rampUp(ctx, sctx context.Context, cfg Config, d *benchDialer, g *rtp.PacerGroup, ps peers,
	n int, res *mediaResult) []*leg {
	legs := make([]*leg, n)
	pr := place(ctx, d, n, cfg.MediaRate, rampConc, func(i int, c *dialer.Call) error {
		// call i went through trunk i%len(ps): its echo comes from that sipp
		remote := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(ps[i%len(ps)].MediaPort))
		l, err := openLeg(sctx, c, g, remote, !cfg.NoDecode, cfg)
		if err != nil {
			_ = c.Hangup(ctx)
			return err
		}
		legs[i] = l
		return nil
	})
	res.Up, res.Failed = pr.OK, pr.Failed
	if pr.FirstErr != nil {
		res.FirstErr = pr.FirstErr.Error()
	}
	return legs
}

// playAll plays one shared tone of length d on every leg; stop ends the
// plays and waits for them.
func playAll(ctx context.Context, legs []*leg, d time.Duration) (stop func()) {
	pcm := media.Tone([]float64{440, 620}, d, 0.25) // shared, read only
	pctx, cancel := context.WithCancel(ctx)
	var plays sync.WaitGroup
	for _, l := range legs {
		if l != nil {
			plays.Add(1)
			go func() { // owned by playAll: ends with stop
				defer plays.Done()
				_, _ = l.s.Play(pctx, pcm, nil)
			}()
		}
	}
	return func() {
		cancel()
		plays.Wait()
	}
}

// measureMemory reads memory against base (read before the calls were set
// up), all calls still playing, and writes the heap profile if asked.
func measureMemory(cfg Config, base *runtime.MemStats, res *mediaResult) (err error) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if res.Up > 0 {
		res.MemPerCall = float64(int64(m.HeapAlloc+m.StackInuse)-int64(base.HeapAlloc+base.StackInuse)) / float64(res.Up)
		res.StackPerCall = float64(int64(m.StackInuse)-int64(base.StackInuse)) / float64(res.Up)
	}
	if cfg.HeapProfile == "" {
		return nil
	}
	f, err := os.Create(cfg.HeapProfile)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("heap profile: %w", cerr)
		}
	}()
	if err := pprof.WriteHeapProfile(f); err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	return nil
}

// cpuMark is the CPU and packet counters at one instant.
type cpuMark struct {
	ours, sipp, machine time.Duration
	steal               time.Duration // taken by the hypervisor
	ourWait, sippWait   time.Duration // run-queue wait
	at                  time.Time
	out, in             uint64
}

func mark(ps peers, legs []*leg) (cpuMark, error) {
	var m cpuMark
	var err error
	if m.sipp, err = ps.cpu(); err != nil {
		return m, err
	}
	if m.machine, m.steal, err = machineTimes(); err != nil {
		return m, err
	}
	if m.ourWait, err = runQueueWait(0); err != nil {
		return m, err
	}
	if m.sippWait, err = ps.wait(); err != nil {
		return m, err
	}
	m.ours, m.at = selfCPU(), time.Now()
	for _, l := range legs {
		if l != nil {
			st := l.s.Stats()
			m.out, m.in = m.out+st.PacketsOut, m.in+st.PacketsIn
		}
	}
	return m, nil
}

// measureWindow measures the CPU of both sides, of the whole machine and
// the packets moved over cfg.Duration.
func measureWindow(ctx context.Context, cfg Config, ps peers, legs []*leg, res *mediaResult) error {
	a, err := mark(ps, legs)
	if err != nil {
		return err
	}
	if err := pause(ctx, cfg.Duration); err != nil {
		return err
	}
	b, err := mark(ps, legs)
	if err != nil {
		return err
	}
	res.OurCPU, res.SippCPU, res.MachineCPU, res.Window = b.ours-a.ours, b.sipp-a.sipp, b.machine-a.machine, b.at.Sub(a.at)
	res.Steal = b.steal - a.steal
	res.WindowOut, res.WindowIn = b.out-a.out, b.in-a.in
	res.OurWait, res.SippWait = b.ourWait-a.ourWait, b.sippWait-a.sippWait
	return nil
}

// count sums the sessions' counters and the sockets' drops (drops0: before
// the calls were set up; our sockets are new).
func count(legs []*leg, ps peers, drops0 map[uint16]uint64, res *mediaResult) error {
	drops, err := udpDrops()
	if err != nil {
		return err
	}
	res.SippDrops = ps.drops(drops) - ps.drops(drops0)
	for _, l := range legs {
		if l != nil {
			st := l.s.Stats()
			res.Sent, res.Echoed = res.Sent+st.PacketsOut, res.Echoed+st.PacketsIn
			res.Frames += l.frames.Load()
			res.FramesDropped += st.DroppedFrames
			res.OurDrops += drops[l.s.LocalAddr().Port()]
		}
	}
	return nil
}

// drain waits until the echoes stop arriving: no packet for drainWait, at
// most drainMax (a starved sipp may hold packets in its socket a while).
func drain(ctx context.Context, legs []*leg) error {
	deadline := time.Now().Add(drainMax)
	last := uint64(0)
	for {
		var in uint64
		for _, l := range legs {
			if l != nil {
				in += l.s.Stats().PacketsIn
			}
		}
		if in == last || time.Now().After(deadline) {
			return nil
		}
		last = in
		if err := pause(ctx, drainWait); err != nil {
			return err
		}
	}
}

// pause waits d or until ctx ends.
func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
