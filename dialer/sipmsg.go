package dialer

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/emiago/sipgo/sip"
)

// allowMethods is what we accept inside a dialog (RFC 3261 §20.5).
const allowMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY"

// randToken returns n random bytes hex encoded, for tags and Call-IDs.
func randToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// render returns req as it goes on the wire. It is written into one of the
// dialer's render buffers, then copied out at its exact size
// (strings.Builder, used by sip.Request.String, grows from 8 bytes and
// leaves four buffers behind).
func (d *Dialer) render(req *sip.Request) []byte {
	buf, _ := d.renderBufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = bytes.NewBuffer(make([]byte, 0, 2048))
	}
	buf.Reset()
	req.StringWrite(buf)
	out := bytes.Clone(buf.Bytes())
	d.renderBufs.Put(buf)
	return out
}

// trunkURI returns sip:user@trunk-host:port (the Request-URI of a call).
func (t *trunk) uri(user string) sip.Uri {
	host, port, _ := net.SplitHostPort(t.Addr)
	p, _ := strconv.Atoi(port)
	u := sip.Uri{Scheme: "sip", User: user, Host: host, Port: p}
	if t.Transport != "udp" {
		u.UriParams = sip.HeaderParams{{K: "transport", V: t.Transport}}
	}
	return u
}

// prepareOut routes an outgoing request through the trunk: the trunk is our
// outbound proxy for every request, in or out of dialog, so a Contact or
// Record-Route pointing elsewhere cannot make us send traffic to a stranger.
func (d *Dialer) prepareOut(req *sip.Request, t *trunk) {
	req.SetTransport(strings.ToUpper(t.Transport))
	req.SetDestination(t.Addr)
	if t.Transport == "udp" {
		la := d.conn.LocalAddr().(*net.UDPAddr)
		req.Laddr = sip.Addr{IP: la.IP, Port: la.Port}
	}
}

func (d *Dialer) contact(t *trunk) *sip.ContactHeader {
	c := &sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: t.CallerID, Host: d.host, Port: d.port}}
	if t.Transport != "udp" {
		c.Address.UriParams = sip.HeaderParams{{K: "transport", V: t.Transport}}
	}
	return c
}

func (d *Dialer) via(t *trunk) *sip.ViaHeader {
	v := &sip.ViaHeader{
		ProtocolName: "SIP", ProtocolVersion: "2.0",
		Transport: strings.ToUpper(t.Transport), Host: d.host, Port: d.port,
		Params: sip.HeaderParams{},
	}
	v.Params.Add("branch", sip.GenerateBranchN(16))
	v.Params.Add("rport", "")
	return v
}

// fixed holds the headers that are the same in every INVITE through a
// trunk. Requests share them: they are never changed once built (a request
// that must change one, as the retry with credentials does, is a Clone,
// which copies its headers).
type fixed struct {
	maxForwards, contact, pai, userAgent, allow, contentType sip.Header
}

// fixedHeaders returns the trunk's fixed headers, built on first use (the
// Contact needs the bound address).
func (d *Dialer) fixedHeaders(t *trunk) *fixed {
	t.fixedOnce.Do(func() {
		mf := sip.MaxForwardsHeader(70)
		ct := sip.ContentTypeHeader("application/sdp")
		pai := t.uri(t.CallerID)
		pai.UriParams = nil
		t.fixed = &fixed{
			maxForwards: &mf, contact: d.contact(t), contentType: &ct,
			pai:       sip.NewHeader("P-Asserted-Identity", "<"+pai.String()+">"),
			userAgent: sip.NewHeader("User-Agent", d.cfg.UserAgent),
			allow:     sip.NewHeader("Allow", allowMethods),
		}
	})
	return t.fixed
}

// buildInvite creates the initial INVITE (RFC 3261 §8.1.1). The caller ID in
// From and P-Asserted-Identity (RFC 3325 §9.1) comes from the trunk only.
func (d *Dialer) buildInvite(t *trunk, number string, sdp []byte, extra map[string]string) *sip.Request {
	req := sip.NewRequest(sip.INVITE, t.uri(number))
	req.AppendHeader(d.via(t))
	// From carries the trunk's domain, as carriers and FreeSWITCH gateways
	// match caller and realm on it; our address is in Contact and Via.
	fromURI := t.uri(t.CallerID)
	fromURI.UriParams = nil
	from := &sip.FromHeader{Address: fromURI, Params: sip.HeaderParams{}}
	if t.CallerName != "" {
		from.DisplayName = quoteDisplayName(t.CallerName)
	}
	from.Params.Add("tag", randToken(8))
	req.AppendHeader(from)
	to := t.uri(number)
	to.UriParams = nil
	req.AppendHeader(&sip.ToHeader{Address: to, Params: sip.HeaderParams{}})
	callID := sip.CallIDHeader(randToken(16) + "@" + d.host)
	req.AppendHeader(&callID)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: 1, MethodName: sip.INVITE})
	f := d.fixedHeaders(t)
	req.AppendHeader(f.maxForwards)
	req.AppendHeader(f.contact)
	req.AppendHeader(f.pai)
	req.AppendHeader(f.userAgent)
	req.AppendHeader(f.allow)
	for k, v := range extra {
		req.AppendHeader(sip.NewHeader(k, v))
	}
	if len(sdp) > 0 {
		req.AppendHeader(f.contentType)
	}
	req.SetBody(sdp)
	d.prepareOut(req, t)
	return req
}

