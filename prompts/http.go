package prompts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strings"
	"text/template"
	"time"

	"outreach/media"
)

// DefaultHTTPBody is the request body of an OpenAI-compatible
// POST /v1/audio/speech: model, input, voice, response_format, speed.
const DefaultHTTPBody = `{"model":{{json .Model}},"input":{{json .Text}},"voice":{{json .Voice}},` +
	`"response_format":"wav","speed":{{.Speed}}}`

// HTTPConfig configures an HTTPEngine.
type HTTPConfig struct {
	Name    string            // engine name in cache keys and logs; default "http"
	URL     string            // e.g. https://api.openai.com/v1/audio/speech
	Method  string            // default POST
	Headers map[string]string // extra request headers
	// APIKey is sent as "Authorization: Bearer <key>" (unless Headers sets
	// Authorization). It is never logged and is redacted from error texts.
	APIKey string
	// APIKeyEnv names an environment variable holding the key, read by
	// NewHTTPEngine when APIKey is empty (e.g. "OPENAI_API_KEY").
	APIKeyEnv    string
	Model        string // {{.Model}}; default "tts-1"
	Voice        string // default voice when the request has none; default "alloy"
	Body         string // text/template over TemplateData; default DefaultHTTPBody
	ContentType  string // of the request body; default application/json
	Format       string // "wav" (default) or "pcm": raw 16-bit little-endian mono
	PCMRate      int    // sample rate of "pcm" responses; default 24000 (OpenAI's)
	BaseRate     int    // words per minute that is speed 1.0; default 150
	Timeout      time.Duration
	MaxBodyBytes int64 // response limit; default 32 MiB
	Client       *http.Client
	Logger       *slog.Logger
}

// TemplateData is what the body template sees. Speed is relative (1 = normal),
// computed from Request.Rate and HTTPConfig.BaseRate, within 0.25–4.
type TemplateData struct {
	Text, Voice, Language, Model string
	Speed                        float64
}

// HTTPEngine synthesises speech through an HTTP service.
type HTTPEngine struct {
	cfg  HTTPConfig
	body *template.Template
}

// HTTPStatusError is a non-2xx answer of the TTS service.
type HTTPStatusError struct {
	Status int
	Body   string // excerpt, API key redacted
}

func (e *HTTPStatusError) Error() string {
	return fmt.Sprintf("status %d: %s", e.Status, e.Body)
}

// NewHTTPEngine checks cfg, applies defaults and compiles the body template.
func NewHTTPEngine(cfg HTTPConfig) (*HTTPEngine, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("tts http: url %q: want http(s)://host/path", cfg.URL)
	}
	if cfg.APIKey == "" && cfg.APIKeyEnv != "" {
		cfg.APIKey = os.Getenv(cfg.APIKeyEnv)
	}
	cfg.Name = firstString(cfg.Name, "http")
	cfg.Method = strings.ToUpper(firstString(cfg.Method, http.MethodPost))
	cfg.Model = firstString(cfg.Model, "tts-1")
	cfg.Voice = firstString(cfg.Voice, "alloy")
	cfg.Body = firstString(cfg.Body, DefaultHTTPBody)
	cfg.ContentType = firstString(cfg.ContentType, "application/json")
	cfg.Format = strings.ToLower(firstString(cfg.Format, "wav"))
	if cfg.Format != "wav" && cfg.Format != "pcm" {
		return nil, fmt.Errorf("tts http: format %q: want wav or pcm", cfg.Format)
	}
	cfg.PCMRate = firstPositive(cfg.PCMRate, 24000)
	cfg.BaseRate = firstPositive(cfg.BaseRate, 150)
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 32 << 20
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	funcs := template.FuncMap{"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	}}
	t, err := template.New("body").Funcs(funcs).Option("missingkey=error").Parse(cfg.Body)
	if err != nil {
		return nil, fmt.Errorf("tts http: body template: %w", err)
	}
	return &HTTPEngine{cfg: cfg, body: t}, nil
}

// Name implements Engine.
func (h *HTTPEngine) Name() string { return h.cfg.Name }

