package dialer

import (
	"net"
	"net/netip"

	"github.com/emiago/sipgo/sip"
)

// readFilter runs before sipgo parses a datagram or stream chunk: anything
// not from a trunk address is dropped unparsed, so a stranger gets no
// response (not even 400) and their bytes never reach a log.
func (d *Dialer) readFilter(p sip.TransportReadProps, data []byte) ([]byte, error) {
	if !d.allowedAddr(p.RemoteAddr) {
		return nil, nil
	}
	if sb, ok := d.conn.(*sendBatch); p.Transport == "UDP" && !(ok && sb.takes()) && d.dispatchResponse(data) {
		return nil, nil // a response to one of our own UDP transactions: handled
	}
	return data, nil
}

// takeDatagram runs on the UDP socket's reads, before sipgo's read loop
// (which allocates an address and its string for each datagram): it drops
// what does not come from a trunk and hands responses to our own UDP
// transactions straight to them. It keeps what it handled.
func (d *Dialer) takeDatagram(data []byte, from netip.AddrPort) bool {
	return !d.allowedIP(from.Addr()) || d.dispatchResponse(data)
}

func (d *Dialer) allowedIP(ip netip.Addr) bool {
	m := d.allowed.Load()
	if m == nil || !ip.IsValid() {
		return false
	}
	_, ok := (*m)[ip.Unmap()]
	return ok
}

func (d *Dialer) allowedAddr(a net.Addr) bool {
	var ip netip.Addr
	switch v := a.(type) {
	case *net.UDPAddr:
		ip, _ = netip.AddrFromSlice(v.IP)
	case *net.TCPAddr:
		ip, _ = netip.AddrFromSlice(v.IP)
	default:
		if ap, err := netip.ParseAddrPort(a.String()); err == nil {
			ip = ap.Addr()
		}
	}
	return d.allowedIP(ip)
}

// unhandledResponse sees responses no transaction took. A 2xx to the
// INVITE of a live call is a retransmission (our ACK was lost, or crossed
// it): it is ACKed again (RFC 3261 §13.2.2.4); anything else is dropped.
func (d *Dialer) unhandledResponse(r *sip.Response) {
	if r.IsSuccess() && r.CSeq() != nil && r.CSeq().MethodName == sip.INVITE && r.CallID() != nil {
		if c := d.lookupCall(r.CallID().Value()); c != nil && c.ack != nil {
			if err := c.ack(); err != nil {
				d.log.Debug("ACK of a retransmitted 2xx failed", "error", err)
			}
			return
		}
	}
	d.log.Debug("stray response dropped", "status", r.StatusCode)
}
