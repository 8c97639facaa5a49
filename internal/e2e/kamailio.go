package e2e

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// KamailioConfig chooses how the shipped deploy/kamailio/kamailio.cfg is
// run: the same file as the deployment guide, with its substitution lines
// rewritten.
type KamailioConfig struct {
	AuthMode string   // "proxy" (407, default) or "www" (401)
	User     string   // default "robot"
	Password string   // default "secret"
	Gateways []string // host:port of each gateway in dispatcher set 1
}

// Kamailio is a running Kamailio.
type Kamailio struct {
	*Process
	Addr     string // 127.0.0.1:port (UDP and TCP)
	User     string
	Password string
}

// StartKamailio starts Kamailio with the repository's configuration and
// waits until it answers OPTIONS.
func StartKamailio(t testing.TB, cfg KamailioConfig) *Kamailio {
	t.Helper()
	bin := RequireBinary(t, "kamailio", "kamailio")
	if cfg.AuthMode == "" {
		cfg.AuthMode = "proxy"
	}
	if cfg.User == "" {
		cfg.User = "robot"
	}
	if cfg.Password == "" {
		cfg.Password = "secret"
	}
	dir := t.TempDir()
	var list strings.Builder
	for i, gw := range cfg.Gateways {
		fmt.Fprintf(&list, "1 sip:%s 0 0 duid=gw%d\n", gw, i+1)
	}
	listPath := filepath.Join(dir, "dispatcher.list")
	if err := os.WriteFile(listPath, []byte(list.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(RepoRoot(t), "deploy", "kamailio", "kamailio.cfg"))
	if err != nil {
		t.Fatalf("read kamailio.cfg: %v", err)
	}
	var addr string
	p := startRetry(t, "kamailio", 10*time.Second, func() (*Process, func() bool) {
		addr = fmt.Sprintf("127.0.0.1:%d", FreePort(t))
		cfgPath := writeKamailioCfg(t, dir, string(src), map[string]string{
			"LISTEN_UDP":      "udp:" + addr,
			"LISTEN_TCP":      "tcp:" + addr,
			"AUTH_MODE":       cfg.AuthMode,
			"ROBOT_USER":      cfg.User,
			"ROBOT_PASSWORD":  cfg.Password,
			"DISPATCHER_LIST": listPath,
		})
		p := start(t, "kamailio", dir, bin, "-f", cfgPath, "-DD", "-E", "-n", "2",
			"-P", filepath.Join(dir, "kamailio.pid"), "-Y", dir, "-m", "64", "-M", "8")
		return p, func() bool { return optionsOK(addr) }
	})
	return &Kamailio{Process: p, Addr: addr, User: cfg.User, Password: cfg.Password}
}

// writeKamailioCfg rewrites the substdef lines of the shipped configuration
// and writes the result into dir.
func writeKamailioCfg(t testing.TB, dir, src string, subst map[string]string) string {
	t.Helper()
	out := src
	for k, v := range subst {
		re := regexp.MustCompile(`(?m)^#!substdef "!` + k + `!.*!g"$`)
		if !re.MatchString(out) {
			t.Fatalf("kamailio.cfg has no substdef line for %s", k)
		}
		out = re.ReplaceAllLiteralString(out, `#!substdef "!`+k+`!`+v+`!g"`)
	}
	cfgPath := filepath.Join(dir, "kamailio.cfg")
	if err := os.WriteFile(cfgPath, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath
}

// optionsOK sends one OPTIONS to addr and reports whether a 200 came back.
func optionsOK(addr string) bool {
	c, err := net.Dial("udp", addr)
	if err != nil {
		return false
	}
	defer c.Close()
	local := c.LocalAddr().String()
	msg := "OPTIONS sip:" + addr + " SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK-probe" + fmt.Sprint(time.Now().UnixNano()) + "\r\n" +
		"Max-Forwards: 70\r\nFrom: <sip:probe@" + local + ">;tag=p\r\nTo: <sip:" + addr + ">\r\n" +
		"Call-ID: probe-" + fmt.Sprint(time.Now().UnixNano()) + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
	if _, err := c.Write([]byte(msg)); err != nil {
		return false
	}
	_ = c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	buf := make([]byte, 2048)
	n, err := c.Read(buf)
	return err == nil && strings.HasPrefix(string(buf[:n]), "SIP/2.0 200")
}

// RepoRoot finds the directory holding go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}
