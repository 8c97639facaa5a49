package config

import (
	"path/filepath"
	"time"
)

// SetDefaults fills every unset field with its documented default.
func (c *Config) SetDefaults() {
	def(&c.Timezone, "Asia/Shanghai")
	def(&c.DataDir, "./outreach-data")
	def(&c.KeyFile, filepath.Join(c.DataDir, "keys.json"))
	def(&c.Log.Level, "info")
	def(&c.Log.Format, "text")
	def(&c.SIP.Listen, "0.0.0.0:5080")
	def(&c.SIP.UserAgent, "Outreach")
	if c.SIP.MaxRetryAfter == 0 {
		c.SIP.MaxRetryAfter = 5 * time.Minute
	}
	if c.RTP.PortMin == 0 && c.RTP.PortMax == 0 {
		c.RTP.PortMin, c.RTP.PortMax = 20000, 39999
	}
	if c.RTP.MediaTimeout == 0 {
		c.RTP.MediaTimeout = 30 * time.Second
	}
	def(&c.Org, "社区健康随访")
	def(&c.RedisPrefix, "outreach")
	if c.Robot.Lease == 0 {
		c.Robot.Lease = 30 * time.Second
	}
	if c.Robot.Lines == 0 {
		c.Robot.Lines = 30
	}
	if c.Robot.RingTimeout == 0 {
		c.Robot.RingTimeout = 45 * time.Second
	}
	if c.Robot.MaxDuration == 0 {
		c.Robot.MaxDuration = 10 * time.Minute
	}
	if c.Robot.DrainTimeout == 0 {
		c.Robot.DrainTimeout = 2 * time.Minute
	}
	def(&c.Prompts.Engine, "espeak-ng")
	def(&c.Prompts.CacheDir, filepath.Join(c.DataDir, "prompts"))
	if c.Prompts.LeadIn == 0 {
		c.Prompts.LeadIn = 500 * time.Millisecond
	}
	def(&c.API.Listen, "127.0.0.1:8080")
	if c.Scheduler.Interval == 0 {
		c.Scheduler.Interval = 15 * time.Second
	}
	if c.Scheduler.Reconcile == 0 {
		c.Scheduler.Reconcile = time.Minute
	}
	for i := range c.Trunks {
		t := &c.Trunks[i]
		def(&t.Transport, "udp")
		if t.MaxCalls == 0 {
			t.MaxCalls = 30
		}
		if t.CPS == 0 {
			t.CPS = 10
		}
		if t.Register && t.RegisterExpiry == 0 {
			t.RegisterExpiry = time.Hour
		}
		if t.OptionsInterval == 0 {
			t.OptionsInterval = 30 * time.Second
		}
	}
}

func def(s *string, v string) {
	if *s == "" {
		*s = v
	}
}
