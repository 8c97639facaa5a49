package config

import "time"

// Robot configures the calling workers of one process.
type Robot struct {
	Lines        int           `yaml:"lines"`         // calls this process places at once
	Worker       string        `yaml:"worker"`        // unique worker id; empty = host-pid
	RingTimeout  time.Duration `yaml:"ring_timeout"`  // CANCEL after this
	MaxDuration  time.Duration `yaml:"max_duration"`  // BYE after this
	DrainTimeout time.Duration `yaml:"drain_timeout"` // on SIGTERM, live calls get this long, then BYE
	Lease        time.Duration `yaml:"lease"`         // a claimed task's lease; renewed every third of it
	GCPercent    int           `yaml:"gc_percent"`    // Go GC target of the process (GOGC); 0 = 400 (dialer.DefaultGCPercent), -1 = off
	Procs        int           `yaml:"procs"`         // GOMAXPROCS of a serve process with the robot role; 0 = adaptive (package procs): one P at light load, all under load
}

// Prompts configures text-to-speech.
type Prompts struct {
	Engine   string        `yaml:"engine"`    // espeak-ng | http
	CacheDir string        `yaml:"cache_dir"` // rendered prompts; empty = data_dir/prompts
	LeadIn   time.Duration `yaml:"lead_in"`   // pause after answer before the first word
	Rate     int           `yaml:"rate"`      // words per minute; 0 = engine default
	Volume   float64       `yaml:"volume"`    // linear gain; 0 = 1
	HTTPURL  string        `yaml:"http_url"`  // for engine http: an OpenAI-compatible /v1/audio/speech
	HTTPKey  string        `yaml:"http_key"`  // bearer key (or OUTREACH_PROMPTS_HTTP_KEY)
	Model    string        `yaml:"model"`     // for engine http
	Voice    string        `yaml:"voice"`     // engine voice; empty = per language default
	Shipped  string        `yaml:"shipped"`   // pre-rendered prompts (manifest.json) served before the engine
}

// ASR configures speech recognition.
type ASR struct {
	Engine      string `yaml:"engine"`       // "" (keys only) | pocketsphinx | vosk | funasr | openai | template
	URL         string `yaml:"url"`          // network engines
	Key         string `yaml:"key"`          // openai-compatible bearer key (or OUTREACH_ASR_KEY)
	TemplateDir string `yaml:"template_dir"` // template: reference recordings of the voice to understand
}

// Webhook is where alerts are pushed.
type Webhook struct {
	URL       string `yaml:"url"`
	Secret    string `yaml:"secret"`    // HMAC-SHA256 key, at least 16 bytes (or OUTREACH_WEBHOOK_SECRET)
	Plaintext bool   `yaml:"plaintext"` // send names and phones unmasked (only to an entitled receiver)
}

// API configures the HTTP server of the api role.
type API struct {
	Listen string `yaml:"listen"`
}

// Scheduler configures the scheduler role.
type Scheduler struct {
	Interval  time.Duration `yaml:"interval"`  // between ticks
	Reconcile time.Duration `yaml:"reconcile"` // rebuild Redis from the database this often
}
