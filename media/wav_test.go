package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type chunk struct {
	id   string
	body []byte
}

// riff assembles a RIFF WAVE file from chunks, padding odd-sized bodies.
func riff(chunks ...chunk) []byte {
	var b bytes.Buffer
	for _, c := range chunks {
		b.WriteString(c.id)
		binary.Write(&b, binary.LittleEndian, uint32(len(c.body)))
		b.Write(c.body)
		if len(c.body)%2 == 1 {
			b.WriteByte(0)
		}
	}
	out := append([]byte("RIFF\x00\x00\x00\x00WAVE"), b.Bytes()...)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

func fmtChunk(tag uint16, channels, rate, bits int, extensible bool) chunk {
	le := binary.LittleEndian
	b := make([]byte, 16)
	outer := tag
	if extensible {
		outer = wavExtensible
	}
	le.PutUint16(b[0:], outer)
	le.PutUint16(b[2:], uint16(channels))
	le.PutUint32(b[4:], uint32(rate))
	le.PutUint32(b[8:], uint32(rate*channels*bits/8))
	le.PutUint16(b[12:], uint16(channels*bits/8))
	le.PutUint16(b[14:], uint16(bits))
	if extensible {
		ext := make([]byte, 24)
		le.PutUint16(ext[0:], 22)
		le.PutUint16(ext[2:], uint16(bits))
		le.PutUint32(ext[4:], 3)
		le.PutUint16(ext[8:], tag)
		copy(ext[10:], "\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71")
		b = append(b, ext...)
	}
	return chunk{"fmt ", b}
}

// encodeSamples renders x (16-bit values) in the given format, duplicating
// into every channel; when invert is set the second channel is negated.
func encodeSamples(x []int16, tag uint16, channels, bits int, invert bool) []byte {
	le := binary.LittleEndian
	var b []byte
	for _, s := range x {
		for c := range channels {
			v := s
			if invert && c == 1 {
				v = -s
			}
			switch {
			case tag == wavALaw:
				var o [1]byte
				EncodeALaw(o[:], []int16{v})
				b = append(b, o[0])
			case tag == wavULaw:
				var o [1]byte
				EncodeULaw(o[:], []int16{v})
				b = append(b, o[0])
			case tag == wavFloat && bits == 32:
				b = le.AppendUint32(b, math.Float32bits(float32(v)/32768))
			case tag == wavFloat:
				b = le.AppendUint64(b, math.Float64bits(float64(v)/32768))
			case bits == 8:
				b = append(b, byte(int(v>>8)+128))
			case bits == 16:
				b = le.AppendUint16(b, uint16(v))
			case bits == 24:
				u := uint32(int32(v) << 8)
				b = append(b, byte(u), byte(u>>8), byte(u>>16))
			default:
				b = le.AppendUint32(b, uint32(int32(v)<<16))
			}
		}
	}
	return b
}

func TestReadWAVFormats(t *testing.T) {
	x := Tone([]float64{440}, 100*time.Millisecond, 0.5)
	x = append(x, -32768, 32767, 0, -1, 1) // extremes
	for _, tc := range []struct {
		name     string
		tag      uint16
		bits     int
		channels int
		ext      bool
		maxErr   int
	}{
		{"pcm8", wavPCM, 8, 1, false, 256},
		{"pcm16", wavPCM, 16, 1, false, 0},
		{"pcm24", wavPCM, 24, 1, false, 0},
		{"pcm32", wavPCM, 32, 1, false, 0},
		{"float32", wavFloat, 32, 1, false, 1},
		{"float64", wavFloat, 64, 1, false, 1},
		{"alaw", wavALaw, 8, 1, false, 1024},
		{"ulaw", wavULaw, 8, 1, false, 1024},
		{"pcm16 stereo", wavPCM, 16, 2, false, 0},
		{"pcm24 extensible stereo", wavPCM, 24, 2, true, 0},
		{"float32 extensible", wavFloat, 32, 1, true, 1},
		{"pcm16 6 channels", wavPCM, 16, 6, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := riff(
				chunk{"LIST", []byte("INFOx")}, // odd size, padded
				fmtChunk(tc.tag, tc.channels, SampleRate, tc.bits, tc.ext),
				chunk{"fact", []byte{byte(len(x)), 0, 0, 0}},
				chunk{"data", encodeSamples(x, tc.tag, tc.channels, tc.bits, false)},
				chunk{"LIST", []byte("trailing")},
			)
			got, err := ReadWAV(bytes.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(x) {
				t.Fatalf("%d samples, want %d", len(got), len(x))
			}
			for i := range x {
				if e := abs(int(got[i]) - int(x[i])); e > tc.maxErr {
					t.Fatalf("sample %d: %d, want %d (±%d)", i, got[i], x[i], tc.maxErr)
				}
			}
		})
	}
}

func TestReadWAVDownmixAndResample(t *testing.T) {
	x := sine(1000, 44100, 500*time.Millisecond, 0.5)
	// Opposite channels cancel in the downmix.
	file := riff(fmtChunk(wavPCM, 2, 44100, 16, false), chunk{"data", encodeSamples(x, wavPCM, 2, 16, true)})
	got, err := ReadWAV(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4000 || RMS(got) > 1 {
		t.Errorf("anti-phase stereo: %d samples, RMS %.1f; want 4000 samples of silence", len(got), RMS(got))
	}
	file = riff(fmtChunk(wavFloat, 2, 44100, 32, true), chunk{"data", encodeSamples(x, wavFloat, 2, 32, false)})
	if got, err = ReadWAV(bytes.NewReader(file)); err != nil {
		t.Fatal(err)
	}
	if lvl := ToneLevel(got[1000:3000], 1000); len(got) != 4000 || lvl < 0.99 {
		t.Errorf("44.1 kHz float stereo: %d samples, 1 kHz level %.3f", len(got), lvl)
	}
}

func TestReadWAVLenientData(t *testing.T) {
	x := []int16{100, -200, 300, -400}
	data := encodeSamples(x, wavPCM, 1, 16, false)
	good := riff(fmtChunk(wavPCM, 1, SampleRate, 16, false), chunk{"data", data})
	for _, tc := range []struct {
		name string
		file []byte
		want int
	}{
		{"streaming size 0xFFFFFFFF", patchDataSize(good, math.MaxUint32), 4},
		{"size 0", patchDataSize(good, 0), 4},
		{"truncated data", patchDataSize(good, 100), 4},
		{"trailing partial sample", append(patchDataSize(good, 9), 0x7F), 4},
	} {
		got, err := ReadWAV(bytes.NewReader(tc.file))
		if err != nil || len(got) != tc.want {
			t.Errorf("%s: %d samples, %v; want %d", tc.name, len(got), err, tc.want)
		}
	}
}

func patchDataSize(file []byte, size uint32) []byte {
	out := bytes.Clone(file)
	i := bytes.Index(out, []byte("data"))
	binary.LittleEndian.PutUint32(out[i+4:], size)
	return out
}

func TestReadWAVErrors(t *testing.T) {
	data := chunk{"data", make([]byte, 32)}
	pcm16 := fmtChunk(wavPCM, 1, SampleRate, 16, false)
	badAlign := fmtChunk(wavPCM, 1, SampleRate, 16, false)
	badAlign.body[12] = 3
	for _, tc := range []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "not a RIFF WAVE"},
		{"not riff", []byte("RIFX\x00\x00\x00\x00WAVEfmt "), "not a RIFF WAVE"},
		{"avi", []byte("RIFF\x00\x00\x00\x00AVI LIST"), "not a RIFF WAVE"},
		{"no data", riff(pcm16), "no data chunk"},
		{"data before fmt", riff(data, pcm16), "before fmt"},
		{"duplicate fmt", riff(pcm16, pcm16, data), "duplicate fmt"},
		{"mp3", riff(fmtChunk(0x55, 1, SampleRate, 16, false), data), "unsupported format tag"},
		{"12-bit", riff(fmtChunk(wavPCM, 1, SampleRate, 12, false), data), "12-bit"},
		{"float16", riff(fmtChunk(wavFloat, 1, SampleRate, 16, false), data), "16-bit"},
		{"no channels", riff(fmtChunk(wavPCM, 0, SampleRate, 16, false), data), "channel count"},
		{"rate 0", riff(fmtChunk(wavPCM, 1, 0, 16, false), data), "sample rate"},
		{"rate 10 MHz", riff(fmtChunk(wavPCM, 1, 10_000_000, 16, false), data), "sample rate"},
		{"block align", riff(badAlign, data), "block align"},
		{"short fmt", riff(chunk{"fmt ", make([]byte, 14)}, data), "fmt chunk of 14 bytes"},
		{"short extensible", riff(chunk{"fmt ", fmtChunk(wavExtensible, 1, SampleRate, 16, false).body}, data), "EXTENSIBLE"},
		{"huge data", patchDataSize(riff(pcm16, data), 0x7FFFFFFF), "exceeds"},
		{"truncated fmt", riff(pcm16)[:30], "unexpected EOF"},
	} {
		_, err := ReadWAV(bytes.NewReader(tc.file))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
	hugeList := riff(pcm16, chunk{"LIST", []byte{1, 2}}, data)
	i := bytes.Index(hugeList, []byte("LIST"))
	binary.LittleEndian.PutUint32(hugeList[i+4:], 0xFFFFFFF0)
	if _, err := ReadWAV(bytes.NewReader(hugeList)); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("huge LIST chunk: %v", err)
	}
	if _, err := ReadWAV(bytes.NewReader(nil)); !errors.Is(err, ErrNotWAV) {
		t.Errorf("empty input: %v, want ErrNotWAV", err)
	}
}

