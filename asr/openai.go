package asr

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"outreach/media"
)

// openai posts the endpointed utterance to an OpenAI-compatible
// POST {URL}/audio/transcriptions (OpenAI API reference "Create
// transcription"; whisper.cpp server, faster-whisper-server, vLLM): a
// multipart/form-data body with file (a 16-bit WAV), model, language
// (ISO-639-1), prompt (the hints, to bias spelling) and response_format
// json, answered by {"text": "..."}. It gives no partial results.
type openai struct {
	cfg    Config
	client *http.Client
}

func newOpenAI(cfg Config) *openai {
	c := cfg.HTTPClient
	if c == nil {
		c = &http.Client{Timeout: cfg.Timeout}
	}
	return &openai{cfg: cfg, client: c}
}

func (o *openai) Name() string { return EngineOpenAI }

// maxAudio bounds the audio buffered for one request (60 s at 8 kHz).
const maxAudio = 60 * media.SampleRate

// Recognize collects the audio until it closes, then transcribes it.
func (o *openai) Recognize(ctx context.Context, opts Options, audio <-chan []int16, _ chan<- Result) (Result, error) {
	var pcm []int16
	for open := true; open; {
		select {
		case <-ctx.Done():
			return Result{}, ctx.Err()
		case f, ok := <-audio:
			if !ok {
				open = false
				continue
			}
			if len(pcm) < maxAudio {
				pcm = append(pcm, f...)
			}
		}
	}
	body, ctype, err := o.form(pcm, opts)
	if err != nil {
		return Result{}, fmt.Errorf("asr: openai: %w", err)
	}
	tctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	url := strings.TrimSuffix(o.cfg.URL, "/") + "/audio/transcriptions"
	req, err := http.NewRequestWithContext(tctx, http.MethodPost, url, body)
	if err != nil {
		return Result{}, fmt.Errorf("asr: openai: %w", err)
	}
	req.Header.Set("Content-Type", ctype)
	if o.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+o.cfg.APIKey)
	}
	resp, err := o.client.Do(req)
	if err != nil {
		return Result{}, fmt.Errorf("asr: openai: post %s: %w", url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxMessage))
	if err != nil {
		return Result{}, fmt.Errorf("asr: openai: read reply: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		return Result{}, fmt.Errorf("asr: openai: post %s: status %d: %.200s", url, resp.StatusCode, data)
	}
	var r struct {
		Text *string `json:"text"`
	}
	if err := json.Unmarshal(data, &r); err != nil || r.Text == nil {
		return Result{}, fmt.Errorf("asr: openai: bad reply %.100q: %v", data, err)
	}
	return Result{Text: strings.TrimSpace(*r.Text), Final: true}, nil
}

// form writes the multipart body.
func (o *openai) form(pcm []int16, opts Options) (io.Reader, string, error) {
	var wav bytes.Buffer
	rate := o.cfg.SampleRate
	if rate == 16000 {
		pcm = NewUpsampler().Process(nil, append(pcm, make([]int16, upsampleTaps/2)...))[upsampleTaps:]
	}
	if err := media.WriteWAV(&wav, pcm, rate); err != nil {
		return nil, "", err
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", "utterance.wav")
	if err != nil {
		return nil, "", err
	}
	fw.Write(wav.Bytes())
	fields := [][2]string{{"model", o.cfg.Model}, {"response_format", "json"}, {"language", isoLanguage(opts.Language)}}
	if len(opts.Hints) > 0 {
		fields = append(fields, [2]string{"prompt", strings.Join(opts.Hints, ", ")})
	}
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return nil, "", err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return &b, mw.FormDataContentType(), nil
}

// isoLanguage maps "zh-CN" → "zh", "en-US" → "en"; "" → "zh".
func isoLanguage(l string) string {
	if l == "" {
		return "zh"
	}
	l, _, _ = strings.Cut(strings.ToLower(l), "-")
	return l
}
