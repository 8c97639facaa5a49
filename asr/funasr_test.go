package asr

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// funasrServer mimics the FunASR runtime WebSocket server
// (runtime/docs/websocket_protocol.md): a first JSON message, binary PCM,
// {"is_speaking": false}; results {"mode", "wav_name", "text", "is_final"}.
// In 2pass mode it sends a 2pass-online result every 600 ms of audio (the
// chunk_size [5,10,5]) and the 2pass-offline correction at the end.
type funasrServer struct {
	mu       sync.Mutex
	start    map[string]any
	bytes    int
	ended    bool
	online   []string // successive online pieces
	offline  string   // corrected text
	isFinal  bool     // is_final on the closing result (servers differ)
	noResult bool
}

func (f *funasrServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	ctx := r.Context()
	send := func(mode, text string, final bool) error {
		b, _ := json.Marshal(map[string]any{"mode": mode, "wav_name": "outreach", "text": text, "is_final": final, "timestamp": "[[100,200]]"})
		return c.Write(ctx, websocket.MessageText, b)
	}
	next, chunk := 0, 0
	for {
		typ, msg, err := c.Read(ctx)
		if err != nil {
			return
		}
		f.mu.Lock()
		if typ == websocket.MessageText {
			var m map[string]any
			if json.Unmarshal(msg, &m) != nil {
				f.mu.Unlock()
				return
			}
			if f.start == nil {
				f.start = m
				chunk = int(m["audio_fs"].(float64)) * 2 * 600 / 1000
				f.mu.Unlock()
				continue
			}
			if sp, ok := m["is_speaking"].(bool); ok && !sp {
				f.ended = true
				mode, noResult := f.start["mode"].(string), f.noResult
				f.mu.Unlock()
				if noResult {
					<-ctx.Done()
					return
				}
				if mode == "2pass" {
					mode = "2pass-offline"
				}
				send(mode, f.offline, f.isFinal)
				c.Close(websocket.StatusNormalClosure, "")
				return
			}
			f.mu.Unlock()
			continue
		}
		f.bytes += len(msg)
		mode := f.start["mode"].(string)
		due := mode != "offline" && next < len(f.online) && f.bytes >= (next+1)*chunk
		f.mu.Unlock()
		if due {
			m := "online"
			if mode == "2pass" {
				m = "2pass-online"
			}
			if send(m, f.online[next], false) != nil {
				return
			}
			next++
		}
	}
}

func TestFunASR(t *testing.T) {
	cases := []struct {
		name   string
		mode   string
		srv    *funasrServer
		want   string
		online bool
	}{
		{"2pass corrected", "2pass", &funasrServer{online: []string{"没有", "发骚"}, offline: "没有发烧。"}, "没有发烧。", true},
		{"2pass not final flag", "2pass", &funasrServer{online: []string{"三十六"}, offline: "三十六度五"}, "三十六度五", true},
		{"offline", "offline", &funasrServer{offline: "是的", isFinal: true}, "是的", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := c.srv
			rec, err := New(Config{Engine: EngineFunASR, URL: startWS(t, srv), Mode: c.mode})
			if err != nil {
				t.Fatal(err)
			}
			partial := make(chan Result, 100)
			r, err := rec.Recognize(context.Background(), Options{Hints: []string{"发烧", "咳嗽"}}, closedAudio(100), partial)
			if err != nil {
				t.Fatal(err)
			}
			if r.Text != c.want || !r.Final {
				t.Errorf("result %+v, want %q", r, c.want)
			}
			if c.online && len(partial) == 0 {
				t.Error("no partial results")
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			s := srv.start
			if s["mode"] != c.mode || s["wav_format"] != "pcm" || s["audio_fs"] != 8000.0 || s["is_speaking"] != true || s["wav_name"] == "" {
				t.Errorf("first message %v", s)
			}
			if cs, _ := s["chunk_size"].([]any); len(cs) != 3 || cs[1] != 10.0 {
				t.Errorf("chunk_size %v", s["chunk_size"])
			}
			var hw map[string]int
			if err := json.Unmarshal([]byte(s["hotwords"].(string)), &hw); err != nil || hw["发烧"] != HotwordWeight || len(hw) != 2 {
				t.Errorf("hotwords %v (%v)", s["hotwords"], err)
			}
			if !srv.ended || srv.bytes != 100*320 {
				t.Errorf("server saw end %v bytes %d", srv.ended, srv.bytes)
			}
		})
	}
}

func TestFunASRTimeout(t *testing.T) {
	rec, _ := New(Config{Engine: EngineFunASR, URL: startWS(t, &funasrServer{noResult: true}), Timeout: 200 * time.Millisecond})
	_, err := rec.Recognize(context.Background(), Options{}, closedAudio(10), nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want deadline exceeded", err)
	}
}

func TestHotwords(t *testing.T) {
	if hotwords(nil) != "" {
		t.Error("hotwords for no hints")
	}
	if got := hotwords([]string{" 是 ", "没有"}); got != `{"是":20,"没有":20}` {
		t.Errorf("hotwords = %s", got)
	}
}
