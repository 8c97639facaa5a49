package sdp

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseSamples(t *testing.T) {
	pcma := Format{PayloadType: 8, Name: "PCMA", ClockRate: 8000}
	pcmu := Format{PayloadType: 0, Name: "PCMU", ClockRate: 8000}
	ev := func(pt uint8, fmtp string) Format {
		return Format{PayloadType: pt, Name: "telephone-event", ClockRate: 8000, Fmtp: fmtp}
	}
	tests := []struct {
		name string
		sdp  string
		want Description
	}{
		{"FreeSWITCH", sampleFreeSWITCH, Description{1700000000, 1700000001, "192.168.1.10", 24580, "RTP/AVP",
			[]Format{pcma, ev(101, "0-16")}, 20, SendRecv}},
		{"sipp default", sampleSipp, Description{53655765, 2353687637, "127.0.0.1", 6000, "RTP/AVP",
			[]Format{pcmu}, 0, SendRecv}},
		{"sipp events at 96", sampleSippEvents96, Description{53655765, 2353687637, "127.0.0.1", 6002, "RTP/AVP",
			[]Format{pcma, ev(96, "0-15")}, 0, SendRecv}},
		{"Kamailio relay", sampleKamailio, Description{3912345678, 3912345679, "198.51.100.20", 30000, "RTP/AVP",
			[]Format{pcma, pcmu, ev(101, "0-15")}, 20, SendRecv}},
		{"Asterisk", sampleAsterisk, Description{1234, 1236, "10.0.0.5", 15022, "RTP/AVP",
			[]Format{pcmu, pcma, ev(101, "0-16")}, 20, SendRecv}},
		{"IPv6 gateway", sampleIPv6, Description{42, 42, "2001:db8::20", 40000, "RTP/AVP",
			[]Format{pcma, pcmu}, 30, RecvOnly}},
		{"several m= lines", sampleMulti, Description{7, 8, "192.0.2.1", 5004, "RTP/AVP",
			[]Format{{PayloadType: 18, Name: "G729", ClockRate: 8000}, pcma, ev(101, "")}, 0, Inactive}},
		{"rejected", sampleRejected, Description{1, 2, "192.0.2.9", 0, "RTP/AVP", []Format{pcma}, 0, SendRecv}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.sdp))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Fatalf("Parse =\n%+v\nwant\n%+v", *got, tt.want)
			}
		})
	}
}

func TestParseDetails(t *testing.T) {
	tests := []struct {
		name  string
		sdp   string
		check func(d *Description) string
	}{
		{"media direction overrides session", "v=0\nc=IN IP4 1.2.3.4\na=sendonly\nm=audio 1 RTP/AVP 0\na=recvonly\n",
			func(d *Description) string { return expect(d.Direction, RecvOnly) }},
		{"session direction applies", "v=0\nc=IN IP4 1.2.3.4\na=sendonly\nm=audio 1 RTP/AVP 0\n",
			func(d *Description) string { return expect(d.Direction, SendOnly) }},
		{"multicast TTL stripped", "v=0\nc=IN IP4 224.2.1.1/127/3\nm=audio 1/2 RTP/AVP 0\n",
			func(d *Description) string { return expect(d.ConnAddr, "224.2.1.1") + expect(d.AudioPort, 1) }},
		{"dynamic codec mapping", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 110\na=rtpmap:110 pcma/8000/1\n",
			func(d *Description) string {
				return expect(d.Formats[0], Format{PayloadType: 110, Name: "pcma", ClockRate: 8000})
			}},
		{"dynamic type without rtpmap", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 97\n",
			func(d *Description) string { return expect(d.Formats[0], Format{PayloadType: 97}) }},
		{"rtpmap of unlisted type ignored", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 0\na=rtpmap:8 PCMA/8000\n",
			func(d *Description) string { return expect(len(d.Formats), 1) }},
		{"repeated payload type kept once", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 0 0 8\n",
			func(d *Description) string { return expect(len(d.Formats), 2) }},
		{"fmtp separated by a tab", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 101\na=rtpmap:101 telephone-event/8000\na=fmtp:101\t0-15\n",
			func(d *Description) string { return expect(d.Formats[0].Fmtp, "0-15") }},
		{"upper-case names", "v=0\nc=in ip4 1.2.3.4\nm=AUDIO 1 RTP/AVP 101\na=rtpmap:101 TELEPHONE-EVENT/8000\na=SENDONLY\n",
			func(d *Description) string {
				f, ok := d.EventFormat()
				return expect(ok, true) + expect(f.PayloadType, uint8(101)) + expect(d.Direction, SendOnly)
			}},
		{"decimal ptime rounded", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 0\na=ptime:20.0\n",
			func(d *Description) string { return expect(d.Ptime, 20) }},
		{"bad ptime ignored", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 0\na=ptime:abc\n",
			func(d *Description) string { return expect(d.Ptime, 0) }},
		{"no audio stream", "v=0\nc=IN IP4 1.2.3.4\nm=video 1 RTP/AVP 96\n",
			func(d *Description) string { return expect(d.AudioPort, 0) + expect(len(d.Formats), 0) }},
		{"blank lines and trailing spaces", "v=0\r\n\r\nc=IN IP4 1.2.3.4 \r\nm=audio 9 RTP/AVP 8 \r\n\r\n",
			func(d *Description) string { return expect(d.AudioPort, 9) + expect(d.ConnAddr, "1.2.3.4") }},
		{"huge session id wraps", "v=0\no=- 123456789012345678901234 1 IN IP4 1.2.3.4\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 0\n",
			func(d *Description) string { return expect(d.SessionVersion, uint64(1)) }},
		{"rejected stream needs no c=", "v=0\nm=audio 0 RTP/AVP 0\n",
			func(d *Description) string { return expect(d.AudioPort, 0) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.sdp))
			if err != nil {
				t.Fatal(err)
			}
			if msg := tt.check(d); msg != "" {
				t.Fatal(msg)
			}
		})
	}
}

