package sdp

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"outreach/media"
)

func TestOfferMarshalDefault(t *testing.T) {
	got := string(Offer{Addr: "203.0.113.7", Port: 20000, SessionID: 555, SessionVersion: 1}.Marshal())
	want := crlf(`v=0
o=outreach 555 1 IN IP4 203.0.113.7
s=outreach
c=IN IP4 203.0.113.7
t=0 0
m=audio 20000 RTP/AVP 8 0 101
a=rtpmap:8 PCMA/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=ptime:20
a=sendrecv
`)
	if got != want {
		t.Fatalf("Marshal =\n%s\nwant\n%s", got, want)
	}
}

func TestOfferMarshalVariants(t *testing.T) {
	tests := []struct {
		name  string
		offer Offer
		want  Description
	}{
		{"IPv6, µ-law only, events at 96, ptime 30",
			Offer{Addr: "2001:db8::7", Port: 4000, Codecs: []media.Codec{media.CodecPCMU}, EventPT: 96, Ptime: 30, SessionID: 9, SessionVersion: 10},
			Description{9, 10, "2001:db8::7", 4000, "RTP/AVP", []Format{
				{0, "PCMU", 8000, ""}, {96, "telephone-event", 8000, "0-16"}}, 30, SendRecv}},
		{"no events, duplicate and unknown codecs dropped",
			Offer{Addr: "10.1.2.3", Port: 4002, Codecs: []media.Codec{media.CodecPCMU, 7, media.CodecPCMU, media.CodecPCMA}, NoEvents: true},
			Description{0, 0, "10.1.2.3", 4002, "RTP/AVP", []Format{
				{0, "PCMU", 8000, ""}, {8, "PCMA", 8000, ""}}, 20, SendRecv}},
		{"out-of-range values fall back to defaults",
			Offer{Addr: "10.1.2.3", Port: 4004, EventPT: 8, Ptime: 5000},
			Description{0, 0, "10.1.2.3", 4004, "RTP/AVP", []Format{
				{8, "PCMA", 8000, ""}, {0, "PCMU", 8000, ""}, {101, "telephone-event", 8000, "0-16"}}, 20, SendRecv}},
		{"IPv4-mapped address stays IP4",
			Offer{Addr: "::ffff:10.0.0.1", Port: 4006, NoEvents: true, Codecs: []media.Codec{media.CodecPCMA}},
			Description{0, 0, "::ffff:10.0.0.1", 4006, "RTP/AVP", []Format{{8, "PCMA", 8000, ""}}, 20, SendRecv}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse(tt.offer.Marshal())
			if err != nil {
				t.Fatalf("Parse(Marshal): %v\n%s", err, tt.offer.Marshal())
			}
			if !reflect.DeepEqual(*d, tt.want) {
				t.Fatalf("Parse(Marshal) =\n%+v\nwant\n%+v", *d, tt.want)
			}
		})
	}
}

func TestOfferMarshalSanitizesAddress(t *testing.T) {
	d, err := Parse(Offer{Addr: "1.2.3.4\r\na=inactive", Port: 1}.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if d.Direction != SendRecv || d.ConnAddr != "1.2.3.4ainactive" {
		t.Fatalf("injected: %+v", d)
	}
	d, err = Parse(Offer{Port: 1}.Marshal())
	if err != nil || d.ConnAddr != "0.0.0.0" {
		t.Fatalf("empty address: %+v, %v", d, err)
	}
}

func TestOfferValidate(t *testing.T) {
	if err := (Offer{Addr: "192.0.2.1", Port: 10000}).Validate(); err != nil {
		t.Fatalf("valid offer: %v", err)
	}
	err := Offer{Addr: "pbx.example.com", Port: 0, EventPT: 50, Codecs: []media.Codec{9}, Ptime: -1}.Validate()
	if !errors.Is(err, ErrBadAddress) {
		t.Fatalf("err = %v, want ErrBadAddress", err)
	}
	for _, text := range []string{"port 0", "payload type 50", "unknown codec", "ptime -1"} {
		if !strings.Contains(err.Error(), text) {
			t.Errorf("err = %q, missing %q", err, text)
		}
	}
}
