package media

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

const allDigits = "123A456B789C*0#D"

// detect feeds pcm to a fresh detector in chunks of chunk samples and returns the digits.
func detect(pcm []int16, chunk int) string {
	d := NewDTMFDetector()
	var b strings.Builder
	for len(pcm) > 0 {
		n := min(chunk, len(pcm))
		if r, ok := d.Process(pcm[:n]); ok {
			b.WriteRune(r)
		}
		pcm = pcm[n:]
	}
	return b.String()
}

func mustDTMF(t testing.TB, digit rune, d time.Duration) []int16 {
	t.Helper()
	pcm, err := DTMFTone(digit, d)
	if err != nil {
		t.Fatal(err)
	}
	return pcm
}

func concat(parts ...[]int16) []int16 {
	var out []int16
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// addNoise adds white Gaussian noise snrDB below the power of the DTMF signal.
func addNoise(pcm []int16, snrDB float64, rng *rand.Rand) []int16 {
	const dtmfRMS = dtmfLevel * 32767 // two sines of amplitude dtmfLevel: RMS √2·A/√2
	sigma := dtmfRMS * math.Pow(10, -snrDB/20)
	out := make([]int16, len(pcm))
	for i, s := range pcm {
		out[i] = clamp16(float64(s) + rng.NormFloat64()*sigma)
	}
	return out
}

func TestDTMFEveryDigitWithNoise(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, dur := range []time.Duration{40, 60, 100} {
		dur *= time.Millisecond
		for _, digit := range allDigits {
			// Several alignments of the tone against the 102-sample blocks and 160-sample frames.
			for _, offset := range []int{0, 17, 51, 80, 101, 133} {
				pcm := concat(Silence(60*time.Millisecond), make([]int16, offset),
					mustDTMF(t, digit, dur), Silence(60*time.Millisecond))
				pcm = addNoise(pcm, 20, rng)
				if got := detect(pcm, FrameSamples); got != string(digit) {
					t.Errorf("%c for %v at offset %d: detected %q", digit, dur, offset, got)
				}
			}
		}
	}
}

func TestDTMFGapAlignment(t *testing.T) {
	for offset := 0; offset < dtmfBlock; offset += 3 {
		lead := make([]int16, offset)
		for _, tc := range []struct {
			gap  time.Duration
			want string
		}{{5 * time.Millisecond, "6"}, {10 * time.Millisecond, "6"}, {50 * time.Millisecond, "66"}} {
			pcm := concat(lead, mustDTMF(t, '6', 60*time.Millisecond), Silence(tc.gap), mustDTMF(t, '6', 60*time.Millisecond))
			if got := detect(pcm, FrameSamples); got != tc.want {
				t.Errorf("offset %d, gap %v: detected %q, want %q", offset, tc.gap, got, tc.want)
			}
		}
		// Tones shorter than 20 ms are never keys.
		blip := concat(lead, mustDTMF(t, '6', 19*time.Millisecond), Silence(60*time.Millisecond))
		if got := detect(blip, FrameSamples); got != "" {
			t.Errorf("offset %d, 19 ms tone: detected %q", offset, got)
		}
	}
}

func TestDTMFSequenceAnyChunking(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var parts [][]int16
	for _, digit := range allDigits + "0000" {
		parts = append(parts, mustDTMF(t, digit, 50*time.Millisecond), Silence(50*time.Millisecond))
	}
	pcm := addNoise(concat(parts...), 20, rng)
	for _, chunk := range []int{1, 7, 80, 160, 203} {
		if got := detect(pcm, chunk); got != allDigits+"0000" {
			t.Errorf("chunk %d: detected %q", chunk, got)
		}
	}
}

func TestDTMFKeyPresses(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct {
		name string
		pcm  []int16
		want string
	}{
		{"same key twice, 50 ms gap", concat(mustDTMF(t, '7', 60*time.Millisecond),
			Silence(50*time.Millisecond), mustDTMF(t, '7', 60*time.Millisecond)), "77"},
		{"long press reported once", mustDTMF(t, '#', 2*time.Second), "#"},
		{"key change without gap", concat(mustDTMF(t, '1', 80*time.Millisecond),
			mustDTMF(t, '2', 80*time.Millisecond)), "12"},
		{"10 ms dropout does not split", concat(mustDTMF(t, '9', 100*time.Millisecond),
			Silence(10*time.Millisecond), mustDTMF(t, '9', 100*time.Millisecond)), "9"},
		{"15 ms dropout does not split", concat(Silence(7*time.Millisecond), mustDTMF(t, '9', 100*time.Millisecond),
			Silence(15*time.Millisecond), mustDTMF(t, '9', 100*time.Millisecond)), "9"},
		{"15 ms blip ignored", concat(Silence(50*time.Millisecond), mustDTMF(t, '3', 15*time.Millisecond),
			Silence(50*time.Millisecond)), ""},
		{"quiet tone -45 dBFS ignored", scale(mustDTMF(t, '4', 100*time.Millisecond), 0.03), ""},
		{"quiet but valid tone -30 dBFS", scale(mustDTMF(t, '4', 100*time.Millisecond), 0.15), "4"},
		{"lower-case letter", mustDTMF(t, 'b', 60*time.Millisecond), "B"},
		{"high group 6 dB stronger", twoTone(852, 1477, 0.2, 0.2*dB(6)), "9"},
		{"high group 12 dB stronger", twoTone(852, 1477, 0.1, 0.1*dB(12)), ""},
		{"low group 3 dB stronger", twoTone(852, 1477, 0.3, 0.3*dB(-3)), "9"},
		{"low group 8 dB stronger", twoTone(852, 1477, 0.4, 0.4*dB(-8)), ""},
		{"same key twice, 50 ms noisy gap", addNoise(concat(mustDTMF(t, '0', 40*time.Millisecond),
			Silence(50*time.Millisecond), mustDTMF(t, '0', 40*time.Millisecond)), 20, rng), "00"},
	} {
		if got := detect(tc.pcm, FrameSamples); got != tc.want {
			t.Errorf("%s: detected %q, want %q", tc.name, got, tc.want)
		}
	}
}

func scale(pcm []int16, g float64) []int16 {
	out := make([]int16, len(pcm))
	for i, s := range pcm {
		out[i] = clamp16(float64(s) * g)
	}
	return out
}

func dB(x float64) float64 { return math.Pow(10, x/20) }

func twoTone(low, high, lowAmp, highAmp float64) []int16 {
	return multiTone(low, lowAmp, high, highAmp)
}

// multiTone returns 60 ms of sines given as frequency, amplitude pairs.
func multiTone(freqAmp ...float64) []int16 {
	out := make([]int16, samplesFor(60*time.Millisecond))
	for i := range out {
		var x float64
		for j := 0; j+1 < len(freqAmp); j += 2 {
			x += freqAmp[j+1] * math.Sin(2*math.Pi*freqAmp[j]*float64(i)/SampleRate)
		}
		out[i] = clamp16(x * 32767)
	}
	return out
}

func TestDTMFRejectsNonDTMF(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	n := samplesFor(time.Second)
	harmonics := func(f0 float64, amp func(k int) float64, vibrato float64) []int16 {
		out := make([]int16, n)
		for i := range out {
			tt := float64(i) / SampleRate
			f := f0 * (1 + vibrato*math.Sin(2*math.Pi*4*tt))
			var x float64
			for k := 1; float64(k)*f0 < 3800; k++ {
				x += amp(k) * math.Sin(2*math.Pi*float64(k)*f*tt)
			}
			out[i] = clamp16(x * 6000)
		}
		return out
	}
	noise := make([]int16, n)
	for i := range noise {
		noise[i] = clamp16(rng.NormFloat64() * 8000)
	}
	for _, tc := range []struct {
		name string
		pcm  []int16
	}{
		{"harmonics of 150 Hz, 1/k", harmonics(150, func(k int) float64 { return 1 / float64(k) }, 0)},
		{"harmonics of 150 Hz, flat", harmonics(150, func(int) float64 { return 0.3 }, 0)},
		{"harmonics of 150 Hz, vibrato", harmonics(150, func(k int) float64 { return 1 / float64(k) }, 0.05)},
		{"harmonics of 120 Hz, 1/k", harmonics(120, func(k int) float64 { return 1 / float64(k) }, 0)},
		{"harmonics of 220 Hz, 1/k", harmonics(220, func(k int) float64 { return 1 / float64(k) }, 0.03)},
		{"white noise", noise},
		{"1 kHz tone", Tone([]float64{1000}, time.Second, 0.5)},
		{"dial tone 350+440", Tone([]float64{350, 440}, time.Second, 0.5)},
		{"ringback 440+480", Tone([]float64{440, 480}, time.Second, 0.5)},
		{"single row tone", Tone([]float64{770}, time.Second, 0.5)},
		{"single column tone", Tone([]float64{1336}, time.Second, 0.5)},
		{"silence", Silence(time.Second)},
		{"control: same tone pair alone", multiTone(770, 0.3, 1336, 0.3)},
	} {
		want := ""
		if strings.HasPrefix(tc.name, "control") {
			want = "5"
		}
		if got := detect(tc.pcm, FrameSamples); got != want {
			t.Errorf("%s: detected %q, want %q", tc.name, got, want)
		}
	}
}

func TestDTMFAfterG711(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, c := range []Codec{CodecPCMA, CodecPCMU} {
		var parts [][]int16
		for _, digit := range allDigits {
			parts = append(parts, mustDTMF(t, digit, 60*time.Millisecond), Silence(60*time.Millisecond))
		}
		pcm := addNoise(concat(parts...), 20, rng)
		enc := make([]byte, len(pcm))
		c.Encode(enc, pcm)
		c.Decode(pcm, enc)
		if got := detect(pcm, FrameSamples); got != allDigits {
			t.Errorf("%v: detected %q, want %q", c, got, allDigits)
		}
	}
}

func TestDTMFDetectorReset(t *testing.T) {
	d := NewDTMFDetector()
	tone := mustDTMF(t, '8', 200*time.Millisecond)
	if _, ok := d.Process(tone[:FrameSamples*3]); !ok {
		t.Fatal("no digit")
	}
	d.Reset()
	if r, ok := d.Process(tone[FrameSamples*3 : FrameSamples*6]); !ok || r != '8' {
		t.Errorf("after Reset: %q %v, want the held key reported again", r, ok)
	}
}

func TestDTMFDetectorNoAllocs(t *testing.T) {
	d := NewDTMFDetector()
	pcm := concat(mustDTMF(t, '5', 100*time.Millisecond), Silence(100*time.Millisecond))
	i := 0
	allocs := testing.AllocsPerRun(200, func() {
		off := (i * FrameSamples) % (len(pcm) - FrameSamples)
		d.Process(pcm[off : off+FrameSamples])
		i++
	})
	if allocs != 0 {
		t.Errorf("Process: %v allocs per frame", allocs)
	}
}

func BenchmarkDTMFDetector(b *testing.B) {
	pcm := concat(mustDTMF(b, '5', 100*time.Millisecond), Silence(60*time.Millisecond))
	frames := len(pcm) / FrameSamples
	d := NewDTMFDetector()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f := i % frames
		d.Process(pcm[f*FrameSamples : (f+1)*FrameSamples])
		i++
	}
}

