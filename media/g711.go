package media

import "math/bits"

// G.711 (ITU-T Recommendation G.711, 11/1988) companding, table driven.
//
// The encoders index a precomputed table by the top 13 (A-law) or 14 (µ-law)
// bits of the 16-bit sample, which are exactly the bits G.711 quantises
// (A-law works on 13-bit linear PCM, µ-law on 14-bit); the decoders index a
// 256-entry table. The tables are built once at package initialisation by
// pure functions and are never written afterwards.

var (
	alawEncodeTable = buildALawEncodeTable() // index: uint16(sample) >> 3
	ulawEncodeTable = buildULawEncodeTable() // index: uint16(sample) >> 2
	alawDecodeTable = buildALawDecodeTable()
	ulawDecodeTable = buildULawDecodeTable()
)

// EncodeALaw compresses src into dst with A-law and returns the number of
// bytes written, min(len(dst), len(src)). It never allocates.
func EncodeALaw(dst []byte, src []int16) int {
	n := min(len(dst), len(src))
	dst, src = dst[:n], src[:n]
	for i, s := range src {
		dst[i] = alawEncodeTable[uint16(s)>>3]
	}
	return n
}

// DecodeALaw expands A-law bytes from src into dst and returns the number of
// samples written, min(len(dst), len(src)). It never allocates.
func DecodeALaw(dst []int16, src []byte) int {
	n := min(len(dst), len(src))
	dst, src = dst[:n], src[:n]
	for i, b := range src {
		dst[i] = alawDecodeTable[b]
	}
	return n
}

// EncodeULaw compresses src into dst with µ-law and returns the number of
// bytes written, min(len(dst), len(src)). It never allocates.
func EncodeULaw(dst []byte, src []int16) int {
	n := min(len(dst), len(src))
	dst, src = dst[:n], src[:n]
	for i, s := range src {
		dst[i] = ulawEncodeTable[uint16(s)>>2]
	}
	return n
}

// DecodeULaw expands µ-law bytes from src into dst and returns the number of
// samples written, min(len(dst), len(src)). It never allocates.
func DecodeULaw(dst []int16, src []byte) int {
	n := min(len(dst), len(src))
	dst, src = dst[:n], src[:n]
	for i, b := range src {
		dst[i] = ulawDecodeTable[b]
	}
	return n
}

const ulawBias = 0x84 // G.711 µ-law bias (132) in 16-bit units

// segment returns the G.711 segment (chord) number of a magnitude whose
// segment 0 spans 0..2^low-1, each following segment doubling in width
// (G.711 tables 1a/2a); values past segment 7 return 8.
func segment(v, low int) int {
	return min(8, max(0, bits.Len(uint(v))-low))
}

// alawEncode is the reference A-law compressor for a 13-bit value (sample >> 3).
// Even bits are inverted (XOR 0x55) as G.711 requires; the sign bit is 1 for positive.
func alawEncode(v int) byte {
	mask := byte(0xD5)
	if v < 0 {
		mask = 0x55
		v = -v - 1
	}
	seg := segment(v, 5)
	if seg >= 8 {
		return 0x7F ^ mask
	}
	a := byte(seg << 4)
	if seg < 2 {
		a |= byte(v>>1) & 0x0F
	} else {
		a |= byte(v>>seg) & 0x0F
	}
	return a ^ mask
}

// alawDecode is the reference A-law expander; it returns the mid-point of the
// quantisation interval scaled to 16 bits.
func alawDecode(a byte) int16 {
	a ^= 0x55
	t := int(a&0x0F) << 4
	switch seg := int(a&0x70) >> 4; seg {
	case 0:
		t += 8
	case 1:
		t += 0x108
	default:
		t += 0x108
		t <<= seg - 1
	}
	if a&0x80 != 0 {
		return int16(t)
	}
	return int16(-t)
}

// ulawEncode is the reference µ-law compressor for a 14-bit value (sample >> 2).
// All bits are inverted as G.711 requires; the sign bit is 1 for positive.
func ulawEncode(v int) byte {
	mask := byte(0xFF)
	if v < 0 {
		mask = 0x7F
		v = -v
	}
	v = min(v, 8159) // clip: 8159 + 33 = 0x1FFF, the top of segment 7
	v += ulawBias >> 2
	seg := segment(v, 6)
	if seg >= 8 {
		return 0x7F ^ mask
	}
	u := byte(seg<<4) | byte(v>>(seg+1))&0x0F
	return u ^ mask
}

// ulawDecode is the reference µ-law expander scaled to 16 bits.
func ulawDecode(u byte) int16 {
	u = ^u
	t := (int(u&0x0F) << 3) + ulawBias
	t <<= int(u&0x70) >> 4
	if u&0x80 != 0 {
		return int16(ulawBias - t)
	}
	return int16(t - ulawBias)
}

func buildALawEncodeTable() (t [1 << 13]byte) {
	for i := range t {
		t[i] = alawEncode(int(int16(uint16(i<<3))) >> 3)
	}
	return t
}

func buildULawEncodeTable() (t [1 << 14]byte) {
	for i := range t {
		t[i] = ulawEncode(int(int16(uint16(i<<2))) >> 2)
	}
	return t
}

func buildALawDecodeTable() (t [256]int16) {
	for i := range t {
		t[i] = alawDecode(byte(i))
	}
	return t
}

func buildULawDecodeTable() (t [256]int16) {
	for i := range t {
		t[i] = ulawDecode(byte(i))
	}
	return t
}
