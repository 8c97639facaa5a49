package asr

import (
	"errors"
	"math"
	"strings"
	"testing"

	"outreach/ivr"
)

func TestGrammar(t *testing.T) {
	known := func(w string) bool { return w != "zzz" }
	cases := []struct {
		name string
		opts Options
		has  []string
		not  []string
	}{
		{"yes_no", Options{Type: ivr.TypeYesNo, Hints: []string{"是", "Yes, I am", "zzz", "right"}},
			[]string{"public <answer> = yes | yeah", "| no |", "| yes i am"}, []string{"是", "zzz", "right | right"}},
		{"digits any", Options{Type: ivr.TypeDigits}, []string{"public <answer> = <digit>+;", "<digit> = zero | oh | one"}, nil},
		{"digits 4", Options{Type: ivr.TypeDigits, Length: 4}, []string{"public <answer> = <digit> <digit> <digit> <digit>;"}, nil},
		{"number", Options{Type: ivr.TypeNumber}, []string{"[point <digit>+]", "<tens> = twenty", "<teen> = ten"}, nil},
		{"choice", Options{Type: ivr.TypeChoice, Hints: []string{"at home", "在家", "another province"}},
			[]string{"public <answer> = [option | number] (at home | another province | one | two"}, []string{"在家", "zero"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := Grammar(c.opts, known)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(g, "#JSGF V1.0;\ngrammar answer;\n") {
				t.Errorf("header missing:\n%s", g)
			}
			for _, s := range c.has {
				if !strings.Contains(g, s) {
					t.Errorf("grammar lacks %q:\n%s", s, g)
				}
			}
			for _, s := range c.not {
				if strings.Contains(g, s) {
					t.Errorf("grammar has %q:\n%s", s, g)
				}
			}
		})
	}
	for _, o := range []Options{{Type: ivr.TypeSpeech}, {}, {Type: ivr.TypeYesNo}} {
		k := known
		if o.Type == ivr.TypeYesNo {
			k = func(string) bool { return false } // nothing pronounceable
		}
		if _, err := Grammar(o, k); !errors.Is(err, ErrNoGrammar) {
			t.Errorf("Grammar(%v) err = %v, want ErrNoGrammar", o.Type, err)
		}
	}
}

func TestUpsampler(t *testing.T) {
	const n = 1600
	in := make([]int16, n)
	for i := range in {
		in[i] = int16(8000 * math.Sin(2*math.Pi*1000*float64(i)/8000))
	}
	u := NewUpsampler()
	var out []int16
	for i := 0; i < n; i += 160 { // frame by frame, as calls deliver it
		out = u.Process(out, in[i:i+160])
	}
	if len(out) != 2*n {
		t.Fatalf("len %d, want %d", len(out), 2*n)
	}
	// Output sample k+16 (the filter delay) is the 16 kHz sample k.
	var sig, noise float64
	for k := 64; k < 2*n-64; k++ {
		want := 8000 * math.Sin(2*math.Pi*1000*float64(k)/16000)
		got := float64(out[k+upsampleTaps])
		sig += want * want
		noise += (got - want) * (got - want)
	}
	if snr := 10 * math.Log10(sig/noise); snr < 35 {
		t.Errorf("SNR %.1f dB, want ≥ 35", snr)
	}
}

func TestNewAndValidate(t *testing.T) {
	cases := []struct {
		cfg  Config
		want string // "" = ok
	}{
		{Config{Engine: "vosk", URL: "ws://x"}, ""},
		{Config{Engine: "funasr", URL: "ws://x", Mode: "online"}, ""},
		{Config{Engine: "openai", URL: "http://x/v1"}, ""},
		{Config{Engine: "vosk"}, "needs url"},
		{Config{Engine: "google"}, "unknown speech engine"},
		{Config{}, "unknown speech engine"},
		{Config{Engine: "vosk", URL: "ws://x", SampleRate: 44100}, "sample_rate"},
		{Config{Engine: "funasr", URL: "ws://x", Mode: "fast"}, "mode"},
	}
	for _, c := range cases {
		rec, err := New(c.cfg)
		if c.want == "" {
			if err != nil || rec.Name() != c.cfg.Engine {
				t.Errorf("New(%+v) = %v, %v", c.cfg, rec, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%+v) err = %v, want %q", c.cfg, err, c.want)
		}
	}
}

func TestCollectOptions(t *testing.T) {
	o := CollectOptions(ivr.Collect{Type: ivr.TypeDigits, Language: "en-US", MaxDigits: 4, Hints: []string{"x"}})
	if o.Type != ivr.TypeDigits || o.Language != "en-US" || o.Length != 4 || len(o.Hints) != 1 {
		t.Errorf("got %+v", o)
	}
	if o := CollectOptions(ivr.Collect{Type: ivr.TypeNumber, MaxDigits: 3}); o.Length != 0 {
		t.Errorf("number question got length %d", o.Length)
	}
}