func TestWriteReadWAV(t *testing.T) {
	x := Tone([]float64{697, 1209}, 200*time.Millisecond, 0.8)
	var b bytes.Buffer
	if err := WriteWAV(&b, x, SampleRate); err != nil {
		t.Fatal(err)
	}
	if b.Len() != 44+2*len(x) {
		t.Errorf("file is %d bytes, want %d", b.Len(), 44+2*len(x))
	}
	got, err := ReadWAV(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !slicesEqual(got, x) {
		t.Error("round trip changed the samples")
	}
	// At 16 kHz the reader converts back to 8 kHz.
	b.Reset()
	if err := WriteWAV(&b, Resample(x, SampleRate, 16000), 16000); err != nil {
		t.Fatal(err)
	}
	if got, err = ReadWAV(&b); err != nil || len(got) != len(x) {
		t.Fatalf("16 kHz round trip: %d samples, %v", len(got), err)
	}
	if err := WriteWAV(io.Discard, x, 0); err == nil {
		t.Error("rate 0 accepted")
	}
	if err := WriteWAV(failWriter{}, x, SampleRate); err == nil || !strings.Contains(err.Error(), "write wav") {
		t.Errorf("failing writer: %v", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func slicesEqual(a, b []int16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWAVFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tone.wav")
	x := Tone([]float64{1000}, 50*time.Millisecond, 0.5)
	if err := WriteWAVFile(path, x, SampleRate); err != nil {
		t.Fatal(err)
	}
	got, err := ReadWAVFile(path)
	if err != nil || !slicesEqual(got, x) {
		t.Fatalf("ReadWAVFile: %d samples, %v", len(got), err)
	}
	if _, err := ReadWAVFile(filepath.Join(dir, "missing.wav")); err == nil {
		t.Error("missing file accepted")
	}
	if err := WriteWAVFile(filepath.Join(dir, "no", "such", "dir.wav"), x, SampleRate); err == nil {
		t.Error("unwritable path accepted")
	}
}
