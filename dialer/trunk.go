package dialer

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Trunk is one SIP trunk (a FreeSWITCH, carrier gateway or PBX) calls go out
// through. Its caller ID is fixed: a call request cannot override it.
type Trunk struct {
	Name      string
	Addr      string // host:port of the trunk (port defaults to 5060, 5061 for tls)
	Transport string // udp (default), tcp or tls

	// Digest credentials (RFC 3261 §22). Realm, when set, restricts which
	// challenges we answer; empty accepts the realm the trunk offers.
	Username, Password, Realm string

	Register       bool          // send REGISTER (RFC 3261 §10) and keep it refreshed
	RegisterExpiry time.Duration // requested binding lifetime; default 1h

	CallerID   string // user part of From and P-Asserted-Identity (RFC 3325)
	CallerName string // display name of From

	Rewrite []RewriteRule // applied in order to the dialed number

	MaxCalls int     // concurrent calls on this trunk; 0 = unlimited
	CPS      float64 // new calls per second; 0 = unlimited

	OptionsInterval time.Duration // OPTIONS health check period; 0 = off
	TLSInsecure     bool          // skip certificate verification (tests only)
}

// RewriteRule rewrites a dialed number: every match of Match (a Go regexp) is
// replaced by Replace ($1 expands), e.g. {`^\+86`, ""} strips the country
// code and {`^(1\d{10})$`, "0$1"} adds a trunk prefix.
type RewriteRule struct {
	Match   string
	Replace string
}

type compiledRule struct {
	re      *regexp.Regexp
	replace string
}

// validate checks the trunk and returns the compiled rewrite rules.
func (t *Trunk) validate() ([]compiledRule, error) {
	if t.Name == "" {
		return nil, fmt.Errorf("trunk: name is empty")
	}
	if err := checkText("trunk name", t.Name, 64); err != nil {
		return nil, err
	}
	tr := strings.ToLower(t.Transport)
	switch tr {
	case "":
		tr = "udp"
	case "udp", "tcp", "tls":
	default:
		return nil, fmt.Errorf("trunk %s: transport %q: want udp, tcp or tls", t.Name, t.Transport)
	}
	t.Transport = tr
	addr, err := normalizeHostPort(t.Addr, tr)
	if err != nil {
		return nil, fmt.Errorf("trunk %s: addr: %w", t.Name, err)
	}
	t.Addr = addr
	if err := checkCallerID("trunk "+t.Name+" caller_id", t.CallerID); err != nil {
		return nil, err
	}
	if t.CallerID == "" {
		return nil, fmt.Errorf("trunk %s: caller_id is empty", t.Name)
	}
	if err := checkText("trunk "+t.Name+" caller_name", t.CallerName, maxDisplayNameLen); err != nil {
		return nil, err
	}
	for f, v := range map[string]string{"username": t.Username, "password": t.Password, "realm": t.Realm} {
		if err := checkText("trunk "+t.Name+" "+f, v, 128); err != nil {
			return nil, err
		}
	}
	if t.Register && t.Username == "" {
		return nil, fmt.Errorf("trunk %s: register needs a username", t.Name)
	}
	if t.RegisterExpiry == 0 {
		t.RegisterExpiry = time.Hour
	}
	if t.RegisterExpiry < 60*time.Second {
		return nil, fmt.Errorf("trunk %s: register_expiry %s below 60s (RFC 3261 §10.2.8)", t.Name, t.RegisterExpiry)
	}
	if t.MaxCalls < 0 || t.CPS < 0 {
		return nil, fmt.Errorf("trunk %s: max_calls and cps must not be negative", t.Name)
	}
	if t.OptionsInterval < 0 {
		return nil, fmt.Errorf("trunk %s: options_interval must not be negative", t.Name)
	}
	rules := make([]compiledRule, 0, len(t.Rewrite))
	for i, r := range t.Rewrite {
		re, err := regexp.Compile(r.Match)
		if err != nil {
			return nil, fmt.Errorf("trunk %s: rewrite[%d]: %w", t.Name, i, err)
		}
		rules = append(rules, compiledRule{re: re, replace: r.Replace})
	}
	return rules, nil
}

// rewriteNumber applies the rules in order, then re-checks the result.
func rewriteNumber(rules []compiledRule, n string) (string, error) {
	for _, r := range rules {
		n = r.re.ReplaceAllString(n, r.replace)
	}
	if err := checkNumber("rewritten number", n); err != nil {
		return "", err
	}
	return n, nil
}

// normalizeHostPort returns host:port with the transport's default port.
func normalizeHostPort(addr, transport string) (string, error) {
	if addr == "" {
		return "", fmt.Errorf("empty")
	}
	if err := checkText("addr", addr, 256); err != nil {
		return "", err
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host, port = strings.Trim(addr, "[]"), "5060"
		if transport == "tls" {
			port = "5061"
		}
	}
	p, err := strconv.Atoi(port)
	if err != nil || p <= 0 || p > 65535 {
		return "", fmt.Errorf("bad port %q", port)
	}
	if host == "" || strings.ContainsAny(host, " @;<>\"") {
		return "", fmt.Errorf("bad host %q", host)
	}
	return net.JoinHostPort(host, port), nil
}
