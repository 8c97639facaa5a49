package prompts

import (
	"context"
	"errors"
	"math"
	"os/exec"
	"testing"
	"time"

	"outreach/media"
)

// requireEspeak fails (never skips) when espeak-ng is missing.
func requireEspeak(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Fatalf("%v", ErrNotInstalled)
	}
}

func TestEspeakSynthesize(t *testing.T) {
	requireEspeak(t)
	tests := []struct {
		name string
		req  Request
	}{
		{"chinese", Request{Text: "您好，请问您今天的体温是36.5度吗？", Language: Chinese}},
		{"english", Request{Text: "Hello, is your temperature 36.5 degrees today?", Language: English}},
	}
	e := &EspeakEngine{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			pcm, err := e.Synthesize(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			d := time.Duration(len(pcm)) * time.Second / media.SampleRate
			if d < 500*time.Millisecond || d > 10*time.Second {
				t.Fatalf("duration %v out of range", d)
			}
			if db := media.DBFS(pcm); db < -40 || math.IsInf(db, 0) {
				t.Fatalf("audio level %.1f dBFS: silent", db)
			}
			t.Logf("%s: %v of audio, %.1f dBFS", tt.name, d, media.DBFS(pcm))
		})
	}
}

func TestEspeakRateChangesDuration(t *testing.T) {
	requireEspeak(t)
	e := &EspeakEngine{}
	ctx := context.Background()
	slow, err := e.Synthesize(ctx, Request{Text: "请按一", Rate: 90})
	if err != nil {
		t.Fatal(err)
	}
	fast, err := e.Synthesize(ctx, Request{Text: "请按一", Rate: 250})
	if err != nil {
		t.Fatal(err)
	}
	if len(slow) <= len(fast) {
		t.Fatalf("rate 90 gave %d samples, rate 250 gave %d", len(slow), len(fast))
	}
}

func TestEspeakErrors(t *testing.T) {
	requireEspeak(t)
	ctx := context.Background()
	_, err := (&EspeakEngine{Path: "/nonexistent/espeak-ng"}).Synthesize(ctx, Request{Text: "hi", Language: English})
	if !errors.Is(err, ErrNotInstalled) {
		t.Errorf("missing program: err = %v, want ErrNotInstalled", err)
	}
	_, err = (&EspeakEngine{}).Synthesize(ctx, Request{Text: "hi", Voice: "no-such-voice"})
	if err == nil {
		t.Error("unknown voice: want error")
	}
	_, err = (&EspeakEngine{}).Synthesize(ctx, Request{Text: "  "})
	if err == nil {
		t.Error("empty text: want error")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = (&EspeakEngine{}).Synthesize(cctx, Request{Text: "您好"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

func TestEspeakPrepare(t *testing.T) {
	e := &EspeakEngine{}
	voice, rate, text := e.prepare(Request{Text: "请按1 [[x]]"})
	if voice != DefaultChineseVoice || rate != DefaultChineseRate || text != "qing3 an4 yi1 x" {
		t.Errorf("zh: %q %d %q", voice, rate, text)
	}
	voice, rate, text = e.prepare(Request{Text: "Press 1", Language: English, Rate: 120, Voice: "en-gb"})
	if voice != "en-gb" || rate != 120 || text != "Press one" {
		t.Errorf("en: %q %d %q", voice, rate, text)
	}
	_, _, text = e.prepare(Request{Text: "您好", Voice: "cmn"})
	if text != "您好" {
		t.Errorf("hanzi voice gets hanzi: %q", text)
	}
}

func TestFixStreamedWAV(t *testing.T) {
	var buf = make([]byte, 0, 64)
	buf = append(buf, "RIFF\x24\xf0\xff\x7fWAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\xf0\xff\x7f"...)
	buf = append(buf, 1, 0, 2, 0, 3, 0)
	pcm, err := media.ReadWAV(bytesReader(fixStreamedWAV(buf)))
	if err != nil {
		t.Fatal(err)
	}
	if len(pcm) != 3 || pcm[2] != 3 {
		t.Fatalf("pcm = %v", pcm)
	}
}

func TestParseVoices(t *testing.T) {
	out := `Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  cmn-latn-pinyin --/M      Chinese_(Mandarin,_latin_as_Pinyin) sit/cmn-Latn-pinyin  (zh-cmn 5)(zh 5)
 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
`
	set := parseVoices(out)
	for _, v := range []string{"cmn-latn-pinyin", "zh", "zh-cmn", "en-us", "en", "gmw/en-us", "english_(america)"} {
		if !set[v] {
			t.Errorf("voice %q missing from %v", v, set)
		}
	}
	if set["fr"] || parseVoices("header only\n") != nil {
		t.Error("unexpected voices")
	}
}

func TestEspeakProcessLimit(t *testing.T) {
	e := &EspeakEngine{MaxProcesses: 1}
	release, err := e.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := e.acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second acquire: %v, want to wait until the deadline", err)
	}
	release()
	release2, err := e.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	release2()
}
