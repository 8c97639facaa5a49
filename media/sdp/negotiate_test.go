package sdp

import (
	"errors"
	"net/netip"
	"testing"

	"outreach/media"
)

func TestNegotiateSamples(t *testing.T) {
	ap := netip.MustParseAddrPort
	offer := Offer{Addr: "203.0.113.7", Port: 20000}
	tests := []struct {
		name   string
		answer string
		offer  Offer
		want   Negotiated
	}{
		{"FreeSWITCH", sampleFreeSWITCH, offer,
			Negotiated{media.CodecPCMA, 8, 101, ap("192.168.1.10:24580"), 20, SendRecv}},
		{"sipp default: PCMU, no events", sampleSipp, offer,
			Negotiated{media.CodecPCMU, 0, 0, ap("127.0.0.1:6000"), 20, SendRecv}},
		{"sipp events at 96", sampleSippEvents96, offer,
			Negotiated{media.CodecPCMA, 8, 96, ap("127.0.0.1:6002"), 20, SendRecv}},
		{"Kamailio relay address", sampleKamailio, offer,
			Negotiated{media.CodecPCMA, 8, 101, ap("198.51.100.20:30000"), 20, SendRecv}},
		{"Asterisk: the answer's first codec wins", sampleAsterisk, offer,
			Negotiated{media.CodecPCMU, 0, 101, ap("10.0.0.5:15022"), 20, SendRecv}},
		{"IPv6 recvonly peer: we only send", sampleIPv6, offer,
			Negotiated{media.CodecPCMA, 8, 0, ap("[2001:db8::20]:40000"), 30, SendOnly}},
		{"G.729 skipped, inactive", sampleMulti, offer,
			Negotiated{media.CodecPCMA, 8, 101, ap("192.0.2.1:5004"), 20, Inactive}},
		{"hold with c=0.0.0.0", sampleHold, offer,
			Negotiated{media.CodecPCMA, 8, 0, ap("0.0.0.0:7000"), 20, RecvOnly}},
		{"events not offered", sampleFreeSWITCH, Offer{Addr: "203.0.113.7", Port: 20000, NoEvents: true},
			Negotiated{media.CodecPCMA, 8, 0, ap("192.168.1.10:24580"), 20, SendRecv}},
		{"our ptime when the answer has none", sampleSipp, Offer{Addr: "203.0.113.7", Port: 20000, Ptime: 40},
			Negotiated{media.CodecPCMU, 0, 0, ap("127.0.0.1:6000"), 40, SendRecv}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.answer))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Negotiate(tt.offer, d)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("Negotiate =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestNegotiateErrors(t *testing.T) {
	tests := []struct {
		name   string
		offer  Offer
		answer string
		want   error
	}{
		{"G.729 only", Offer{}, sampleG729, ErrNoCommonCodec},
		{"PCMU answer to a PCMA-only offer", Offer{Codecs: []media.Codec{media.CodecPCMA}}, sampleSipp, ErrNoCommonCodec},
		{"rejected", Offer{}, sampleRejected, ErrRejected},
		{"no audio", Offer{}, "v=0\nc=IN IP4 1.2.3.4\nm=video 1 RTP/AVP 96\n", ErrNoAudio},
		{"SRTP", Offer{}, "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/SAVP 8\n", ErrProto},
		{"host name in c=", Offer{}, "v=0\nc=IN IP4 media.example.com\nm=audio 1 RTP/AVP 8\n", ErrBadAddress},
		{"PCMA at 16 kHz is not G.711", Offer{}, "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 97\na=rtpmap:97 PCMA/16000\n", ErrNoCommonCodec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.answer))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Negotiate(tt.offer, d)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := Negotiate(Offer{}, nil); !errors.Is(err, ErrNoAudio) {
		t.Fatalf("nil answer: %v", err)
	}
}
