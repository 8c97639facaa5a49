package rtp

import (
	"sync"
	"time"

	"outreach/media"
)

const (
	// maxRecording caps a recording (4 hours at 8 kHz) against bogus timestamps.
	maxRecording = 4 * 3600 * media.SampleRate
	// reanchor: an incoming frame whose RTP-timestamp position strays this
	// far from its arrival-time position re-anchors the incoming timeline
	// (the sender restarted its clock or a new SSRC took over).
	reanchor = media.SampleRate / 2
)

// recorder mixes both directions into one 8 kHz track (sum with clipping).
// Outgoing frames are placed by their pacer tick; incoming frames by RTP
// timestamp relative to an anchor taken from the arrival time of the first
// frame, so network jitter does not smear them.
type recorder struct {
	mu     sync.Mutex
	start  time.Time
	buf    []int16
	anchor bool
	ssrc   uint32
	baseTS uint32
	baseAt int64 // sample offset of baseTS
}

func newRecorder(start time.Time) *recorder {
	return &recorder{start: start, buf: make([]int16, 0, 60*media.SampleRate)}
}

func (r *recorder) offsetOf(at time.Time) int64 {
	return int64(at.Sub(r.start)) * media.SampleRate / int64(time.Second)
}

// addOut mixes one outgoing frame sent on the tick at.
func (r *recorder) addOut(at time.Time, pcm []int16) {
	r.mu.Lock()
	r.mix(r.offsetOf(at), pcm)
	r.mu.Unlock()
}

// addIn mixes incoming samples of RTP timestamp ts received at now.
func (r *recorder) addIn(now time.Time, ssrc, ts uint32, pcm []int16) {
	r.mu.Lock()
	defer r.mu.Unlock()
	arrival := r.offsetOf(now)
	off := r.baseAt + int64(int32(ts-r.baseTS)) // serial arithmetic: 32-bit wrap
	if !r.anchor || ssrc != r.ssrc || off > arrival+reanchor || off < arrival-reanchor {
		r.anchor, r.ssrc, r.baseTS, r.baseAt = true, ssrc, ts, arrival
		off = arrival
	}
	r.mix(off, pcm)
}

func (r *recorder) mix(off int64, pcm []int16) {
	if off < 0 || off+int64(len(pcm)) > maxRecording {
		return
	}
	end := int(off) + len(pcm)
	if end > len(r.buf) {
		r.buf = append(r.buf, make([]int16, end-len(r.buf))...)
	}
	dst := r.buf[off:end]
	for i, s := range pcm {
		v := int32(dst[i]) + int32(s)
		dst[i] = int16(max(min(v, 32767), -32768))
	}
}

// samples returns a copy of the recording.
func (r *recorder) samples() []int16 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int16(nil), r.buf...)
}
