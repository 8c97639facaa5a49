package media

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
)

// WAV (RIFF WAVE) reading and writing. References: the Microsoft RIFF
// specification (1991) and "Multiple channel audio data and WAVE files"
// (WAVE_FORMAT_EXTENSIBLE).
//
// ReadWAV walks the chunk list, skipping unknown chunks (LIST, fact, cue, bext
// ...) and honouring the pad byte after odd-sized chunks. Sizes are bounded
// (MaxWAVDataBytes, maxWAVChunkSkip) so a hostile header cannot make it
// allocate or read without limit; it never panics on malformed input.

// MaxWAVDataBytes bounds the audio data ReadWAV accepts (about 6 minutes of
// 48 kHz 16-bit stereo; a prompt is a few seconds).
const MaxWAVDataBytes = 64 << 20

const (
	maxWAVChunkSkip = 16 << 20 // metadata chunks larger than this are refused
	maxWAVChannels  = 16
	maxFmtBytes     = 1 << 10
)

// WAV format tags (RFC 2361 appendix A).
const (
	wavPCM        = 0x0001
	wavFloat      = 0x0003
	wavALaw       = 0x0006
	wavULaw       = 0x0007
	wavExtensible = 0xFFFE
)

// ErrNotWAV is returned (wrapped) when the input is not a RIFF WAVE file.
var ErrNotWAV = errors.New("not a RIFF WAVE file")

type wavFormat struct {
	tag        uint16
	channels   int
	rate       int
	blockAlign int
	bits       int
}

// ReadWAV decodes a WAV file (PCM 8/16/24/32-bit, IEEE float 32/64-bit, A-law,
// µ-law, plain or WAVE_FORMAT_EXTENSIBLE, any sample rate, any channel count)
// into 8 kHz mono 16-bit PCM: channels are averaged and the rate converted
// with Resample.
func ReadWAV(r io.Reader) ([]int16, error) {
	var hdr [12]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, fmt.Errorf("read wav header: %w", ErrNotWAV)
	}
	if string(hdr[0:4]) != "RIFF" || string(hdr[8:12]) != "WAVE" {
		return nil, fmt.Errorf("read wav header: %w", ErrNotWAV)
	}
	var f *wavFormat
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			return nil, fmt.Errorf("read wav: no data chunk: %w", noEOF(err))
		}
		id, size := string(ch[0:4]), int64(binary.LittleEndian.Uint32(ch[4:8]))
		switch id {
		case "fmt ":
			if f != nil {
				return nil, errors.New("read wav: duplicate fmt chunk")
			}
			var err error
			if f, err = readFmt(r, size); err != nil {
				return nil, err
			}
		case "data":
			if f == nil {
				return nil, errors.New("read wav: data chunk before fmt chunk")
			}
			data, err := readData(r, size)
			if err != nil {
				return nil, err
			}
			mono := f.decode(data)
			if f.rate == SampleRate {
				return mono, nil
			}
			return Resample(mono, f.rate, SampleRate), nil
		default:
			if size > maxWAVChunkSkip {
				return nil, fmt.Errorf("read wav: %q chunk of %d bytes is too large", sanitizeID(id), size)
			}
			if _, err := io.CopyN(io.Discard, r, size+size&1); err != nil {
				return nil, fmt.Errorf("read wav: skip %q chunk: %w", sanitizeID(id), noEOF(err))
			}
		}
	}
}

// noEOF turns a bare io.EOF into io.ErrUnexpectedEOF: inside a RIFF file
// running out of bytes is always a truncation.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func sanitizeID(id string) string {
	b := []byte(id)
	for i, c := range b {
		if c < 0x20 || c > 0x7E {
			b[i] = '?'
		}
	}
	return string(b)
}

// readFmt parses a fmt chunk body of size bytes (plus its pad byte).
func readFmt(r io.Reader, size int64) (*wavFormat, error) {
	if size < 16 || size > maxFmtBytes {
		return nil, fmt.Errorf("read wav: fmt chunk of %d bytes", size)
	}
	b := make([]byte, size+size&1)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("read wav: fmt chunk: %w", noEOF(err))
	}
	le := binary.LittleEndian
	f := &wavFormat{
		tag:        le.Uint16(b[0:]),
		channels:   int(le.Uint16(b[2:])),
		rate:       int(le.Uint32(b[4:])),
		blockAlign: int(le.Uint16(b[12:])),
		bits:       int(le.Uint16(b[14:])),
	}
	if f.tag == wavExtensible {
		// cbSize(2) validBits(2) channelMask(4) subFormat GUID(16): the GUID's first two bytes are the tag.
		if size < 40 || le.Uint16(b[16:]) < 22 {
			return nil, errors.New("read wav: truncated WAVE_FORMAT_EXTENSIBLE fmt chunk")
		}
		f.tag = le.Uint16(b[24:])
	}
	if err := f.validate(); err != nil {
		return nil, fmt.Errorf("read wav: %w", err)
	}
	return f, nil
}

