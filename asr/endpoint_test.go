package asr

import (
	"testing"
	"time"

	"outreach/media"
)

// audio builds frames from segments: positive = speech ms, negative = silence ms.
func audio(segs ...int) [][]int16 {
	var pcm []int16
	for _, s := range segs {
		if s > 0 {
			pcm = append(pcm, media.Tone([]float64{300, 700}, time.Duration(s)*time.Millisecond, 0.3)...)
		} else {
			pcm = append(pcm, media.Silence(time.Duration(-s)*time.Millisecond)...)
		}
	}
	var out [][]int16
	for f := range chunk(pcm) {
		out = append(out, f)
	}
	return out
}

type evAt struct {
	ev Event
	at time.Duration // end of the frame that raised it
}

func run(e *Endpointer, fs [][]int16) []evAt {
	var out []evAt
	for i, f := range fs {
		if ev := e.Push(f); ev != EventNone {
			out = append(out, evAt{ev, time.Duration(i+1) * media.FrameDuration})
		}
	}
	return out
}

func TestEndpointer(t *testing.T) {
	cfg := EndpointConfig{NoInput: time.Second, Pause: 400 * time.Millisecond, MaxSpeech: 2 * time.Second,
		MinSpeech: 100 * time.Millisecond}
	cases := []struct {
		name string
		segs []int
		want []evAt
	}{
		{"answer", []int{-500, 600, -600}, []evAt{{EventSpeechStart, 600 * time.Millisecond}, {EventSpeechEnd, 1500 * time.Millisecond}}},
		{"pause inside words kept", []int{-200, 300, -300, 300, -500},
			[]evAt{{EventSpeechStart, 300 * time.Millisecond}, {EventSpeechEnd, 1500 * time.Millisecond}}},
		{"silence", []int{-1500}, []evAt{{EventNoInput, time.Second}}},
		{"click is not speech", []int{-200, 60, -1000}, []evAt{{EventNoInput, time.Second}}},
		{"late speech after mute time", []int{-1000, 500, -500}, []evAt{{EventNoInput, time.Second}}},
		{"too long", []int{-100, 3000}, []evAt{{EventSpeechStart, 200 * time.Millisecond}, {EventMaxSpeech, 2100 * time.Millisecond}}},
		{"speech then hangs on", []int{-100, 300, -300}, []evAt{{EventSpeechStart, 200 * time.Millisecond}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := NewEndpointer(cfg)
			got := run(e, audio(c.segs...))
			if len(got) != len(c.want) {
				t.Fatalf("events %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("event %d = %v at %v, want %v at %v", i, got[i].ev, got[i].at, c.want[i].ev, c.want[i].at)
				}
			}
			e.Reset()
			if e.Elapsed() != 0 || e.InSpeech() {
				t.Errorf("Reset left elapsed %v in speech %v", e.Elapsed(), e.InSpeech())
			}
		})
	}
}

func TestEndpointerSpeechStartOffset(t *testing.T) {
	e := NewEndpointer(EndpointConfig{MinSpeech: 100 * time.Millisecond})
	run(e, audio(-500, 300))
	if got := e.SpeechStart(); got != 500*time.Millisecond {
		t.Errorf("SpeechStart = %v, want 500ms", got)
	}
}

func TestEventString(t *testing.T) {
	for e, s := range map[Event]string{EventNone: "none", EventSpeechStart: "speech_start", EventSpeechEnd: "speech_end",
		EventNoInput: "no_input", EventMaxSpeech: "max_speech", Event(99): "unknown"} {
		if e.String() != s {
			t.Errorf("%d.String() = %q, want %q", e, e.String(), s)
		}
	}
}

func TestBargeIn(t *testing.T) {
	cases := []struct {
		name string
		segs []int
		at   time.Duration // 0 = never
	}{
		{"speech", []int{-200, 500}, 500 * time.Millisecond},
		{"syllables with short gaps", []int{-100, 160, -60, 160, -60, 160}, 460 * time.Millisecond},
		{"short noise", []int{-100, 200, -200, 200, -200}, 0},
		{"silence", []int{-2000}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := NewBargeIn(BargeInConfig{MinSpeech: 300 * time.Millisecond})
			var at time.Duration
			for i, f := range audio(c.segs...) {
				if b.Push(f) {
					if at != 0 {
						t.Fatal("fired twice")
					}
					at = time.Duration(i+1) * media.FrameDuration
				}
			}
			if at != c.at || b.Fired() != (c.at != 0) {
				t.Errorf("fired at %v, want %v", at, c.at)
			}
		})
	}
}

func TestBargeInAudioKeepsTheSpeech(t *testing.T) {
	b := NewBargeIn(BargeInConfig{Keep: 400 * time.Millisecond})
	fs := audio(-1000, 300)
	for _, f := range fs {
		b.Push(f)
	}
	a := b.Audio()
	if len(a) != 400*8 {
		t.Fatalf("kept %d samples, want %d", len(a), 400*8)
	}
	if media.DBFS(a[:800]) > -60 || media.DBFS(a[len(a)-800:]) < -30 {
		t.Errorf("kept audio not oldest-first: head %.0f dBFS tail %.0f dBFS", media.DBFS(a[:800]), media.DBFS(a[len(a)-800:]))
	}
	b.Reset()
	if len(b.Audio()) != 0 || b.Fired() {
		t.Error("Reset kept state")
	}
}

// BenchmarkEndpointer measures the CPU of endpointing one stream: one
// op is one 20 ms frame. streams/core = 20 ms / (ns/op).
func BenchmarkEndpointer(b *testing.B) {
	fs := audio(-300, 800, -900)
	e := NewEndpointer(EndpointConfig{NoInput: time.Hour, Pause: time.Hour, MaxSpeech: time.Hour})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%len(fs) == 0 {
			e.Reset() // a new question: the endpointer never sits in its ended state
		}
		e.Push(fs[i%len(fs)])
	}
	perFrame := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perFrame/float64(media.FrameDuration.Nanoseconds())*100, "%cpu/stream")
	b.ReportMetric(float64(media.FrameDuration.Nanoseconds())/perFrame, "streams/core")
}
