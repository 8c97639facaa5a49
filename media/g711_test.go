package media

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"testing"
)

// Digests of the G.711 output for every int16 (little-endian, -32768..32767)
// and of the expansion of every code 0..255, computed independently with
// CPython's audioop (lin2alaw/lin2ulaw/alaw2lin/ulaw2lin).
const (
	alawEncodeDigest = "38488f6fd710f4686360edc4d38639f96c491595ef93f8eb8d62d5e07ca6ce7b"
	ulawEncodeDigest = "81d633c9e6972a18c74a58720b96cb8ca0bdd096d4060b646dd708c3b846019a"
	alawDecodeDigest = "e04788d110e58ff8c70c93b8480190d973e3b67876b6119abbaec766cc75c174"
	ulawDecodeDigest = "3dab54339e520bb2c924826e3b72a917a2b612e9fd12fc867500f1d983a75827"
)

func allSamples() []int16 {
	s := make([]int16, 1<<16)
	for i := range s {
		s[i] = int16(i - 32768)
	}
	return s
}

func TestG711MatchesReference(t *testing.T) {
	pcm := allSamples()
	codes := make([]byte, 256)
	for i := range codes {
		codes[i] = byte(i)
	}
	for _, tc := range []struct {
		name             string
		enc              func([]byte, []int16) int
		dec              func([]int16, []byte) int
		encWant, decWant string
	}{
		{"alaw", EncodeALaw, DecodeALaw, alawEncodeDigest, alawDecodeDigest},
		{"ulaw", EncodeULaw, DecodeULaw, ulawEncodeDigest, ulawDecodeDigest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := make([]byte, len(pcm))
			if n := tc.enc(out, pcm); n != len(pcm) {
				t.Fatalf("encode wrote %d", n)
			}
			if got := digest(out); got != tc.encWant {
				t.Errorf("encode digest %s, want %s", got, tc.encWant)
			}
			lin := make([]int16, 256)
			if n := tc.dec(lin, codes); n != 256 {
				t.Fatalf("decode wrote %d", n)
			}
			b := make([]byte, 512)
			for i, v := range lin {
				binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
			}
			if got := digest(b); got != tc.decWant {
				t.Errorf("decode digest %s, want %s", got, tc.decWant)
			}
		})
	}
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestG711KnownValues(t *testing.T) {
	in := []int16{0, 1000, -1000, 32767, -32768, 100, -100}
	for _, tc := range []struct {
		codec Codec
		want  []byte
	}{
		{CodecPCMA, []byte{0xD5, 0xFA, 0x7A, 0xAA, 0x2A, 0xD3, 0x53}},
		{CodecPCMU, []byte{0xFF, 0xCE, 0x4E, 0x80, 0x00, 0xF2, 0x72}},
	} {
		got := make([]byte, len(in))
		tc.codec.Encode(got, in)
		for i := range in {
			if got[i] != tc.want[i] {
				t.Errorf("%v encode %d = %#02x, want %#02x", tc.codec, in[i], got[i], tc.want[i])
			}
		}
	}
	for _, tc := range []struct {
		codec Codec
		code  byte
		want  int16
	}{
		{CodecPCMA, 0xD5, 8}, {CodecPCMA, 0x55, -8}, {CodecPCMA, 0xAA, 32256}, {CodecPCMA, 0x2A, -32256},
		{CodecPCMA, 0x80, 5504}, {CodecPCMA, 0xFF, 848},
		{CodecPCMU, 0xFF, 0}, {CodecPCMU, 0x7F, 0}, {CodecPCMU, 0x80, 32124}, {CodecPCMU, 0x00, -32124},
		{CodecPCMU, 0x01, -31100}, {CodecPCMU, 0xFE, 8}, {CodecPCMU, 0x8F, 16764},
	} {
		var out [1]int16
		tc.codec.Decode(out[:], []byte{tc.code})
		if out[0] != tc.want {
			t.Errorf("%v decode %#02x = %d, want %d", tc.codec, tc.code, out[0], tc.want)
		}
	}
}