func (f *wavFormat) validate() error {
	if f.channels < 1 || f.channels > maxWAVChannels {
		return fmt.Errorf("unsupported channel count %d", f.channels)
	}
	if f.rate < 1000 || f.rate > maxSampleRate {
		return fmt.Errorf("unsupported sample rate %d Hz", f.rate)
	}
	ok := false
	switch f.tag {
	case wavPCM:
		ok = f.bits == 8 || f.bits == 16 || f.bits == 24 || f.bits == 32
	case wavFloat:
		ok = f.bits == 32 || f.bits == 64
	case wavALaw, wavULaw:
		ok = f.bits == 8
	default:
		return fmt.Errorf("unsupported format tag %#04x", f.tag)
	}
	if !ok {
		return fmt.Errorf("unsupported %d-bit samples for format %#04x", f.bits, f.tag)
	}
	if want := f.channels * f.bits / 8; f.blockAlign != want {
		return fmt.Errorf("block align %d, want %d", f.blockAlign, want)
	}
	return nil
}

// readData reads a data chunk body. A size of 0 or 0xFFFFFFFF (streaming
// writers that never patched the header) means "until end of file", and a
// chunk cut short by end of file is accepted: both are common in the wild.
func readData(r io.Reader, size int64) ([]byte, error) {
	limit := size
	switch {
	case size == 0 || size == math.MaxUint32:
		limit = MaxWAVDataBytes + 1
	case size > MaxWAVDataBytes:
		return nil, fmt.Errorf("read wav: data chunk of %d bytes exceeds the %d-byte limit", size, MaxWAVDataBytes)
	}
	data, err := io.ReadAll(io.LimitReader(r, limit))
	if err != nil {
		return nil, fmt.Errorf("read wav: data chunk: %w", err)
	}
	if len(data) > MaxWAVDataBytes {
		return nil, fmt.Errorf("read wav: data exceeds the %d-byte limit", MaxWAVDataBytes)
	}
	return data, nil
}

// decode converts whole frames of data to mono int16 at the file's rate,
// averaging the channels. A trailing partial frame is dropped.
func (f *wavFormat) decode(data []byte) []int16 {
	width := f.bits / 8
	frames := len(data) / f.blockAlign
	out := make([]int16, frames)
	for i := range out {
		var sum float64
		for c := range f.channels {
			off := i*f.blockAlign + c*width
			sum += f.sample(data[off : off+width])
		}
		out[i] = clamp16(sum / float64(f.channels) * 32768)
	}
	return out
}

// sample decodes one sample to -1..1.
func (f *wavFormat) sample(b []byte) float64 {
	le := binary.LittleEndian
	switch f.tag {
	case wavALaw:
		return float64(alawDecodeTable[b[0]]) / 32768
	case wavULaw:
		return float64(ulawDecodeTable[b[0]]) / 32768
	case wavFloat:
		v := float64(math.Float32frombits(le.Uint32(b)))
		if f.bits == 64 {
			v = math.Float64frombits(le.Uint64(b))
		}
		if math.IsNaN(v) {
			return 0
		}
		return math.Max(-1, math.Min(1, v))
	}
	switch f.bits {
	case 8:
		return float64(int(b[0])-128) / 128 // 8-bit PCM is unsigned
	case 16:
		return float64(int16(le.Uint16(b))) / 32768
	case 24:
		return float64(int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24)>>8) / (1 << 23)
	default:
		return float64(int32(le.Uint32(b))) / (1 << 31)
	}
}

// ReadWAVFile reads the WAV file at path; see ReadWAV.
func ReadWAVFile(path string) ([]int16, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read wav file: %w", err)
	}
	defer fh.Close()
	pcm, err := ReadWAV(bufio.NewReader(fh))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return pcm, nil
}

// WriteWAV writes pcm as a 16-bit mono PCM WAV file at sampleRate.
func WriteWAV(w io.Writer, pcm []int16, sampleRate int) error {
	if sampleRate < 1 || sampleRate > maxSampleRate {
		return fmt.Errorf("write wav: unsupported sample rate %d Hz", sampleRate)
	}
	dataLen := 2 * len(pcm)
	if dataLen > math.MaxUint32-36 {
		return fmt.Errorf("write wav: %d samples do not fit a RIFF file", len(pcm))
	}
	b := make([]byte, 44+dataLen)
	le := binary.LittleEndian
	copy(b[0:], "RIFF")
	le.PutUint32(b[4:], uint32(36+dataLen))
	copy(b[8:], "WAVEfmt ")
	le.PutUint32(b[16:], 16)
	le.PutUint16(b[20:], wavPCM)
	le.PutUint16(b[22:], 1)
	le.PutUint32(b[24:], uint32(sampleRate))
	le.PutUint32(b[28:], uint32(2*sampleRate))
	le.PutUint16(b[32:], 2)
	le.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	le.PutUint32(b[40:], uint32(dataLen))
	for i, s := range pcm {
		le.PutUint16(b[44+2*i:], uint16(s))
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write wav: %w", err)
	}
	return nil
}

// WriteWAVFile writes pcm to path as a 16-bit mono PCM WAV file; see WriteWAV.
func WriteWAVFile(path string, pcm []int16, sampleRate int) error {
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write wav file: %w", err)
	}
	if err := WriteWAV(fh, pcm, sampleRate); err != nil {
		fh.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := fh.Close(); err != nil {
		return fmt.Errorf("write wav file: %w", err)
	}
	return nil
}
