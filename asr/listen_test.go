package asr

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"outreach/media"
)

// fakeRec counts the frames and loud frames it receives.
type fakeRec struct {
	err      error // returned at once when set
	blockEnd bool  // wait for ctx instead of the end of audio
}

func (fakeRec) Name() string { return "fake" }

func (f fakeRec) Recognize(ctx context.Context, _ Options, audio <-chan []int16, partial chan<- Result) (Result, error) {
	if f.err != nil {
		return Result{}, f.err
	}
	n, loud := 0, 0
	for {
		select {
		case <-ctx.Done():
			return Result{}, ctx.Err()
		case fr, ok := <-audio:
			if !ok {
				if f.blockEnd {
					<-ctx.Done()
					return Result{}, ctx.Err()
				}
				return Result{Text: fmt.Sprintf("%d/%d", n, loud), Final: true, Confidence: 0.9}, nil
			}
			n++
			if media.DBFS(fr) > -30 {
				loud++
			}
			if n%10 == 0 {
				sendPartial(partial, Result{Text: fmt.Sprint(n)})
			}
		}
	}
}

func feed(fs [][]int16) chan []int16 {
	ch := make(chan []int16, len(fs))
	for _, f := range fs {
		ch <- f
	}
	return ch
}

func TestListen(t *testing.T) {
	ep := EndpointConfig{NoInput: time.Second, Pause: 400 * time.Millisecond, MinSpeech: 100 * time.Millisecond, PreRoll: 200 * time.Millisecond}
	partial := make(chan Result, 100)
	u, err := Listen(context.Background(), fakeRec{}, feed(audio(-600, 500, -1000)), ListenConfig{Endpoint: ep, Partial: partial})
	if err != nil {
		t.Fatal(err)
	}
	// The pre-roll ring (200 ms + 100 ms onset) holds 11 silent and 4 loud frames,
	// then the frame that confirmed speech, 20 more of speech and 20 of pause:
	// 56 frames, 25 of them loud.
	if u.End != EventSpeechEnd || u.Text != "56/25" || u.Start != 600*time.Millisecond || u.Length != 900*time.Millisecond {
		t.Errorf("got %+v", u)
	}
	if len(partial) != 5 {
		t.Errorf("%d partial results, want 5", len(partial))
	}
}

func TestListenNoInput(t *testing.T) {
	u, err := Listen(context.Background(), fakeRec{}, feed(audio(-3000)), ListenConfig{Endpoint: EndpointConfig{NoInput: 2 * time.Second}})
	if err != nil || u.End != EventNoInput || u.Text != "" {
		t.Errorf("got %+v, %v; want no input", u, err)
	}
}

func TestListenLead(t *testing.T) {
	var lead []int16
	for _, f := range audio(300) {
		lead = append(lead, f...)
	}
	ep := EndpointConfig{Pause: 200 * time.Millisecond}
	u, err := Listen(context.Background(), fakeRec{}, feed(audio(200, -400)), ListenConfig{Endpoint: ep, Lead: lead})
	if err != nil {
		t.Fatal(err)
	}
	if u.Text != "35/25" || u.End != EventSpeechEnd { // 15 lead + 10 speech + 10 pause
		t.Errorf("got %+v", u)
	}
}

func TestListenErrors(t *testing.T) {
	boom := errors.New("engine down")
	speech := audio(-100, 500, -1000)
	t.Run("engine fails", func(t *testing.T) {
		in := make(chan []int16) // unbuffered, never closed: Listen must not wait for frames
		go func() {
			for _, f := range speech {
				in <- f
			}
		}()
		_, err := Listen(context.Background(), fakeRec{err: boom}, in, ListenConfig{})
		if !errors.Is(err, boom) {
			t.Errorf("err = %v, want %v", err, boom)
		}
	})
	t.Run("hangup", func(t *testing.T) {
		in := feed(audio(-100, 300))
		close(in)
		_, err := Listen(context.Background(), fakeRec{}, in, ListenConfig{})
		if !errors.Is(err, ErrAudioClosed) {
			t.Errorf("err = %v, want ErrAudioClosed", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		in := make(chan []int16)
		go func() {
			for _, f := range audio(-100, 300) {
				in <- f // unbuffered: returns once Listen has the frame
			}
			cancel()
		}()
		_, err := Listen(ctx, fakeRec{blockEnd: true}, in, ListenConfig{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}
