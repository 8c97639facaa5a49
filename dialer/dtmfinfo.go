package dialer

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"outreach/media/rfc4733"
)

// parseInfoDigit reads one DTMF key from a SIP INFO body by its content
// type: application/dtmf-relay ("Signal=5\r\nDuration=160") or
// application/dtmf ("5"); the formats themselves are media/rfc4733's.
func parseInfoDigit(contentType string, body []byte) (rune, error) {
	if len(body) > 1024 {
		return 0, errors.New("dtmf info: body too large")
	}
	ct := strings.ToLower(strings.TrimSpace(contentType))
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = strings.TrimSpace(ct[:i])
	}
	switch ct {
	case "application/dtmf-relay":
		r, _, err := rfc4733.ParseDTMFRelay(body)
		return r, err
	case "application/dtmf":
		return rfc4733.ParseDTMFInfo(body)
	}
	return 0, fmt.Errorf("dtmf info: content type %q not supported", contentType)
}

// parseSipfragStatus reads the status code of a message/sipfrag body
// ("SIP/2.0 200 OK", RFC 3420).
func parseSipfragStatus(body []byte) (int, bool) {
	line, _, _ := strings.Cut(string(body), "\n")
	f := strings.Fields(line)
	if len(f) < 2 || !strings.HasPrefix(f[0], "SIP/") {
		return 0, false
	}
	code, err := strconv.Atoi(f[1])
	if err != nil || code < 100 || code > 699 {
		return 0, false
	}
	return code, true
}

// parseAddr parses "host:port" into a net.Addr for source checks.
func parseAddr(s string) (net.Addr, error) {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return nil, err
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return nil, err
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return nil, fmt.Errorf("not an IP: %q", host)
	}
	return &net.UDPAddr{IP: ip, Port: p}, nil
}