func expect[T comparable](got, want T) string {
	if got != want {
		return fmt.Sprintf("got %+v, want %+v; ", got, want)
	}
	return ""
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		sdp  string
		is   error
		text string
	}{
		{"empty", "", ErrSyntax, "line 1: missing v=0"},
		{"not SDP", "hello\r\n", ErrSyntax, "line 1"},
		{"v= not first", "o=- 1 1 IN IP4 1.2.3.4\nv=0\n", ErrSyntax, "line 1: first line must be v=0"},
		{"version 1", "v=1\n", ErrSyntax, "line 1"},
		{"two v=", "v=0\nv=0\n", ErrSyntax, "line 2"},
		{"short o=", "v=0\no=- 1 1 IN IP4\n", ErrSyntax, "line 2: o= needs 6 fields"},
		{"text session id", "v=0\no=- abc 1 IN IP4 1.2.3.4\n", ErrSyntax, "line 2"},
		{"c= address type", "v=0\nc=IN IP5 1.2.3.4\n", ErrSyntax, "line 2: c= address type"},
		{"c= network type", "v=0\nc=ATM NSAP 1\n", ErrSyntax, "line 2: c= network type"},
		{"c= fields", "v=0\nc=IN IP4\n", ErrSyntax, "line 2"},
		{"c= empty address", "v=0\nc=IN IP4 /127\n", ErrSyntax, "line 2"},
		{"m= port", "v=0\nc=IN IP4 1.2.3.4\nm=audio 70000 RTP/AVP 0\n", ErrSyntax, "line 3: m= port"},
		{"m= port text", "v=0\nc=IN IP4 1.2.3.4\nm=audio x RTP/AVP 0\n", ErrSyntax, "line 3"},
		{"m= short", "v=0\nm=audio 5000\n", ErrSyntax, "line 2"},
		{"m= payload type 128", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 0 128\n", ErrSyntax, "line 3: m= payload type"},
		{"rtpmap without rate", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 8\na=rtpmap:8 PCMA\n", ErrSyntax, "line 4: rtpmap"},
		{"rtpmap zero rate", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 8\na=rtpmap:8 PCMA/0\n", ErrSyntax, "line 4"},
		{"rtpmap bad type", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 8\na=rtpmap:x PCMA/8000\n", ErrSyntax, "line 4"},
		{"fmtp bad type", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 8\na=fmtp:300 0-15\n", ErrSyntax, "line 4"},
		{"no type=", "v=0\nc=IN IP4 1.2.3.4\nm audio\n", ErrSyntax, "line 3: expected"},
		{"no c= for audio", "v=0\nm=audio 1 RTP/AVP 0\n", ErrNoConnection, "m= line 2"},
		{"too large", "v=0\n" + strings.Repeat("a=x\n", MaxSize/4), ErrTooLarge, "bytes"},
		{"too many formats", "v=0\nm=audio 1 RTP/AVP" + strings.Repeat(" 0", MaxFormats+1) + "\n", ErrTooLarge, "line 2"},
		{"too many m= lines", "v=0\n" + strings.Repeat("m=video 0 RTP/AVP 96\n", MaxMedia+1), ErrTooLarge, "line 18"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.sdp))
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.text) || !strings.HasPrefix(err.Error(), "parse sdp") {
				t.Errorf("err = %q, want it to start with \"parse sdp\" and contain %q", err, tt.text)
			}
		})
	}
}

func TestSyntaxErrorFields(t *testing.T) {
	_, err := Parse([]byte("v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 1 RTP/AVP 999\r\n"))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 3 || se.Text != "m=audio 1 RTP/AVP 999" {
		t.Fatalf("err = %#v", err)
	}
}

func TestDirectionString(t *testing.T) {
	for d, want := range map[Direction]string{SendRecv: "sendrecv", SendOnly: "sendonly", RecvOnly: "recvonly", Inactive: "inactive", 9: "Direction(9)"} {
		if d.String() != want {
			t.Errorf("%d.String() = %q, want %q", d, d.String(), want)
		}
		if got, ok := parseDirection(want); ok && got != d {
			t.Errorf("parseDirection(%q) = %v", want, got)
		}
	}
	for _, d := range []Direction{SendRecv, SendOnly, RecvOnly, Inactive} {
		if d.Reverse().Reverse() != d || d.Reverse().CanSend() != d.CanReceive() {
			t.Errorf("Reverse(%v) = %v", d, d.Reverse())
		}
	}
}

func BenchmarkParse(b *testing.B) {
	body := []byte(sampleKamailio)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(body); err != nil {
			b.Fatal(err)
		}
	}
}