// Synthesize implements Engine.
func (h *HTTPEngine) Synthesize(ctx context.Context, req Request) ([]int16, error) {
	if strings.TrimSpace(req.Text) == "" {
		return nil, errors.New("tts http: empty text")
	}
	data := h.templateData(req)
	var body bytes.Buffer
	if err := h.body.Execute(&body, data); err != nil {
		return nil, fmt.Errorf("tts http: body template: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, h.cfg.Method, h.cfg.URL, &body)
	if err != nil {
		return nil, fmt.Errorf("tts http: %w", err)
	}
	hreq.Header.Set("Content-Type", h.cfg.ContentType)
	hreq.Header.Set("Accept", "audio/wav, audio/*;q=0.9, */*;q=0.1")
	if h.cfg.APIKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+h.cfg.APIKey)
	}
	for k, v := range h.cfg.Headers {
		hreq.Header.Set(k, v)
	}
	start := time.Now()
	resp, err := h.cfg.Client.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("tts http %s: %w", h.cfg.Name, h.redactErr(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, h.cfg.MaxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("tts http %s: read response: %w", h.cfg.Name, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("tts http %s: %w", h.cfg.Name,
			&HTTPStatusError{Status: resp.StatusCode, Body: h.redact(excerpt(raw))})
	}
	if int64(len(raw)) > h.cfg.MaxBodyBytes {
		return nil, fmt.Errorf("tts http %s: response exceeds %d bytes", h.cfg.Name, h.cfg.MaxBodyBytes)
	}
	pcm, err := h.decode(raw, resp.Header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("tts http %s: %w", h.cfg.Name, err)
	}
	applyGain(pcm, req.volume())
	h.logger().Debug("tts http synthesized", "engine", h.cfg.Name, "voice", data.Voice,
		"chars", len([]rune(req.Text)), "elapsed", time.Since(start),
		"duration_ms", len(pcm)*1000/media.SampleRate)
	return pcm, nil
}

func (h *HTTPEngine) templateData(req Request) TemplateData {
	speed := 1.0
	if req.Rate > 0 {
		speed = float64(req.Rate) / float64(h.cfg.BaseRate)
		speed = max(0.25, min(speed, 4))
	}
	return TemplateData{Text: req.Text, Voice: firstString(req.Voice, h.cfg.Voice),
		Language: string(req.lang()), Model: h.cfg.Model, Speed: speed}
}

// decode turns the response body into 8 kHz PCM: a WAV file (any rate and
// sample format media.ReadWAV reads) or, with Format "pcm", raw 16-bit
// little-endian mono at PCMRate.
func (h *HTTPEngine) decode(raw []byte, contentType string) ([]int16, error) {
	isWAV := len(raw) >= 12 && string(raw[:4]) == "RIFF" && string(raw[8:12]) == "WAVE"
	if isWAV {
		pcm, err := media.ReadWAV(bytes.NewReader(fixStreamedWAV(raw)))
		if err != nil {
			return nil, fmt.Errorf("decode wav: %w", err)
		}
		return pcm, nil
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	if h.cfg.Format != "pcm" || strings.HasPrefix(mt, "text/") || mt == "application/json" {
		return nil, fmt.Errorf("response is not WAV audio (content-type %q, %d bytes): %s",
			contentType, len(raw), h.redact(excerpt(raw[:min(len(raw), 200)])))
	}
	pcm := make([]int16, len(raw)/2)
	for i := range pcm {
		pcm[i] = int16(uint16(raw[2*i]) | uint16(raw[2*i+1])<<8)
	}
	if h.cfg.PCMRate != media.SampleRate {
		pcm = media.Resample(pcm, h.cfg.PCMRate, media.SampleRate)
	}
	return pcm, nil
}

// redact removes the API key from a text shown in errors.
func (h *HTTPEngine) redact(s string) string {
	if h.cfg.APIKey == "" {
		return s
	}
	return strings.ReplaceAll(s, h.cfg.APIKey, "[redacted]")
}

func (h *HTTPEngine) redactErr(err error) error {
	if h.cfg.APIKey == "" || !strings.Contains(err.Error(), h.cfg.APIKey) {
		return err
	}
	return errors.New(h.redact(err.Error()))
}

func (h *HTTPEngine) logger() *slog.Logger {
	if h.cfg.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.cfg.Logger
}
