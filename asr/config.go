package asr

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Engine names.
const (
	EnginePocketsphinx = "pocketsphinx"
	EngineVosk         = "vosk"
	EngineFunASR       = "funasr"
	EngineOpenAI       = "openai"
	EngineTemplate     = "template"
)

// Config chooses and configures an engine (per script or campaign).
type Config struct {
	Engine string // EnginePocketsphinx, EngineVosk, EngineFunASR, EngineOpenAI or EngineTemplate

	// Network engines.
	URL         string        // ws://host:2700 (vosk), ws://host:10095 (funasr), http://host:8080/v1 (openai)
	SampleRate  int           // rate sent to network engines: 8000 (default) or 16000 (upsampled)
	Timeout     time.Duration // connect + end of audio to final result (default DefaultTimeout)
	APIKey      string        // openai: bearer token; never logged
	Model       string        // openai: model name (default "whisper-1")
	Mode        string        // funasr: "2pass" (default), "online" or "offline"
	VoskGrammar bool          // vosk: send the hints as phrase_list (restricts the vocabulary; small models only)
	HTTPClient  *http.Client  // openai; nil = a client with Timeout

	// pocketsphinx.
	ModelDir string // default /usr/share/pocketsphinx/model/en-us
	Decoders int    // decoders kept (each ~28 MB, ~0.3 s to load); 0 = 4

	// template: directory of reference recordings (TemplateManifestFile
	// and WAVs), of the voice to be understood.
	TemplateDir string

	Logger *slog.Logger // nil = discard
}

// DefaultTimeout bounds one recognition after the end of the audio.
const DefaultTimeout = 10 * time.Second

func (c Config) withDefaults() Config {
	if c.SampleRate == 0 {
		c.SampleRate = 8000
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Model == "" {
		c.Model = "whisper-1"
	}
	if c.Mode == "" {
		c.Mode = "2pass"
	}
	if c.Decoders <= 0 {
		c.Decoders = 4
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate checks the configuration; messages name the field.
func (c Config) Validate() error {
	switch c.Engine {
	case EnginePocketsphinx:
	case EngineTemplate:
		if c.TemplateDir == "" {
			return fmt.Errorf("asr: engine template needs template_dir (reference recordings)")
		}
	case EngineVosk, EngineFunASR, EngineOpenAI:
		if c.URL == "" {
			return fmt.Errorf("asr: engine %s needs url", c.Engine)
		}
	default:
		return fmt.Errorf("asr: engine %q: %w (want pocketsphinx, vosk, funasr, openai or template)", c.Engine, ErrUnknownEngine)
	}
	if c.SampleRate != 0 && c.SampleRate != 8000 && c.SampleRate != 16000 {
		return fmt.Errorf("asr: sample_rate %d: want 8000 or 16000", c.SampleRate)
	}
	if c.Engine == EngineFunASR && c.Mode != "" && c.Mode != "2pass" && c.Mode != "online" && c.Mode != "offline" {
		return fmt.Errorf("asr: mode %q: want 2pass, online or offline", c.Mode)
	}
	return nil
}

// New builds the configured engine. For pocketsphinx in a binary built
// without the pocketsphinx tag it returns an error wrapping ErrNotBuilt.
func New(cfg Config) (Recognizer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	var r Recognizer
	switch cfg.Engine {
	case EngineVosk:
		r = newVosk(cfg)
	case EngineFunASR:
		r = newFunASR(cfg)
	case EngineOpenAI:
		r = newOpenAI(cfg)
	case EngineTemplate:
		var err error
		if r, err = newTemplate(cfg); err != nil {
			return nil, err
		}
	default:
		var err error
		if r, err = newPocketsphinx(cfg); err != nil {
			return nil, err
		}
	}
	return logged{r, cfg.Logger}, nil
}
