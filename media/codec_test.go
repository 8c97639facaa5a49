package media

import "testing"

func TestCodec(t *testing.T) {
	for _, tc := range []struct {
		c    Codec
		name string
		pt   uint8
	}{
		{CodecPCMU, "PCMU", 0},
		{CodecPCMA, "PCMA", 8},
	} {
		if got := tc.c.String(); got != tc.name {
			t.Errorf("String() = %q, want %q", got, tc.name)
		}
		if got := tc.c.PayloadType(); got != tc.pt {
			t.Errorf("%v PayloadType() = %d, want %d", tc.c, got, tc.pt)
		}
		if c, ok := CodecByPayloadType(tc.pt); !ok || c != tc.c {
			t.Errorf("CodecByPayloadType(%d) = %v, %v", tc.pt, c, ok)
		}
		for _, n := range []string{tc.name, lower(tc.name), "P" + lower(tc.name[1:])} {
			if c, ok := CodecByName(n); !ok || c != tc.c {
				t.Errorf("CodecByName(%q) = %v, %v", n, c, ok)
			}
		}
	}
	for _, pt := range []uint8{1, 3, 9, 18, 96, 101, 255} {
		if _, ok := CodecByPayloadType(pt); ok {
			t.Errorf("CodecByPayloadType(%d) found a codec", pt)
		}
	}
	for _, n := range []string{"", "G729", "PCM", "PCMAX", "telephone-event"} {
		if _, ok := CodecByName(n); ok {
			t.Errorf("CodecByName(%q) found a codec", n)
		}
	}
	if got := Codec(7).String(); got != "Codec(7)" {
		t.Errorf("unknown String() = %q", got)
	}
	if got := Codec(7).PayloadType(); got != 255 {
		t.Errorf("unknown PayloadType() = %d", got)
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