// vowel synthesises a steady voiced sound: harmonics of f0 (with a 5 Hz pitch
// vibrato of ±jitter) shaped by Gaussian formants of bandwidth bw.
func vowel(f0 float64, n int, formants []float64, bw, jitter float64) []int16 {
	out := make([]int16, n)
	var amps []float64
	for k := 1; float64(k)*f0 < 3800; k++ {
		f := float64(k) * f0
		a := 0.05 / float64(k)
		for _, fm := range formants {
			a += math.Exp(-(f - fm) * (f - fm) / (2 * bw * bw))
		}
		amps = append(amps, a)
	}
	phase := 0.0
	for i := range out {
		tt := float64(i) / SampleRate
		phase += 2 * math.Pi * f0 * (1 + jitter*math.Sin(2*math.Pi*5*tt)) / SampleRate
		var x float64
		for k, a := range amps {
			x += a * math.Sin(float64(k+1)*phase)
		}
		out[i] = clamp16(x * 5000)
	}
	return out
}

// TestDTMFTalkOff sweeps vowels whose two formants sit right on DTMF row and
// column frequencies (the worst case for talk-off) over the pitch range of
// adult voices. Formant bandwidths of real vowels are ~100-200 Hz. A few
// coincidences are unavoidable for a 40 ms detector; the rate must stay low.
func TestDTMFTalkOff(t *testing.T) {
	hits, total := 0, 0
	for _, fm := range [][]float64{{770, 1336}, {697, 1209}, {941, 1477}, {852, 1633}, {700, 1200}} {
		for f0 := 80.0; f0 < 320; f0 += 5 {
			total++
			if got := detect(vowel(f0, 1200, fm, 120, 0.01), FrameSamples); got != "" {
				hits++
			}
		}
	}
	if hits*100 > total*3 {
		t.Errorf("talk-off: %d of %d vowels detected as digits", hits, total)
	}
	t.Logf("talk-off: %d of %d formant-matched vowels", hits, total)
}

func TestDTMFRejectsMaskedOrDistorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, tc := range []struct {
		name string
		pcm  []int16
	}{
		// Energy share: the tone pair holds only half the energy.
		{"DTMF in noise at 0 dB SNR", addNoise(mustDTMF(t, '5', 200*time.Millisecond), 0, rng)},
		// Second harmonic of the high tone only 12 dB down: a voice, not a keypad.
		{"tone pair with strong second harmonic", multiTone(770, 0.3, 1336, 0.3, 2672, 0.3*dB(-12))},
		// Relative peak: a second low-group tone only 6 dB down.
		{"two row tones and a column", multiTone(770, 0.3, 1336, 0.3, 852, 0.3*dB(-6))},
		{"control: same tone pair alone", multiTone(770, 0.3, 1336, 0.3)},
	} {
		want := ""
		if strings.HasPrefix(tc.name, "control") {
			want = "5"
		}
		if got := detect(tc.pcm, FrameSamples); got != want {
			t.Errorf("%s: detected %q, want %q", tc.name, got, want)
		}
	}
}
