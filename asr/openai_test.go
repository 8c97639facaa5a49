package asr

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// openaiServer checks requests as the OpenAI "Create transcription"
// endpoint takes them: POST /v1/audio/transcriptions, multipart/form-data
// with file, model, language, prompt, response_format; answers {"text"}.
type openaiServer struct {
	mu     sync.Mutex
	fields map[string]string
	auth   string
	wavLen int // samples in the uploaded WAV
	rate   int
	status int
	reply  string
	hang   bool
}

func (o *openaiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/audio/transcriptions" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if o.hang {
		io.Copy(io.Discard, r.Body) // the server notices the client leaving only once the body is read
		<-r.Context().Done()
		return
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		http.Error(w, "file missing", http.StatusBadRequest)
		return
	}
	wav, _ := io.ReadAll(f)
	o.mu.Lock()
	o.fields = map[string]string{}
	for k, v := range r.MultipartForm.Value {
		o.fields[k] = v[0]
	}
	o.auth = r.Header.Get("Authorization")
	if len(wav) > 44 && bytes.Equal(wav[:4], []byte("RIFF")) {
		o.rate = int(binary.LittleEndian.Uint32(wav[24:28]))
		o.wavLen = (len(wav) - 44) / 2
	}
	status, reply := o.status, o.reply
	o.mu.Unlock()
	if status != 0 {
		http.Error(w, `{"error": {"message": "model overloaded"}}`, status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, reply)
}

func TestOpenAI(t *testing.T) {
	for _, rate := range []int{8000, 16000} {
		srv := &openaiServer{reply: `{"text": " 没有发烧。 "}`}
		s := httptest.NewServer(srv)
		defer s.Close()
		rec, err := New(Config{Engine: EngineOpenAI, URL: s.URL + "/v1", APIKey: "sk-test", Model: "whisper-large-v3", SampleRate: rate})
		if err != nil {
			t.Fatal(err)
		}
		r, err := rec.Recognize(context.Background(), Options{Language: "zh-CN", Hints: []string{"发烧", "咳嗽"}}, closedAudio(50), nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Text != "没有发烧。" || !r.Final {
			t.Errorf("result %+v", r)
		}
		srv.mu.Lock()
		want := map[string]string{"model": "whisper-large-v3", "language": "zh", "prompt": "发烧, 咳嗽", "response_format": "json"}
		for k, v := range want {
			if srv.fields[k] != v {
				t.Errorf("field %s = %q, want %q", k, srv.fields[k], v)
			}
		}
		if srv.auth != "Bearer sk-test" || srv.rate != rate || srv.wavLen != 50*160*rate/8000 {
			t.Errorf("auth %q rate %d samples %d", srv.auth, srv.rate, srv.wavLen)
		}
		srv.mu.Unlock()
	}
}

func TestOpenAIErrors(t *testing.T) {
	cases := []struct {
		name string
		srv  *openaiServer
		want string
	}{
		{"server error", &openaiServer{status: 503}, "status 503"},
		{"bad json", &openaiServer{reply: `<html>`}, "bad reply"},
		{"no text", &openaiServer{reply: `{"error": "x"}`}, "bad reply"},
		{"timeout", &openaiServer{hang: true}, "deadline exceeded"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := httptest.NewServer(c.srv)
			defer s.Close()
			rec, _ := New(Config{Engine: EngineOpenAI, URL: s.URL + "/v1/", Timeout: 300 * time.Millisecond})
			_, err := rec.Recognize(context.Background(), Options{}, closedAudio(5), nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
}

func TestIsoLanguage(t *testing.T) {
	for in, want := range map[string]string{"": "zh", "zh-CN": "zh", "en-US": "en", "EN": "en"} {
		if got := isoLanguage(in); got != want {
			t.Errorf("isoLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}
