package asr

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// funasr speaks the FunASR runtime WebSocket protocol
// (runtime/docs/websocket_protocol.md): a first JSON message {"mode":
// "2pass", "wav_name", "wav_format": "pcm", "audio_fs": 8000,
// "is_speaking": true, "chunk_size": [5,10,5], "hotwords": "{\"word\":20}",
// "itn": true}, binary PCM, then {"is_speaking": false}. Results are
// {"mode": "2pass-online"|"2pass-offline"|"online"|"offline", "text",
// "is_final", "wav_name"}: 2pass-online text is provisional and replaced by
// the 2pass-offline text of the same segment.
type funasr struct{ cfg Config }

func newFunASR(cfg Config) *funasr { return &funasr{cfg: cfg} }

func (f *funasr) Name() string { return EngineFunASR }

// HotwordWeight is the weight given to each hint sent as a FunASR hotword.
const HotwordWeight = 20

type funasrStart struct {
	Mode       string `json:"mode"`
	WavName    string `json:"wav_name"`
	WavFormat  string `json:"wav_format"`
	AudioFS    int    `json:"audio_fs"`
	IsSpeaking bool   `json:"is_speaking"`
	ChunkSize  []int  `json:"chunk_size"`
	Hotwords   string `json:"hotwords,omitempty"`
	ITN        bool   `json:"itn"`
}

type funasrReply struct {
	Mode    string `json:"mode"`
	Text    string `json:"text"`
	IsFinal bool   `json:"is_final"`
}

// Recognize streams the utterance and returns the corrected (offline) text
// of every segment, with the online text of a segment not yet corrected.
func (f *funasr) Recognize(ctx context.Context, opts Options, audio <-chan []int16, partial chan<- Result) (Result, error) {
	w, err := dialWS(ctx, f.cfg.URL, f.cfg.Timeout)
	if err != nil {
		return Result{}, fmt.Errorf("asr: funasr: %w", err)
	}
	defer w.close()
	start := funasrStart{Mode: f.cfg.Mode, WavName: "outreach", WavFormat: "pcm", AudioFS: f.cfg.SampleRate,
		IsSpeaking: true, ChunkSize: []int{5, 10, 5}, Hotwords: hotwords(opts.Hints), ITN: true}
	b, _ := json.Marshal(start)
	if err := w.text(ctx, b); err != nil {
		return Result{}, fmt.Errorf("asr: funasr: send start: %w", err)
	}
	st := &funasrState{partial: partial}
	if _, err := streamAudio(ctx, w, audio, f.cfg.SampleRate, f.cfg.Timeout, st.reply); err != nil {
		return Result{}, fmt.Errorf("asr: funasr: %w", err)
	}
	if err := w.text(ctx, []byte(`{"is_speaking": false}`)); err != nil {
		return Result{}, fmt.Errorf("asr: funasr: send end: %w", err)
	}
	st.ended = true
	tctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	for !st.done(f.cfg.Mode) {
		m, err := next(tctx, w)
		if closedNormally(err) && st.text() != "" {
			break // closed without marking the end: keep what was recognised
		}
		if err != nil {
			return Result{}, fmt.Errorf("asr: funasr: final result: %w", err)
		}
		if err := st.reply(m); err != nil {
			return Result{}, fmt.Errorf("asr: funasr: %w", err)
		}
	}
	return Result{Text: st.text(), Final: true}, nil
}

// hotwords writes the hints as FunASR's hotword string: a JSON object
// serialised into a string, word → weight.
func hotwords(hints []string) string {
	if len(hints) == 0 {
		return ""
	}
	m := map[string]int{}
	for _, h := range hints {
		if h = strings.TrimSpace(h); h != "" {
			m[h] = HotwordWeight
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// funasrState accumulates results.
type funasrState struct {
	partial   chan<- Result
	corrected []string // offline texts of finished segments
	online    string   // online text of the current segment
	ended     bool     // end of audio sent
	final     bool     // the closing result arrived
}

func (s *funasrState) reply(m []byte) error {
	var r funasrReply
	if err := json.Unmarshal(m, &r); err != nil {
		return fmt.Errorf("bad reply %.60q: %w", m, err)
	}
	switch r.Mode {
	case "2pass-online", "online":
		s.online += r.Text
		sendPartial(s.partial, Result{Text: s.text()})
	case "2pass-offline", "offline":
		s.corrected = append(s.corrected, r.Text)
		s.online = ""
		s.final = s.final || s.ended
		sendPartial(s.partial, Result{Text: s.text()})
	default:
		return fmt.Errorf("reply mode %q", r.Mode)
	}
	if r.IsFinal && s.ended {
		s.final = true
	}
	return nil
}

// done: the server marked a result final, or (2pass, offline) corrected
// the last segment after the end of audio.
func (s *funasrState) done(mode string) bool {
	return s.final && (mode != "online" || s.ended)
}

func (s *funasrState) text() string {
	return strings.TrimSpace(strings.Join(s.corrected, "") + s.online)
}
