package dialer

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// mediaLeg is the media side of one call, as the signalling code needs it.
// rtpLeg (media/rtp + media/sdp) is the real one; nullLeg offers SDP but
// moves no audio (Request.NoMedia, load tests).
type mediaLeg interface {
	// offer is the SDP body of the INVITE.
	offer() []byte
	// remote applies an SDP answer (from a 183 or the 2xx) and starts the
	// session; later calls with the same description only update the
	// address. An empty body confirms the answer given in early media.
	remote(sdp []byte, early bool) error
	// answerBody is our SDP for a session refresh (re-INVITE/UPDATE, RFC 3264 §8).
	answerBody() []byte
	play(ctx context.Context, pcm []int16, interrupt <-chan struct{}) (time.Duration, error)
	frames() <-chan []int16
	// attach hands the leg's keys and media timeout to the call once it is
	// live; keys pressed and a timeout fired before are delivered then.
	attach(c *Call)
	earlyAudio() []int16
	recording() []int16
	close()
}

// mediaFactory opens the media leg for one call.
type mediaFactory func(req Request) (mediaLeg, error)

// nullLeg offers a valid SDP but never sends or receives audio.
type nullLeg struct {
	sdp     []byte
	version uint64
}

func newNullLeg(host string, sessionID uint64) *nullLeg {
	return &nullLeg{sdp: minimalSDP(host, 9, sessionID, 1), version: 1}
}

func (n *nullLeg) offer() []byte                   { return n.sdp }
func (n *nullLeg) remote(sdp []byte, _ bool) error { return nil }
func (n *nullLeg) answerBody() []byte              { return n.sdp }
func (n *nullLeg) play(ctx context.Context, pcm []int16, interrupt <-chan struct{}) (time.Duration, error) {
	return 0, fmt.Errorf("play: call has no media")
}
func (n *nullLeg) frames() <-chan []int16 { return nil }
func (n *nullLeg) attach(*Call)           {}
func (n *nullLeg) earlyAudio() []int16    { return nil }
func (n *nullLeg) recording() []int16     { return nil }
func (n *nullLeg) close()                 {}

// minimalSDP is the offer of a media-less call: PCMA, PCMU and
// telephone-event on port 9 (discard), RFC 4566 §5.
func minimalSDP(host string, port int, id, version uint64) []byte {
	b := make([]byte, 0, 256)
	b = append(b, "v=0\r\no=outreach "...)
	b = strconv.AppendUint(b, id, 10)
	b = append(b, ' ')
	b = strconv.AppendUint(b, version, 10)
	b = append(b, " IN IP4 "...)
	b = append(b, host...)
	b = append(b, "\r\ns=-\r\nc=IN IP4 "...)
	b = append(b, host...)
	b = append(b, "\r\nt=0 0\r\nm=audio "...)
	b = strconv.AppendInt(b, int64(port), 10)
	return append(b, " RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n"+
		"a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n"...)
}

// newMediaFactory returns the factory of the dialer's media legs.
func newMediaFactory(d *Dialer) mediaFactory {
	return func(req Request) (mediaLeg, error) {
		if req.NoMedia {
			return newNullLeg(d.host, uint64(d.now().UnixNano())), nil
		}
		return d.openRTPLeg(req)
	}
}
