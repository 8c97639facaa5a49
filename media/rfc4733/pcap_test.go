package rfc4733

import (
	"encoding/binary"
	"os"
	"testing"
)

// readPcapRTP extracts the RTP packets of a classic little-endian pcap file
// with Ethernet/IPv4/UDP framing, as sipp ships them (/usr/share/sip-tester).
func readPcapRTP(t *testing.T, path string) []pkt {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 24 || binary.LittleEndian.Uint32(data) != 0xa1b2c3d4 || binary.LittleEndian.Uint32(data[20:]) != 1 {
		t.Fatalf("%s: not a little-endian Ethernet pcap", path)
	}
	var out []pkt
	for off := 24; off+16 <= len(data); {
		n := int(binary.LittleEndian.Uint32(data[off+8:]))
		frame := data[off+16 : off+16+n]
		off += 16 + n
		ip := frame[14:]
		udp := ip[int(ip[0]&0x0f)*4:]
		rtp := udp[8:]
		cc := int(rtp[0] & 0x0f)
		e, err := Decode(rtp[12+4*cc:])
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, pkt{
			ssrc: binary.BigEndian.Uint32(rtp[8:]),
			ts:   binary.BigEndian.Uint32(rtp[4:]),
			seq:  binary.BigEndian.Uint16(rtp[2:]),
			ev:   e,
		})
	}
	return out
}

// TestSippPcaps feeds sipp's own DTMF captures (first packet of duration 0,
// end packet sent three times with the same sequence number).
func TestSippPcaps(t *testing.T) {
	tests := []struct {
		file string
		want string
	}{
		{"testdata/dtmf_2833_5.pcap", "5"},
		{"testdata/dtmf_2833_pound.pcap", "#"},
		{"testdata/dtmf_2833_star.pcap", "*"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			pkts := readPcapRTP(t, tt.file)
			if len(pkts) != 10 || pkts[0].ev.Duration != 0 || !pkts[9].ev.End {
				t.Fatalf("unexpected capture shape: %+v", pkts)
			}
			if got := feed(NewReceiver(), pkts); got != tt.want {
				t.Fatalf("digits = %q, want %q", got, tt.want)
			}
			// The same capture replayed later (sipp plays the pcap for every
			// key, shifting the timestamp) is a second key press.
			r := NewReceiver()
			again := append([]pkt(nil), pkts...)
			for i := range again {
				again[i].ts += 8000
			}
			if got := feed(r, append(pkts, again...)); got != tt.want+tt.want {
				t.Fatalf("two presses: digits = %q, want %q", got, tt.want+tt.want)
			}
		})
	}
}
