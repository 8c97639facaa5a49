package prompts

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"outreach/media"
)

const testAPIKey = "sk-test-secret-key-123"

// openAISpeech implements POST /v1/audio/speech as OpenAI documents it: JSON
// body {model, input, voice, response_format, speed}, bearer auth, audio
// bytes in the requested format (wav: 24 kHz 16-bit mono, streamed with
// unknown sizes; pcm: raw 24 kHz 16-bit little-endian), JSON errors.
type openAISpeech struct {
	requests atomic.Int32
	last     atomic.Value  // map[string]any
	block    chan struct{} // when non-nil the handler waits for it (timeouts)
}

func (o *openAISpeech) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.requests.Add(1)
	if o.block != nil {
		select {
		case <-o.block:
		case <-r.Context().Done():
		}
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v1/audio/speech" {
		apiError(w, http.StatusNotFound, "not found")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+testAPIKey {
		apiError(w, http.StatusUnauthorized, "Incorrect API key provided: "+r.Header.Get("Authorization"))
		return
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || r.Header.Get("Content-Type") != "application/json" {
		apiError(w, http.StatusBadRequest, "We could not parse the JSON body of your request.")
		return
	}
	o.last.Store(body)
	input, _ := body["input"].(string)
	speed, ok := body["speed"].(float64)
	if !ok {
		speed = 1
	}
	if status, msg := validateSpeech(body, input, speed); status != 0 {
		apiError(w, status, msg)
		return
	}
	pcm := tone24k(time.Duration(float64(len([]rune(input)))*50/speed) * time.Millisecond)
	switch body["response_format"] {
	case "wav":
		w.Header().Set("Content-Type", "audio/wav")
		w.Write(streamedWAV(pcm, 24000))
	case "pcm":
		w.Header().Set("Content-Type", "audio/pcm")
		b := make([]byte, 2*len(pcm))
		for i, s := range pcm {
			binary.LittleEndian.PutUint16(b[2*i:], uint16(s))
		}
		w.Write(b)
	default:
		apiError(w, http.StatusBadRequest, "unsupported response_format")
	}
}

// validateSpeech checks a request body as the documented API does.
func validateSpeech(body map[string]any, input string, speed float64) (int, string) {
	voice, _ := body["voice"].(string)
	model, _ := body["model"].(string)
	switch {
	case input == "" || len([]rune(input)) > 4096:
		return http.StatusBadRequest, "input must be 1 to 4096 characters"
	case !strings.Contains(" alloy ash ballad coral echo fable onyx nova sage shimmer verse ", " "+voice+" "):
		return http.StatusBadRequest, "Invalid value for 'voice'"
	case model != "tts-1" && model != "tts-1-hd" && model != "gpt-4o-mini-tts":
		return http.StatusBadRequest, "invalid model"
	case speed < 0.25 || speed > 4:
		return http.StatusBadRequest, "speed out of range"
	case input == "rate limit me":
		return http.StatusTooManyRequests, "Rate limit reached"
	}
	return 0, ""
}

func apiError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": msg, "type": "invalid_request_error", "param": nil, "code": nil}})
}

// tone24k is a 440 Hz sine at 24 kHz, amplitude 0.3.
func tone24k(d time.Duration) []int16 {
	n := int(d * 24000 / time.Second)
	pcm := make([]int16, n)
	for i := range pcm {
		pcm[i] = int16(0.3 * 32767 * math.Sin(2*math.Pi*440*float64(i)/24000))
	}
	return pcm
}

// streamedWAV writes a 16-bit mono WAV whose RIFF and data sizes are
// 0xFFFFFFFF, as a streaming server does.
func streamedWAV(pcm []int16, rate int) []byte {
	b := make([]byte, 44+2*len(pcm))
	le := binary.LittleEndian
	copy(b, "RIFF")
	le.PutUint32(b[4:], 0xFFFFFFFF)
	copy(b[8:], "WAVEfmt ")
	le.PutUint32(b[16:], 16)
	le.PutUint16(b[20:], 1)
	le.PutUint16(b[22:], 1)
	le.PutUint32(b[24:], uint32(rate))
	le.PutUint32(b[28:], uint32(2*rate))
	le.PutUint16(b[32:], 2)
	le.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	le.PutUint32(b[40:], 0xFFFFFFFF)
	for i, s := range pcm {
		le.PutUint16(b[44+2*i:], uint16(s))
	}
	return b
}

func newSpeechServer(t *testing.T, o *openAISpeech) string {
	t.Helper()
	srv := httptest.NewServer(o)
	t.Cleanup(srv.Close)
	if o.block != nil {
		t.Cleanup(func() { close(o.block) }) // runs before srv.Close
	}
	return srv.URL + "/v1/audio/speech"
}

func TestHTTPEngineOpenAI(t *testing.T) {
	o := &openAISpeech{}
	eng, err := NewHTTPEngine(HTTPConfig{Name: "openai", URL: newSpeechServer(t, o), APIKey: testAPIKey, BaseRate: 150})
	if err != nil {
		t.Fatal(err)
	}
	pcm, err := eng.Synthesize(context.Background(), Request{Text: "您好，请按一", Language: Chinese, Rate: 300})
	if err != nil {
		t.Fatal(err)
	}
	body := o.last.Load().(map[string]any)
	if body["input"] != "您好，请按一" || body["voice"] != "alloy" || body["model"] != "tts-1" ||
		body["response_format"] != "wav" || body["speed"] != 2.0 {
		t.Errorf("request body %v", body)
	}
	// 6 characters × 50 ms / speed 2 = 150 ms = 1200 samples at 8 kHz.
	if len(pcm) < 1150 || len(pcm) > 1250 {
		t.Errorf("got %d samples, want about 1200", len(pcm))
	}
	if lvl := media.ToneLevel(pcm[200:1000], 440); lvl < 0.8 {
		t.Errorf("440 Hz level %.2f after resampling", lvl)
	}
}

