package dialer

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
)

// registration is a trunk's REGISTER binding state (RFC 3261 §10).
type registration struct {
	mu    sync.Mutex
	until time.Time
	ok    bool
}

func (r *registration) state(now time.Time) (bool, time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ok && now.Before(r.until), r.until
}

func (r *registration) set(ok bool, until time.Time) {
	r.mu.Lock()
	r.ok, r.until = ok, until
	r.mu.Unlock()
}

const registerRetry = 30 * time.Second

// registerLoop keeps the binding alive: it refreshes at half the granted
// expiry (well before it lapses, §10.2.4) and retries failures every 30s.
func (d *Dialer) registerLoop(ctx context.Context, t *trunk) {
	callID := randToken(16) + "@" + d.host // one Call-ID per registrar (§10.2)
	var seq uint32
	for {
		granted, err := d.register(ctx, t, callID, &seq)
		wait := registerRetry
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			t.reg.set(false, time.Time{})
			d.log.Warn("register failed", "trunk", t.Name, "error", err.Error())
		} else {
			t.reg.set(true, d.now().Add(granted))
			wait = max(granted/2, time.Second)
		}
		tm := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			tm.Stop()
			return
		case <-tm.C:
		}
	}
}

// register sends one REGISTER, answering one digest challenge, and returns
// the expiry the registrar granted.
func (d *Dialer) register(ctx context.Context, t *trunk, callID string, seq *uint32) (time.Duration, error) {
	host, _, _ := splitHost(t.Addr)
	req := d.outOfDialog(t, sip.REGISTER, sip.Uri{Scheme: "sip", Host: host})
	req.SetDestination(t.Addr)
	cid := sip.CallIDHeader(callID)
	req.ReplaceHeader(&cid)
	*seq++
	req.CSeq().SeqNo = *seq
	req.AppendHeader(d.contact(t))
	exp := sip.ExpiresHeader(uint32(t.RegisterExpiry / time.Second))
	req.AppendHeader(&exp)
	req.SetBody(nil)
	for attempt := 0; attempt < 2; attempt++ {
		cctx, stop := context.WithTimeout(ctx, 32*time.Second)
		res, err := d.client.Do(cctx, req, noBuild)
		stop()
		if err != nil {
			return 0, err
		}
		switch {
		case res.IsSuccess():
			return grantedExpiry(res, t.RegisterExpiry), nil
		case (res.StatusCode == 401 || res.StatusCode == 407) && attempt == 0:
			req = req.Clone()
			if err := authorize(t, req, res); err != nil {
				return 0, err
			}
			*seq++
			req.CSeq().SeqNo = *seq
			req.RemoveHeader("Via")
			req.PrependHeader(d.via(t))
		default:
			return 0, fmt.Errorf("REGISTER answered %d %s", res.StatusCode, res.Reason)
		}
	}
	return 0, fmt.Errorf("REGISTER still challenged after credentials")
}

// grantedExpiry reads the expiry the registrar granted: the Contact's expires
// parameter, else the Expires header, else what we asked (§10.2.4).
func grantedExpiry(res *sip.Response, asked time.Duration) time.Duration {
	if c := res.Contact(); c != nil {
		if v, ok := c.Params.Get("expires"); ok {
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				return time.Duration(n) * time.Second
			}
		}
	}
	if v := headerValue(res, "Expires"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			return time.Duration(n) * time.Second
		}
	}
	return asked
}

func splitHost(hostport string) (string, string, error) { return net.SplitHostPort(hostport) }
