package sim

import (
	"context"
	"math"
	"net/netip"
	"sync"
	"testing"
	"time"

	"outreach/media"
	"outreach/media/rtp"
	"outreach/media/sdp"
)

// testLeg is the phone's RTP side: it offers PCMA only (so the session's
// codec is known before the answer) and collects what the sim sends.
type testLeg struct {
	sess   *rtp.Session
	offer  sdp.Offer
	cancel context.CancelFunc
	done   chan struct{}

	mu          sync.Mutex
	frames      int
	audible     int
	firstSound  time.Time
	digits      []rune
	digitTimes  []time.Time
	connectOnce sync.Once
}

func newTestLeg(t testing.TB) (*testLeg, []byte) {
	t.Helper()
	sess, err := rtp.Listen(rtp.Config{Addr: netip.MustParseAddr("127.0.0.1"),
		Codec: media.CodecPCMA, AudioPT: 8, EventPT: 101})
	if err != nil {
		t.Fatal(err)
	}
	o := sdp.Offer{Addr: "127.0.0.1", Port: int(sess.LocalAddr().Port()),
		Codecs: []media.Codec{media.CodecPCMA}, EventPT: 101, SessionID: 42}
	return &testLeg{sess: sess, offer: o, done: make(chan struct{})}, o.Marshal()
}

// connect applies the sim's SDP answer and starts collecting media.
func (l *testLeg) connect(t testing.TB, answer []byte) {
	l.connectOnce.Do(func() {
		desc, err := sdp.Parse(answer)
		if err != nil {
			t.Errorf("parse answer: %v", err)
			return
		}
		neg, err := sdp.Negotiate(l.offer, desc)
		if err != nil {
			t.Errorf("negotiate: %v", err)
			return
		}
		l.sess.SetRemote(neg.Remote)
		ctx, cancel := context.WithCancel(context.Background())
		l.cancel = cancel
		l.sess.Start(ctx)
		go l.collect()
	})
}

func (l *testLeg) collect() {
	defer close(l.done)
	frames, digits := l.sess.Frames(), l.sess.Digits()
	for frames != nil || digits != nil {
		select {
		case f, ok := <-frames:
			if !ok {
				frames = nil
				continue
			}
			l.mu.Lock()
			l.frames++
			if media.DBFS(f) > -40 {
				l.audible++
				if l.firstSound.IsZero() {
					l.firstSound = time.Now()
				}
			}
			l.mu.Unlock()
		case d, ok := <-digits:
			if !ok {
				digits = nil
				continue
			}
			l.mu.Lock()
			l.digits = append(l.digits, d)
			l.digitTimes = append(l.digitTimes, time.Now())
			l.mu.Unlock()
		}
	}
}

func (l *testLeg) gotDigits() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.digits)
}

func (l *testLeg) audibleFrames() (int, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.audible, l.firstSound
}

func (l *testLeg) close() {
	l.sess.Close()
	if l.cancel != nil {
		l.cancel()
		<-l.done
	}
}

// play sends pcm to the sim, paced.
func (l *testLeg) play(t *testing.T, pcm []int16) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := l.sess.Play(ctx, pcm, nil); err != nil {
		t.Fatalf("play: %v", err)
	}
}

func dbfsOf(amplitude float64) float64 { return 20 * math.Log10(amplitude/math.Sqrt2) }
