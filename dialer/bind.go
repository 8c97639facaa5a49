package dialer

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// This file opens the robot's SIP port: it resolves the trunks, binds the
// UDP socket (and TCP where a trunk uses it) and builds sipgo around it.

// waitServing waits until sipgo registered the listening socket in its
// connection pool, so requests leave from (and answers return to) it.
func (d *Dialer) waitServing() error {
	addr := d.conn.LocalAddr().String()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.NewTimer(2 * time.Second)
	defer deadline.Stop()
	for {
		if c, err := d.ua.TransportLayer().GetConnection("udp", addr); err == nil && c != nil {
			return nil
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			return fmt.Errorf("dialer: SIP socket %s not serving", addr)
		}
	}
}

func (d *Dialer) resolveTrunks(ctx context.Context) error {
	allowed := make(map[netip.Addr]struct{})
	for _, t := range d.trunks {
		host, port, _ := net.SplitHostPort(t.Addr)
		ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return fmt.Errorf("dialer: trunk %s: resolve %s: %w", t.Name, host, err)
		}
		for _, ip := range ips {
			allowed[ip.Unmap()] = struct{}{}
		}
		if t.Transport == "udp" && len(ips) > 0 {
			p, _ := strconv.Atoi(port)
			t.udpAddr = net.UDPAddrFromAddrPort(netip.AddrPortFrom(preferIPv4(ips), uint16(p)))
		}
	}
	d.allowed.Store(&allowed)
	return nil
}

// preferIPv4 picks the trunk address our own UDP transactions use: the
// first IPv4 one, as sipgo picks for what it sends (CANCEL, OPTIONS), so
// that a CANCEL reaches the address its INVITE went to (RFC 3261 §9.1).
func preferIPv4(ips []netip.Addr) netip.Addr {
	for _, ip := range ips {
		if ip.Unmap().Is4() {
			return ip.Unmap()
		}
	}
	return ips[0]
}

// bind opens the UDP socket and builds the sipgo stack around it.
func (d *Dialer) bind(ctx context.Context) error {
	conn, err := d.listenSockets(ctx)
	if err != nil {
		return err
	}
	if d.cfg.SendWindow > 0 {
		sb := newSendBatch(conn, d.cfg.SendWindow, d.log)
		sb.take = d.takeDatagram
		conn = sb
	}
	la := conn.LocalAddr().(*net.UDPAddr)
	d.host, d.port = la.IP.String(), la.Port
	d.rtpBind, _ = netip.AddrFromSlice(la.IP)
	d.rtpBind = d.rtpBind.Unmap()
	if d.cfg.PublicAddr != "" {
		h, p, err := net.SplitHostPort(d.cfg.PublicAddr)
		if err != nil {
			h, p = d.cfg.PublicAddr, strconv.Itoa(la.Port)
		}
		d.host = h
		if d.port, err = strconv.Atoi(p); err != nil {
			d.closeSockets(conn)
			return fmt.Errorf("dialer: public_addr %q: bad port", d.cfg.PublicAddr)
		}
	}
	ua, err := sipgo.NewUA(
		sipgo.WithUserAgent(d.cfg.UserAgent),
		sipgo.WithUserAgentHostname(d.host),
		sipgo.WithUserAgenTLSConfig(d.tlsConfig()),
		sipgo.WithUserAgentTransportLayerOptions(
			sip.WithTransportLayerLogger(d.log),
			sip.WithTransportLayerReadFilter(d.readFilter),
		),
		sipgo.WithUserAgentTransactionLayerOptions(
			sip.WithTransactionLayerLogger(d.log),
			sip.WithTransactionLayerUnhandledResponseHandler(d.unhandledResponse),
		),
	)
	if err != nil {
		d.closeSockets(conn)
		return fmt.Errorf("dialer: sip stack: %w", err)
	}
	client, err := sipgo.NewClient(ua,
		sipgo.WithClientLogger(d.log),
		sipgo.WithClientHostname(d.host),
		sipgo.WithClientPort(d.port),
		sipgo.WithClientConnectionAddr(la.String()),
	)
	if err != nil {
		ua.Close()
		d.closeSockets(conn)
		return fmt.Errorf("dialer: sip client: %w", err)
	}
	srv, err := sipgo.NewServer(ua, sipgo.WithServerLogger(d.log))
	if err != nil {
		ua.Close()
		d.closeSockets(conn)
		return fmt.Errorf("dialer: sip server: %w", err)
	}
	d.ua, d.client, d.srv, d.conn = ua, client, srv, conn
	d.hostPort = net.JoinHostPort(d.host, strconv.Itoa(d.port))
	d.routeRequests()
	return nil
}

// listenSockets binds the UDP socket and, when a trunk uses tcp, a TCP
// listener on the same port, so the far side can reach our Contact for BYE
// and re-INVITE (RFC 3261 §18.2.1). With an ephemeral port, a port whose TCP
// side is taken is given up and another one tried.
func (d *Dialer) listenSockets(ctx context.Context) (net.PacketConn, error) {
	needTCP := false
	for _, t := range d.trunks {
		needTCP = needTCP || t.Transport == "tcp"
	}
	_, port, _ := net.SplitHostPort(d.cfg.ListenAddr)
	lc := net.ListenConfig{}
	for try := 0; ; try++ {
		conn, err := lc.ListenPacket(ctx, "udp", d.cfg.ListenAddr)
		if err != nil {
			return nil, fmt.Errorf("dialer: listen %s: %w", d.cfg.ListenAddr, err)
		}
		if !needTCP {
			return conn, nil
		}
		ln, err := lc.Listen(ctx, "tcp", conn.LocalAddr().String())
		if err == nil {
			d.tcpLn = ln
			return conn, nil
		}
		conn.Close()
		if port != "0" || try == 10 {
			return nil, fmt.Errorf("dialer: listen tcp %s: %w", d.cfg.ListenAddr, err)
		}
	}
}

func (d *Dialer) closeSockets(conn net.PacketConn) {
	conn.Close()
	if d.tcpLn != nil {
		d.tcpLn.Close()
		d.tcpLn = nil
	}
}

func (d *Dialer) tlsConfig() *tls.Config {
	insecure := false
	for _, t := range d.trunks {
		insecure = insecure || t.TLSInsecure
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: insecure} //nolint:gosec // opt-in per trunk, tests only
}