// TestG711RoundTripError bounds the quantisation error: at most half a step,
// where steps double each segment (G.711 tables 1a/2a), i.e. about 3 % of the
// magnitude plus the smallest step; the top of the range clips.
func TestG711RoundTripError(t *testing.T) {
	pcm := allSamples()
	enc := make([]byte, len(pcm))
	dec := make([]int16, len(pcm))
	for _, tc := range []struct {
		codec    Codec
		minStep  int
		maxError int
	}{
		{CodecPCMA, 16, 512},
		{CodecPCMU, 8, 644},
	} {
		tc.codec.Encode(enc, pcm)
		tc.codec.Decode(dec, enc)
		worst := 0
		for i, x := range pcm {
			e := abs(int(dec[i]) - int(x))
			worst = max(worst, e)
			if bound := abs(int(x))/32 + tc.minStep; e > bound {
				t.Fatalf("%v: %d → %d, error %d > %d", tc.codec, x, dec[i], e, bound)
			}
			if i > 0 && enc[i] != enc[i-1] && dec[i] < dec[i-1] {
				t.Fatalf("%v: not monotonic at %d", tc.codec, x)
			}
		}
		if worst > tc.maxError {
			t.Errorf("%v: worst error %d > %d", tc.codec, worst, tc.maxError)
		}
		// Every code re-encodes to itself (µ-law has two zeros: 0x7F and 0xFF).
		for c := range 256 {
			var s [1]int16
			var b [1]byte
			tc.codec.Decode(s[:], []byte{byte(c)})
			tc.codec.Encode(b[:], s[:])
			if b[0] != byte(c) && !(tc.codec == CodecPCMU && c == 0x7F && b[0] == 0xFF) {
				t.Errorf("%v: code %#02x → %d → %#02x", tc.codec, c, s[0], b[0])
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestG711ShortBuffers(t *testing.T) {
	src := []int16{1, 2, 3, 4}
	dst := make([]byte, 2)
	if n := EncodeALaw(dst, src); n != 2 {
		t.Errorf("EncodeALaw into short dst = %d", n)
	}
	out := make([]int16, 10)
	if n := DecodeULaw(out, dst); n != 2 {
		t.Errorf("DecodeULaw from short src = %d", n)
	}
	if n := Codec(9).Encode(dst, src); n != 0 {
		t.Errorf("unknown codec encoded %d", n)
	}
}

func TestG711NoAllocs(t *testing.T) {
	pcm := Tone([]float64{440}, FrameDuration, 0.5)
	enc := make([]byte, FrameSamples)
	dec := make([]int16, FrameSamples)
	for _, c := range []Codec{CodecPCMA, CodecPCMU} {
		if a := testing.AllocsPerRun(100, func() { c.Encode(enc, pcm) }); a != 0 {
			t.Errorf("%v Encode: %v allocs", c, a)
		}
		if a := testing.AllocsPerRun(100, func() { c.Decode(dec, enc) }); a != 0 {
			t.Errorf("%v Decode: %v allocs", c, a)
		}
	}
}

func benchFrame() []int16 { return Tone([]float64{697, 1209}, FrameDuration, 0.6) }

func BenchmarkEncodeALaw(b *testing.B) { benchEncode(b, CodecPCMA) }
func BenchmarkEncodeULaw(b *testing.B) { benchEncode(b, CodecPCMU) }
func BenchmarkDecodeALaw(b *testing.B) { benchDecode(b, CodecPCMA) }
func BenchmarkDecodeULaw(b *testing.B) { benchDecode(b, CodecPCMU) }

func benchEncode(b *testing.B, c Codec) {
	pcm := benchFrame()
	out := make([]byte, FrameSamples)
	b.ReportAllocs()
	b.SetBytes(FrameSamples * 2)
	for b.Loop() {
		c.Encode(out, pcm)
	}
}

func benchDecode(b *testing.B, c Codec) {
	enc := make([]byte, FrameSamples)
	c.Encode(enc, benchFrame())
	out := make([]int16, FrameSamples)
	b.ReportAllocs()
	b.SetBytes(FrameSamples)
	for b.Loop() {
		c.Decode(out, enc)
	}
}
