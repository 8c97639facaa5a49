package media

import (
	"strconv"
	"strings"
)

// Codec is a G.711 audio codec negotiated for an RTP session.
type Codec uint8

// The G.711 codecs with their static RTP payload types (RFC 3551 §6, table 4).
const (
	CodecPCMU Codec = iota // µ-law, payload type 0
	CodecPCMA              // A-law, payload type 8
)

// String returns the RTP encoding name ("PCMU", "PCMA") as written in SDP a=rtpmap.
func (c Codec) String() string {
	switch c {
	case CodecPCMU:
		return "PCMU"
	case CodecPCMA:
		return "PCMA"
	}
	return "Codec(" + strconv.Itoa(int(c)) + ")"
}

// PayloadType returns the static RTP payload type of the codec (RFC 3551 §6).
// An unknown codec returns 255, which is not a valid payload type.
func (c Codec) PayloadType() uint8 {
	switch c {
	case CodecPCMU:
		return 0
	case CodecPCMA:
		return 8
	}
	return 255
}

// CodecByPayloadType maps a static payload type (0 or 8) to its codec.
func CodecByPayloadType(pt uint8) (Codec, bool) {
	switch pt {
	case 0:
		return CodecPCMU, true
	case 8:
		return CodecPCMA, true
	}
	return 0, false
}

// CodecByName maps an encoding name ("PCMA", "pcmu", ...) to its codec, case-insensitively.
func CodecByName(name string) (Codec, bool) {
	switch {
	case strings.EqualFold(name, "PCMU"):
		return CodecPCMU, true
	case strings.EqualFold(name, "PCMA"):
		return CodecPCMA, true
	}
	return 0, false
}

// Encode compresses src into dst, one byte per sample, and returns the number
// of bytes written: min(len(dst), len(src)). It never allocates. An unknown
// codec writes nothing.
func (c Codec) Encode(dst []byte, src []int16) int {
	switch c {
	case CodecPCMU:
		return EncodeULaw(dst, src)
	case CodecPCMA:
		return EncodeALaw(dst, src)
	}
	return 0
}

// Decode expands src into dst, one sample per byte, and returns the number of
// samples written: min(len(dst), len(src)). It never allocates. An unknown
// codec writes nothing.
func (c Codec) Decode(dst []int16, src []byte) int {
	switch c {
	case CodecPCMU:
		return DecodeULaw(dst, src)
	case CodecPCMA:
		return DecodeALaw(dst, src)
	}
	return 0
}