// buildCancel creates the CANCEL for inv (RFC 3261 §9.1): same Request-URI,
// Call-ID, To, From, the top Via of the INVITE and CSeq number with method
// CANCEL, and the INVITE's Route headers.
func buildCancel(inv *sip.Request) *sip.Request {
	req := sip.NewRequest(sip.CANCEL, *inv.Recipient.Clone())
	req.AppendHeader(sip.HeaderClone(inv.Via()))
	mf := sip.MaxForwardsHeader(70)
	req.AppendHeader(&mf)
	req.AppendHeader(sip.HeaderClone(inv.From()))
	req.AppendHeader(sip.HeaderClone(inv.To()))
	req.AppendHeader(sip.HeaderClone(inv.CallID()))
	req.AppendHeader(&sip.CSeqHeader{SeqNo: inv.CSeq().SeqNo, MethodName: sip.CANCEL})
	sip.CopyHeaders("Route", inv, req)
	req.SetBody(nil)
	req.SetTransport(inv.Transport())
	req.SetDestination(inv.Destination())
	req.Laddr = inv.Laddr
	return req
}

// dialog is the state of an established dialog (RFC 3261 §12.1.2).
type dialog struct {
	callID    string
	from      *sip.FromHeader // ours, with local tag
	to        *sip.ToHeader   // theirs, with remote tag
	target    sip.Uri         // remote target from the 2xx Contact
	routes    []string        // route set: Record-Route of the 2xx, reversed
	inviteSeq uint32

	targetS string // target as written in a Request-Line
	wire    string // From, To, Call-ID and Route lines, as written (wireRequest)
}

func newDialog(inv *sip.Request, res *sip.Response) (*dialog, error) {
	to := res.To()
	if to == nil || inv.From() == nil || inv.CallID() == nil || inv.CSeq() == nil {
		return nil, fmt.Errorf("2xx without To")
	}
	if _, ok := to.Params.Get("tag"); !ok {
		return nil, fmt.Errorf("2xx To has no tag (RFC 3261 §12.1.2)")
	}
	dl := &dialog{
		callID: inv.CallID().Value(),
		// Shared, not cloned: neither is changed after this (the INVITE
		// has been sent; the response is ours alone), and every request
		// built from the dialog clones them (request).
		from:      inv.From(),
		to:        to,
		target:    *inv.Recipient.Clone(),
		inviteSeq: inv.CSeq().SeqNo,
	}
	if c := res.Contact(); c != nil {
		dl.target = *c.Address.Clone()
	}
	rr := res.GetHeaders("Record-Route")
	for i := len(rr) - 1; i >= 0; i-- {
		dl.routes = append(dl.routes, rr[i].Value())
	}
	dl.targetS = dl.target.String()
	var b strings.Builder
	b.Grow(256)
	for _, h := range []sip.Header{dl.from, dl.to} {
		h.StringWrite(&b)
		b.WriteString("\r\n")
	}
	b.WriteString("Call-ID: " + dl.callID + "\r\n")
	for _, r := range dl.routes {
		b.WriteString("Route: " + r + "\r\n")
	}
	dl.wire = b.String()
	return dl, nil
}

// wireRequest writes an in-dialog request without a body for UDP (the ACK
// of a 2xx, BYE): what dl.request and render make, written directly from
// the dialog's rendered lines (RFC 3261 §12.2.1.1).
func (d *Dialer) wireRequest(dl *dialog, method sip.RequestMethod, seq uint32, branch string) []byte {
	b := make([]byte, 0, 160+len(dl.targetS)+len(dl.wire)+len(d.hostPort)+len(branch))
	b = append(b, method...)
	b = append(b, ' ')
	b = append(b, dl.targetS...)
	b = append(b, " SIP/2.0\r\nVia: SIP/2.0/UDP "...)
	b = append(b, d.hostPort...)
	b = append(b, ";branch="...)
	b = append(b, branch...)
	b = append(b, ";rport\r\nMax-Forwards: 70\r\n"...)
	b = append(b, dl.wire...)
	b = append(b, "CSeq: "...)
	b = strconv.AppendUint(b, uint64(seq), 10)
	b = append(b, ' ')
	b = append(b, method...)
	b = append(b, "\r\nContent-Length: 0\r\n\r\n"...)
	return b
}

// request builds an in-dialog request (RFC 3261 §12.2.1.1).
func (dl *dialog) request(method sip.RequestMethod, seq uint32) *sip.Request {
	req := sip.NewRequest(method, *dl.target.Clone())
	mf := sip.MaxForwardsHeader(70)
	req.AppendHeader(&mf)
	req.AppendHeader(sip.HeaderClone(dl.from))
	req.AppendHeader(sip.HeaderClone(dl.to))
	callID := sip.CallIDHeader(dl.callID)
	req.AppendHeader(&callID)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: seq, MethodName: method})
	for _, r := range dl.routes {
		req.AppendHeader(sip.NewHeader("Route", r))
	}
	return req
}

func (dl *dialog) localTag() string  { v, _ := dl.from.Params.Get("tag"); return v }
func (dl *dialog) remoteTag() string { v, _ := dl.to.Params.Get("tag"); return v }

// headerValue returns a header's value or "".
func headerValue(m interface{ GetHeader(string) sip.Header }, name string) string {
	if h := m.GetHeader(name); h != nil {
		return h.Value()
	}
	return ""
}
