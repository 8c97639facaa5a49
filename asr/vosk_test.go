package asr

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// closedAudio returns n speech frames on a closed channel.
func closedAudio(n int) <-chan []int16 {
	ch := make(chan []int16, n)
	fs := audio(n * 20)
	for _, f := range fs[:n] {
		ch <- f
	}
	close(ch)
	return ch
}

// voskServer mimics alphacep/vosk-server websocket/asr_server.py: config
// as a text message containing "config", the exact string {"eof" : 1} ends
// the stream with FinalResult, every other message is audio answered by
// Result (at an endpoint) or PartialResult.
type voskServer struct {
	mu         sync.Mutex
	sampleRate float64
	phrases    []string
	bytes      int
	eof        bool
	endpointAt int    // bytes after which the first segment ends
	first      string // text of the first segment
	last       string // final text
	silentEOF  bool   // never answer the eof
	quiet      bool   // no reply to audio chunks (not asr_server.py, but seen in clones)
}

func (v *voskServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	ctx := r.Context()
	sentFirst := false
	for {
		typ, msg, err := c.Read(ctx)
		if err != nil {
			return
		}
		v.mu.Lock()
		var reply string
		switch {
		case typ == websocket.MessageText && strings.Contains(string(msg), "config"):
			var m struct {
				Config map[string]any `json:"config"`
			}
			json.Unmarshal(msg, &m)
			v.sampleRate, _ = m.Config["sample_rate"].(float64)
			if pl, ok := m.Config["phrase_list"].([]any); ok {
				for _, p := range pl {
					v.phrases = append(v.phrases, p.(string))
				}
			}
			v.mu.Unlock()
			continue
		case string(msg) == `{"eof" : 1}`:
			v.eof = true
			reply = `{"result": [{"conf": 0.8, "end": 1.0, "start": 0.5, "word": "x"}], "text": "` + v.last + `"}`
		default:
			v.bytes += len(msg)
			if !sentFirst && v.endpointAt > 0 && v.bytes >= v.endpointAt {
				sentFirst = true
				reply = `{"result": [{"conf": 1.0, "word": "y"}], "text": "` + v.first + `"}`
			} else {
				reply = `{"partial": "` + v.last[:min(len(v.last), v.bytes/1000)] + `"}`
			}
		}
		silent := v.eof && v.silentEOF
		quiet := !v.eof && v.quiet
		v.mu.Unlock()
		if quiet {
			continue
		}
		if silent {
			<-ctx.Done()
			return
		}
		if c.Write(ctx, websocket.MessageText, []byte(reply)) != nil {
			return
		}
		if v.eof {
			c.Close(websocket.StatusNormalClosure, "")
			return
		}
	}
}

func startWS(t *testing.T, h http.Handler) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return "ws" + strings.TrimPrefix(s.URL, "http")
}

func TestVosk(t *testing.T) {
	cases := []struct {
		name     string
		rate     int
		grammar  bool
		srv      *voskServer
		want     string
		wantConf float64
	}{
		{"8k", 8000, false, &voskServer{last: "没有 发烧"}, "没有 发烧", 0.8},
		{"16k with grammar", 16000, true, &voskServer{last: "yes"}, "yes", 0.8},
		{"endpoint inside", 8000, false, &voskServer{endpointAt: 3200, first: "yes", last: "i am"}, "yes i am", 0.9},
		{"no chunk replies, closes after final", 8000, false, &voskServer{last: "no", quiet: true}, "no", 0.8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := c.srv
			rec, err := New(Config{Engine: EngineVosk, URL: startWS(t, srv), SampleRate: c.rate, VoskGrammar: c.grammar})
			if err != nil {
				t.Fatal(err)
			}
			partial := make(chan Result, 100)
			r, err := rec.Recognize(context.Background(), Options{Hints: []string{"yes", "no"}}, closedAudio(50), partial)
			if err != nil {
				t.Fatal(err)
			}
			if r.Text != c.want || !r.Final || r.Confidence < c.wantConf-0.01 || r.Confidence > c.wantConf+0.01 {
				t.Errorf("result %+v, want %q conf %.2f", r, c.want, c.wantConf)
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if int(srv.sampleRate) != c.rate || !srv.eof || srv.bytes != 50*160*2*c.rate/8000 {
				t.Errorf("server saw rate %v eof %v bytes %d", srv.sampleRate, srv.eof, srv.bytes)
			}
			if c.grammar != (len(srv.phrases) == 3) {
				t.Errorf("phrase_list %v", srv.phrases)
			}
			if len(partial) == 0 && !srv.quiet {
				t.Error("no partial results")
			}
		})
	}
}

func TestVoskErrors(t *testing.T) {
	t.Run("no server", func(t *testing.T) {
		s := httptest.NewServer(http.NotFoundHandler())
		url := "ws" + strings.TrimPrefix(s.URL, "http")
		s.Close()
		rec, _ := New(Config{Engine: EngineVosk, URL: url, Timeout: time.Second})
		if _, err := rec.Recognize(context.Background(), Options{}, closedAudio(5), nil); err == nil {
			t.Error("no error from a closed port")
		}
	})
	t.Run("no final result", func(t *testing.T) {
		rec, _ := New(Config{Engine: EngineVosk, URL: startWS(t, &voskServer{last: "x", silentEOF: true}), Timeout: 200 * time.Millisecond})
		_, err := rec.Recognize(context.Background(), Options{}, closedAudio(5), nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want deadline exceeded", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		rec, _ := New(Config{Engine: EngineVosk, URL: startWS(t, &voskServer{last: "x"})})
		ctx, cancel := context.WithCancel(context.Background())
		audio := make(chan []int16) // never closed
		go func() {
			audio <- make([]int16, 160) // Recognize is streaming; now cancel
			cancel()
		}()
		if _, err := rec.Recognize(ctx, Options{}, audio, nil); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want canceled", err)
		}
	})
}
