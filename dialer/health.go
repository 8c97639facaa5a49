package dialer

import (
	"context"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
)

// TrunkStatus is what the dialer knows about one trunk right now.
type TrunkStatus struct {
	Name            string
	Up              bool          // last OPTIONS got a response (any code, RFC 3261 §11.2)
	Checked         time.Time     // when the last OPTIONS completed (zero: never)
	RTT             time.Duration // round trip of the last successful OPTIONS
	LastStatus      int           // status code of the last OPTIONS (0: timeout)
	Registered      bool
	RegisteredUntil time.Time
	Active          int           // calls holding a slot
	PausedFor       time.Duration // remaining 503 Retry-After pause
}

// healthState is the OPTIONS result of one trunk.
type healthState struct {
	mu      sync.Mutex
	up      bool
	checked time.Time
	rtt     time.Duration
	status  int
}

// Status returns every trunk's status, in no particular order.
func (d *Dialer) Status() []TrunkStatus {
	out := make([]TrunkStatus, 0, len(d.trunks))
	for _, t := range d.trunks {
		out = append(out, d.trunkStatus(t))
	}
	return out
}

// TrunkStatus returns one trunk's status.
func (d *Dialer) TrunkStatus(name string) (TrunkStatus, bool) {
	t, ok := d.trunks[name]
	if !ok {
		return TrunkStatus{}, false
	}
	return d.trunkStatus(t), true
}

func (d *Dialer) trunkStatus(t *trunk) TrunkStatus {
	s := TrunkStatus{Name: t.Name, Active: t.lim.Active(), PausedFor: t.lim.paused(d.now())}
	t.health.mu.Lock()
	s.Up, s.Checked, s.RTT, s.LastStatus = t.health.up, t.health.checked, t.health.rtt, t.health.status
	t.health.mu.Unlock()
	s.Registered, s.RegisteredUntil = t.reg.state(d.now())
	return s
}

// startTrunkLoops starts the OPTIONS and REGISTER loops a trunk asks for.
func (d *Dialer) startTrunkLoops(ctx context.Context, t *trunk) {
	if t.OptionsInterval > 0 {
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			d.optionsLoop(ctx, t)
		}()
	}
	if t.Register {
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			d.registerLoop(ctx, t)
		}()
	}
}

func (d *Dialer) optionsLoop(ctx context.Context, t *trunk) {
	tick := time.NewTicker(t.OptionsInterval)
	defer tick.Stop()
	for {
		d.checkTrunk(ctx, t)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// checkTrunk sends one OPTIONS (RFC 3261 §11.1) and records up/down and RTT.
func (d *Dialer) checkTrunk(ctx context.Context, t *trunk) {
	req := d.outOfDialog(t, sip.OPTIONS, t.uri(""))
	req.AppendHeader(sip.NewHeader("Accept", "application/sdp"))
	req.SetBody(nil)
	start := time.Now()
	cctx, stop := context.WithTimeout(ctx, min(t.OptionsInterval, 32*time.Second))
	defer stop()
	res, err := d.client.Do(cctx, req, noBuild)
	rtt := time.Since(start)
	if ctx.Err() != nil {
		return
	}
	t.health.mu.Lock()
	defer t.health.mu.Unlock()
	wasUp := t.health.up
	t.health.checked = d.now()
	if err != nil {
		t.health.up, t.health.status = false, 0
	} else {
		t.health.up, t.health.status, t.health.rtt = true, res.StatusCode, rtt
	}
	if wasUp != t.health.up {
		d.log.Info("trunk health changed", "trunk", t.Name, "up", t.health.up)
	}
}

// outOfDialog builds a request outside any dialog (OPTIONS, REGISTER).
func (d *Dialer) outOfDialog(t *trunk, m sip.RequestMethod, ruri sip.Uri) *sip.Request {
	req := sip.NewRequest(m, ruri)
	req.AppendHeader(d.via(t))
	mf := sip.MaxForwardsHeader(70)
	req.AppendHeader(&mf)
	from := &sip.FromHeader{Address: t.uri(t.CallerID), Params: sip.HeaderParams{}}
	from.Address.UriParams = nil
	if t.Username != "" {
		from.Address.User = t.Username
	}
	from.Params.Add("tag", randToken(8))
	req.AppendHeader(from)
	to := from.Address
	if m != sip.REGISTER {
		to = ruri
	}
	req.AppendHeader(&sip.ToHeader{Address: to, Params: sip.HeaderParams{}})
	callID := sip.CallIDHeader(randToken(16) + "@" + d.host)
	req.AppendHeader(&callID)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: 1, MethodName: m})
	req.AppendHeader(sip.NewHeader("User-Agent", d.cfg.UserAgent))
	d.prepareOut(req, t)
	return req
}
