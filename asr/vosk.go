package asr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// vosk speaks the Vosk server WebSocket protocol (alphacep/vosk-server,
// websocket/asr_server.py): a text message {"config": {"sample_rate": N,
// "words": 1}} (plus "phrase_list" when Config.VoskGrammar is set), then
// binary 16-bit little-endian PCM chunks, each answered by one JSON
// message — {"partial": "..."} or, at an endpoint the server found,
// {"result": [{"word", "conf", ...}], "text": "..."} — and finally the
// text message {"eof" : 1}, spelled exactly so (the server compares the
// string), answered by the final {"text": ...} before the server closes.
type vosk struct{ cfg Config }

func newVosk(cfg Config) *vosk { return &vosk{cfg: cfg} }

func (v *vosk) Name() string { return EngineVosk }

// voskEOF is the end-of-stream message exactly as asr_server.py expects it.
const voskEOF = `{"eof" : 1}`

type voskConfig struct {
	Config struct {
		SampleRate int      `json:"sample_rate"`
		Words      int      `json:"words"`
		PhraseList []string `json:"phrase_list,omitempty"`
	} `json:"config"`
}

type voskReply struct {
	Partial *string `json:"partial"`
	Text    *string `json:"text"`
	Result  []struct {
		Conf float64 `json:"conf"`
	} `json:"result"`
}

// Recognize streams the utterance to the server and returns the text of
// every endpoint result joined with the final one.
func (v *vosk) Recognize(ctx context.Context, opts Options, audio <-chan []int16, partial chan<- Result) (Result, error) {
	w, err := dialWS(ctx, v.cfg.URL, v.cfg.Timeout)
	if err != nil {
		return Result{}, fmt.Errorf("asr: vosk: %w", err)
	}
	defer w.close()
	var cfgMsg voskConfig
	cfgMsg.Config.SampleRate, cfgMsg.Config.Words = v.cfg.SampleRate, 1
	if v.cfg.VoskGrammar && len(opts.Hints) > 0 {
		cfgMsg.Config.PhraseList = append(append([]string(nil), opts.Hints...), "[unk]")
	}
	b, _ := json.Marshal(cfgMsg)
	if err := w.text(ctx, b); err != nil {
		return Result{}, fmt.Errorf("asr: vosk: send config: %w", err)
	}
	st := &voskState{partial: partial}
	sent, err := streamAudio(ctx, w, audio, v.cfg.SampleRate, v.cfg.Timeout, func(m []byte) error { return st.reply(m) })
	if err != nil {
		return Result{}, fmt.Errorf("asr: vosk: %w", err)
	}
	if err := w.text(ctx, []byte(voskEOF)); err != nil {
		return Result{}, fmt.Errorf("asr: vosk: send eof: %w", err)
	}
	tctx, cancel := context.WithTimeout(ctx, v.cfg.Timeout)
	defer cancel()
	for st.replies < sent+1 { // one reply per chunk, then the final one
		m, err := next(tctx, w)
		if closedNormally(err) {
			break // the server said all it had to say
		}
		if err != nil {
			return Result{}, fmt.Errorf("asr: vosk: final result: %w", err)
		}
		if err := st.reply(m); err != nil {
			return Result{}, fmt.Errorf("asr: vosk: %w", err)
		}
	}
	return st.result(), nil
}

// voskState accumulates replies.
type voskState struct {
	partial chan<- Result
	replies int
	texts   []string
	confSum float64
	confN   int
}

func (s *voskState) reply(m []byte) error {
	var r voskReply
	if err := json.Unmarshal(m, &r); err != nil {
		return fmt.Errorf("bad reply %.60q: %w", m, err)
	}
	s.replies++
	switch {
	case r.Text != nil:
		if t := strings.TrimSpace(*r.Text); t != "" {
			s.texts = append(s.texts, t)
		}
		for _, w := range r.Result {
			s.confSum += w.Conf
			s.confN++
		}
	case r.Partial != nil:
		sendPartial(s.partial, Result{Text: strings.TrimSpace(strings.Join(append(append([]string(nil), s.texts...), *r.Partial), " "))})
	}
	return nil
}

func (s *voskState) result() Result {
	r := Result{Text: strings.Join(s.texts, " "), Final: true}
	if s.confN > 0 {
		r.Confidence = s.confSum / float64(s.confN)
	}
	return r
}

// closedNormally reports a WebSocket closed with 1000 (RFC 6455 §7.4.1).
func closedNormally(err error) bool {
	return err != nil && websocket.CloseStatus(err) == websocket.StatusNormalClosure
}

// next waits for the engine's next text message.
func next(ctx context.Context, w *wsConn) ([]byte, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case m, ok := <-w.msgs:
		if !ok {
			return nil, errors.New("connection closed")
		}
		if m.err != nil {
			return nil, m.err
		}
		return m.data, nil
	}
}

// streamAudio sends the audio in 100 ms binary chunks until audio closes,
// handing every message that arrives meanwhile to onMsg. It returns the
// number of chunks sent.
func streamAudio(ctx context.Context, w *wsConn, audio <-chan []int16, rate int, timeout time.Duration, onMsg func([]byte) error) (int, error) {
	pw := newPCMWriter(rate)
	size := chunkBytes(rate)
	buf := make([]byte, 0, 2*size)
	sent := 0
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		wctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		if err := w.binary(wctx, buf); err != nil {
			return fmt.Errorf("send audio: %w", err)
		}
		sent++
		buf = buf[:0]
		return nil
	}
	for {
		select {
		case <-ctx.Done():
			return sent, ctx.Err()
		case m, ok := <-w.msgs:
			if !ok {
				return sent, errors.New("connection closed")
			}
			if m.err != nil {
				return sent, fmt.Errorf("connection lost: %w", m.err)
			}
			if err := onMsg(m.data); err != nil {
				return sent, err
			}
		case f, ok := <-audio:
			if !ok {
				buf = pw.flush(buf)
				return sent, flush()
			}
			if buf = pw.append(buf, f); len(buf) >= size {
				if err := flush(); err != nil {
					return sent, err
				}
			}
		}
	}
}
