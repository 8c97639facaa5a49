package asr

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestLogged(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ok := httptest.NewServer(&openaiServer{reply: `{"text": "my number is 13812345678"}`})
	defer ok.Close()
	bad := httptest.NewServer(&openaiServer{status: 500})
	defer bad.Close()
	for _, url := range []string{ok.URL, bad.URL} {
		rec, err := New(Config{Engine: EngineOpenAI, URL: url + "/v1", Logger: log, APIKey: "sk-secret"})
		if err != nil {
			t.Fatal(err)
		}
		rec.Recognize(context.Background(), Options{}, closedAudio(3), nil)
	}
	out := buf.String()
	for _, want := range []string{"speech recognised", "138****5678", "speech recognition failed", "status 500"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for _, leak := range []string{"13812345678", "sk-secret"} {
		if strings.Contains(out, leak) {
			t.Errorf("log leaks %q", leak)
		}
	}
}