func TestHTTPEnginePCMAndTemplate(t *testing.T) {
	o := &openAISpeech{}
	eng, err := NewHTTPEngine(HTTPConfig{
		URL:     newSpeechServer(t, o),
		Headers: map[string]string{"Authorization": "Bearer " + testAPIKey},
		Body:    `{"model":"tts-1-hd","input":{{json .Text}},"voice":{{json .Voice}},"response_format":"pcm"}`,
		Format:  "pcm",
		Voice:   "nova",
	})
	if err != nil {
		t.Fatal(err)
	}
	loud, err := eng.Synthesize(context.Background(), Request{Text: "hello", Language: English, Voice: "shimmer"})
	if err != nil {
		t.Fatal(err)
	}
	quiet, err := eng.Synthesize(context.Background(), Request{Text: "hello", Language: English, Volume: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if len(loud) < 1950 || len(loud) > 2050 {
		t.Errorf("got %d samples, want about 2000", len(loud))
	}
	if r := media.RMS(quiet) / media.RMS(loud); r < 0.45 || r > 0.55 {
		t.Errorf("volume 0.5 gave RMS ratio %.2f", r)
	}
	if v := o.last.Load().(map[string]any)["voice"]; v != "nova" {
		t.Errorf("default voice %v", v)
	}
}

func TestHTTPEngineErrors(t *testing.T) {
	o := &openAISpeech{}
	url := newSpeechServer(t, o)
	tests := []struct {
		name   string
		cfg    HTTPConfig
		text   string
		status int
		want   string
	}{
		{"bad key", HTTPConfig{URL: url, APIKey: testAPIKey + "x"}, "hi", 401, "Incorrect API key"},
		{"bad voice", HTTPConfig{URL: url, APIKey: testAPIKey, Voice: "robot"}, "hi", 400, "voice"},
		{"rate limited", HTTPConfig{URL: url, APIKey: testAPIKey}, "rate limit me", 429, "Rate limit"},
		{"wrong path", HTTPConfig{URL: strings.TrimSuffix(url, "/speech"), APIKey: testAPIKey}, "hi", 404, "not found"},
		{"not audio", HTTPConfig{URL: url, APIKey: testAPIKey, Body: `{"model":"tts-1","input":"x","voice":"alloy","response_format":"mp3"}`}, "hi", 400, "response_format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng, err := NewHTTPEngine(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = eng.Synthesize(context.Background(), Request{Text: tt.text, Language: English})
			var se *HTTPStatusError
			if !errors.As(err, &se) || se.Status != tt.status || !strings.Contains(se.Body, tt.want) {
				t.Fatalf("err = %v, want status %d containing %q", err, tt.status, tt.want)
			}
			if strings.Contains(err.Error(), testAPIKey) {
				t.Fatalf("API key leaked into error: %v", err)
			}
		})
	}
}

func TestHTTPEngineNonWAVResponse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	eng, err := NewHTTPEngine(HTTPConfig{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Synthesize(context.Background(), Request{Text: "hi"}); err == nil || !strings.Contains(err.Error(), "not WAV") {
		t.Fatalf("err = %v", err)
	}
}

func TestHTTPEngineTimeout(t *testing.T) {
	o := &openAISpeech{block: make(chan struct{})}
	eng, err := NewHTTPEngine(HTTPConfig{URL: newSpeechServer(t, o), APIKey: testAPIKey, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = eng.Synthesize(context.Background(), Request{Text: "hi"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("timeout took %v", el)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := eng.Synthesize(ctx, Request{Text: "hi"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: err = %v", err)
	}
}

func TestNewHTTPEngineValidation(t *testing.T) {
	for _, cfg := range []HTTPConfig{
		{URL: ""},
		{URL: "ftp://example.com/x"},
		{URL: "http://127.0.0.1/x", Body: "{{.Nope"},
		{URL: "http://127.0.0.1/x", Format: "mp3"},
	} {
		if _, err := NewHTTPEngine(cfg); err == nil {
			t.Errorf("NewHTTPEngine(%+v): want error", cfg)
		}
	}
	eng, err := NewHTTPEngine(HTTPConfig{URL: "http://127.0.0.1/x", Body: "{{.Missing}}"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Synthesize(context.Background(), Request{Text: "x"}); err == nil {
		t.Error("unknown template field: want error")
	}
}

func FuzzDecodeResponse(f *testing.F) {
	f.Add(streamedWAV(tone24k(10*time.Millisecond), 24000), true)
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVEdata\xff\xff\xff\xff"), false)
	f.Add([]byte{1, 2, 3}, true)
	wav, _ := NewHTTPEngine(HTTPConfig{URL: "http://127.0.0.1/x"})
	pcm, _ := NewHTTPEngine(HTTPConfig{URL: "http://127.0.0.1/x", Format: "pcm"})
	f.Fuzz(func(t *testing.T, b []byte, raw bool) {
		e := wav
		if raw {
			e = pcm
		}
		e.decode(b, "audio/wav")
	})
}

func TestHTTPEngineAPIKeyFromEnv(t *testing.T) {
	t.Setenv("OUTREACH_TEST_TTS_KEY", testAPIKey)
	o := &openAISpeech{}
	eng, err := NewHTTPEngine(HTTPConfig{URL: newSpeechServer(t, o), APIKeyEnv: "OUTREACH_TEST_TTS_KEY"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Synthesize(context.Background(), Request{Text: "hi", Language: English}); err != nil {
		t.Fatal(err)
	}
}
