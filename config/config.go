// Package config is Outreach's one typed configuration: a YAML file, then
// OUTREACH_* environment overrides, then defaults, then Validate, whose
// messages name the offending field (e.g. `trunks[0].addr: missing`).
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is the whole configuration. Every key is documented in
// config/example.yaml, which a test keeps in step with this struct.
type Config struct {
	// Timezone for calling windows, schedules and reports (IANA name).
	Timezone string `yaml:"timezone"`
	// DataDir holds the embedded store, prompt cache and recordings when no
	// database is configured.
	DataDir string `yaml:"data_dir"`
	// Log configures logging.
	Log Log `yaml:"log"`
	// Database is the PostgreSQL DSN; empty means the embedded store in DataDir.
	Database string `yaml:"database"`
	// KeyFile holds the keys that encrypt personal data at rest (created,
	// mode 0600, when missing). Back it up: without it the data is lost.
	KeyFile string `yaml:"key_file"`
	// Redis is the Redis URL (redis://host:port/db); empty means an in-process
	// Redis-protocol server.
	Redis string `yaml:"redis"`
	// RedisPrefix namespaces the queue's keys, so several deployments can
	// share one Redis.
	RedisPrefix string `yaml:"redis_prefix"`
	// SIP configures the robot's SIP user agent.
	SIP SIP `yaml:"sip"`
	// RTP configures media ports.
	RTP RTP `yaml:"rtp"`
	// Trunks are the SIP gateways calls go out through.
	Trunks []Trunk `yaml:"trunks"`
	// Org is the organisation that calls, spoken in prompts ({{.Org}}).
	Org string `yaml:"org"`
	// Robot configures this process's calling workers.
	Robot Robot `yaml:"robot"`
	// Prompts configures text-to-speech and the prompt cache.
	Prompts Prompts `yaml:"prompts"`
	// ASR configures speech answers; an empty engine means keys only.
	ASR ASR `yaml:"asr"`
	// Webhook receives alerts (signed); an empty URL sends none.
	Webhook Webhook `yaml:"webhook"`
	// API configures the REST API and console.
	API API `yaml:"api"`
	// MetricsListen serves /metrics (Prometheus) on a process without the
	// api role, e.g. a robot-only node; empty = none.
	MetricsListen string `yaml:"metrics_listen"`
	// Scheduler configures the elected scheduler.
	Scheduler Scheduler `yaml:"scheduler"`
}

// Log configures log output.
type Log struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text or json
}

// SIP configures the robot's SIP user agent.
type SIP struct {
	// Listen is the local SIP address, host:port.
	Listen string `yaml:"listen"`
	// PublicAddr is the address written in Contact and SDP when the robot is
	// behind NAT; empty means the listen host.
	PublicAddr string `yaml:"public_addr"`
	// UserAgent is sent in User-Agent headers.
	UserAgent string `yaml:"user_agent"`
	// MaxRetryAfter caps how long a 503 Retry-After pauses a trunk.
	MaxRetryAfter time.Duration `yaml:"max_retry_after"`
}

// RTP configures media.
type RTP struct {
	PortMin      int           `yaml:"port_min"`
	PortMax      int           `yaml:"port_max"`
	MediaTimeout time.Duration `yaml:"media_timeout"`
}

// Trunk is one SIP gateway.
type Trunk struct {
	Name            string        `yaml:"name"`
	Addr            string        `yaml:"addr"`
	Transport       string        `yaml:"transport"`
	Username        string        `yaml:"username"`
	Password        string        `yaml:"password"`
	Realm           string        `yaml:"realm"`
	Register        bool          `yaml:"register"`
	RegisterExpiry  time.Duration `yaml:"register_expiry"`
	CallerID        string        `yaml:"caller_id"`
	CallerName      string        `yaml:"caller_name"`
	Rewrite         []Rewrite     `yaml:"rewrite"`
	MaxCalls        int           `yaml:"max_calls"`
	CPS             float64       `yaml:"cps"`
	OptionsInterval time.Duration `yaml:"options_interval"`
}

// Rewrite turns a dialled number into what the trunk expects.
type Rewrite struct {
	Match   string `yaml:"match"`
	Replace string `yaml:"replace"`
}

// Load reads a YAML file (an empty path means no file), applies environment
// overrides from env (nil means os.LookupEnv) and defaults, and validates.
func Load(path string, env func(string) (string, bool)) (*Config, error) {
	c := &Config{}
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("load config: %w", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("load config %s: %w", path, err)
		}
	}
	if env == nil {
		env = os.LookupEnv
	}
	if err := applyEnv(c, env); err != nil {
		return nil, fmt.Errorf("load config: %w", err)
	}
	c.SetDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}
