package media

import (
	"bytes"
	"testing"
	"time"
)

// FuzzReadWAV feeds arbitrary bytes to ReadWAV: it must never panic, and a
// successful decode can hold at most 8 output samples per input byte (the
// worst case being 1 kHz 8-bit audio upsampled to 8 kHz).
func FuzzReadWAV(f *testing.F) {
	x := Tone([]float64{440}, 20*time.Millisecond, 0.5)
	var w bytes.Buffer
	if err := WriteWAV(&w, x, SampleRate); err != nil {
		f.Fatal(err)
	}
	f.Add(w.Bytes())
	for _, tc := range []struct {
		tag            uint16
		channels, bits int
		rate           int
		ext            bool
	}{
		{wavPCM, 1, 8, 8000, false}, {wavPCM, 2, 16, 44100, false}, {wavPCM, 1, 24, 48000, true},
		{wavPCM, 2, 32, 16000, false}, {wavFloat, 1, 32, 22050, false}, {wavFloat, 2, 64, 8000, true},
		{wavALaw, 1, 8, 8000, false}, {wavULaw, 2, 8, 11025, false}, {wavPCM, 1, 16, 1000, false},
	} {
		file := riff(chunk{"LIST", []byte("INFOabc")}, fmtChunk(tc.tag, tc.channels, tc.rate, tc.bits, tc.ext),
			chunk{"fact", []byte{4, 0, 0, 0}}, chunk{"data", encodeSamples(x[:40], tc.tag, tc.channels, tc.bits, false)})
		f.Add(file)
		f.Add(file[:len(file)-7])
		f.Add(patchDataSize(file, 0xFFFFFFFF))
	}
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVE"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		pcm, err := ReadWAV(bytes.NewReader(b))
		if err != nil {
			if pcm != nil {
				t.Errorf("samples returned with error %v", err)
			}
			return
		}
		if len(pcm) > 8*len(b)+1 {
			t.Errorf("%d samples from %d bytes", len(pcm), len(b))
		}
	})
}

// FuzzDTMFDetector checks the detector on arbitrary audio and frame sizes:
// no panic and only keypad digits.
func FuzzDTMFDetector(f *testing.F) {
	tone, _ := DTMFTone('5', 60*time.Millisecond)
	f.Add(encodeSamples(tone, wavPCM, 1, 16, false), uint8(160))
	f.Add([]byte{0x7F, 0xFF, 0x80, 0x00}, uint8(1))
	f.Fuzz(func(t *testing.T, b []byte, chunk uint8) {
		pcm := make([]int16, len(b)/2)
		for i := range pcm {
			pcm[i] = int16(uint16(b[2*i]) | uint16(b[2*i+1])<<8)
		}
		for _, r := range detect(pcm, max(1, int(chunk))) {
			if !bytes.ContainsRune([]byte(allDigits), r) {
				t.Fatalf("digit %q", r)
			}
		}
	})
}
