package asr

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/coder/websocket"
)

// maxMessage bounds one message read from an engine.
const maxMessage = 1 << 20

// wsMsg is one message from the engine, or the read error that ended them.
type wsMsg struct {
	data []byte
	err  error
}

// wsConn is one recognition's WebSocket: writes from the caller, reads by
// a goroutine that close stops and waits for.
type wsConn struct {
	c    *websocket.Conn
	msgs chan wsMsg
	done chan struct{}
}

func dialWS(ctx context.Context, url string, timeout time.Duration) (*wsConn, error) {
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c, _, err := websocket.Dial(dctx, url, nil)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", url, err)
	}
	c.SetReadLimit(maxMessage)
	w := &wsConn{c: c, msgs: make(chan wsMsg, 16), done: make(chan struct{})}
	go w.read()
	return w, nil
}

func (w *wsConn) read() {
	defer close(w.done)
	for {
		typ, data, err := w.c.Read(context.Background()) // ends when close() closes the connection
		if err != nil {
			w.msgs <- wsMsg{err: err}
			close(w.msgs)
			return
		}
		if typ == websocket.MessageText {
			w.msgs <- wsMsg{data: data}
		}
	}
}

func (w *wsConn) text(ctx context.Context, s []byte) error {
	return w.c.Write(ctx, websocket.MessageText, s)
}

func (w *wsConn) binary(ctx context.Context, b []byte) error {
	return w.c.Write(ctx, websocket.MessageBinary, b)
}

// close ends the connection and waits for the reader.
func (w *wsConn) close() {
	w.c.CloseNow()
	for range w.msgs { // drain so the reader is never stuck on a full channel
	}
	<-w.done
}

// pcmWriter turns 8 kHz frames into little-endian 16-bit bytes at the
// engine's rate (8000, or 16000 upsampled).
type pcmWriter struct {
	up   *Upsampler
	buf  []int16
	skip int // upsampler delay still to drop, so output length is exactly 2×input
}

func newPCMWriter(rate int) *pcmWriter {
	p := &pcmWriter{}
	if rate == 16000 {
		p.up, p.skip = NewUpsampler(), upsampleTaps
	}
	return p
}

// append adds the bytes of frame to dst.
func (p *pcmWriter) append(dst []byte, frame []int16) []byte {
	s := frame
	if p.up != nil {
		p.buf = p.up.Process(p.buf[:0], frame)
		n := min(p.skip, len(p.buf))
		s, p.skip = p.buf[n:], p.skip-n
	}
	for _, v := range s {
		dst = binary.LittleEndian.AppendUint16(dst, uint16(v))
	}
	return dst
}

// flush adds the samples held back by the upsampler.
func (p *pcmWriter) flush(dst []byte) []byte {
	if p.up == nil {
		return dst
	}
	return p.append(dst, make([]int16, upsampleTaps/2))
}

// chunkBytes is how much audio engines get per message: 100 ms.
func chunkBytes(rate int) int { return rate / 10 * 2 }
