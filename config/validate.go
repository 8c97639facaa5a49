package config

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"
	"time"
)

// Validate checks every field and reports all problems at once, each naming
// its field, e.g. `trunks[1].transport: "sctp" is not one of udp, tcp, tls`.
func (c *Config) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		bad("timezone", "unknown time zone %q", c.Timezone)
	}
	if !oneOf(c.Log.Level, "debug", "info", "warn", "error") {
		bad("log.level", "%q is not one of debug, info, warn, error", c.Log.Level)
	}
	if !oneOf(c.Log.Format, "text", "json") {
		bad("log.format", "%q is not one of text, json", c.Log.Format)
	}
	if c.Database != "" && !strings.HasPrefix(c.Database, "postgres://") && !strings.HasPrefix(c.Database, "postgresql://") {
		bad("database", "must be a postgres:// URL (or empty for the embedded store)")
	}
	if c.Redis != "" && !strings.HasPrefix(c.Redis, "redis://") && !strings.HasPrefix(c.Redis, "rediss://") {
		bad("redis", "must be a redis:// URL (or empty for the in-process server)")
	}
	if _, _, err := net.SplitHostPort(c.SIP.Listen); err != nil {
		bad("sip.listen", "%q is not host:port", c.SIP.Listen)
	}
	if c.RTP.PortMin < 1024 || c.RTP.PortMax > 65535 || c.RTP.PortMin >= c.RTP.PortMax {
		bad("rtp", "port range %d-%d must lie within 1024-65535 with port_min < port_max", c.RTP.PortMin, c.RTP.PortMax)
	}
	if !oneOf(c.Prompts.Engine, "espeak-ng", "http") {
		bad("prompts.engine", "%q is not one of espeak-ng, http", c.Prompts.Engine)
	}
	if c.Prompts.Engine == "http" && c.Prompts.HTTPURL == "" {
		bad("prompts.http_url", "required with engine http")
	}
	if !oneOf(c.ASR.Engine, "", "pocketsphinx", "vosk", "funasr", "openai", "template") {
		bad("asr.engine", "%q is not one of pocketsphinx, vosk, funasr, openai, template (or empty)", c.ASR.Engine)
	}
	if c.ASR.Engine == "template" && c.ASR.TemplateDir == "" {
		bad("asr.template_dir", "required with engine template")
	}
	if c.Webhook.URL != "" && len(c.Webhook.Secret) < 16 {
		bad("webhook.secret", "at least 16 characters when webhook.url is set")
	}
	if c.Robot.Lines < 0 {
		bad("robot.lines", "must not be negative")
	}
	if p := c.Robot.Procs; p < 0 {
		bad("robot.procs", "%d: use 0 (adaptive) or a number of Ps", p)
	}
	if p := c.Robot.GCPercent; p < -1 || (p > 0 && p < 25) {
		bad("robot.gc_percent", "%d: use -1 (off), 0 (default 400) or at least 25", p)
	}
	if _, _, err := net.SplitHostPort(c.API.Listen); err != nil {
		bad("api.listen", "%q is not host:port", c.API.Listen)
	}
	names := map[string]bool{}
	for i, t := range c.Trunks {
		f := fmt.Sprintf("trunks[%d]", i)
		if t.Name == "" {
			bad(f+".name", "missing")
		} else if names[t.Name] {
			bad(f+".name", "%q is used by another trunk", t.Name)
		}
		names[t.Name] = true
		if _, _, err := net.SplitHostPort(t.Addr); err != nil {
			bad(f+".addr", "%q is not host:port", t.Addr)
		}
		if !oneOf(t.Transport, "udp", "tcp", "tls") {
			bad(f+".transport", "%q is not one of udp, tcp, tls", t.Transport)
		}
		if (t.Username == "") != (t.Password == "") {
			bad(f+".password", "username and password go together")
		}
		if t.Register && t.Username == "" {
			bad(f+".register", "needs username and password")
		}
		if strings.ContainsFunc(t.CallerID+t.CallerName+t.Username, isControl) {
			bad(f+".caller_id", "control characters are not allowed")
		}
		if t.MaxCalls < 0 || t.CPS < 0 {
			bad(f+".max_calls", "limits must not be negative")
		}
		for j, r := range t.Rewrite {
			if _, err := regexp.Compile(r.Match); err != nil {
				bad(fmt.Sprintf("%s.rewrite[%d].match", f, j), "%v", err)
			}
		}
	}
	return errors.Join(errs...)
}

func oneOf(s string, list ...string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
