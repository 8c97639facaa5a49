package sdp

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"outreach/media"
)

// TestOfferAnswerLoop runs the whole exchange: our offer, the simulator's
// answer to it, and our negotiation of that answer.
func TestOfferAnswerLoop(t *testing.T) {
	tests := []struct {
		name      string
		offer     Offer
		prefer    []media.Codec
		codec     media.Codec
		eventPT   uint8
		simAddr   string
		simRemote string
	}{
		{"defaults", Offer{Addr: "127.0.0.1", Port: 20000}, nil, media.CodecPCMA, 101, "127.0.0.1", "127.0.0.1:20000"},
		{"callee prefers µ-law", Offer{Addr: "127.0.0.1", Port: 20000}, []media.Codec{media.CodecPCMU, media.CodecPCMA}, media.CodecPCMU, 101, "127.0.0.1", "127.0.0.1:20000"},
		{"events at 96, IPv6", Offer{Addr: "::1", Port: 20002, EventPT: 96}, nil, media.CodecPCMA, 96, "::1", "[::1]:20002"},
		{"no events", Offer{Addr: "127.0.0.1", Port: 20004, NoEvents: true, Codecs: []media.Codec{media.CodecPCMU}}, nil, media.CodecPCMU, 0, "127.0.0.1", "127.0.0.1:20004"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			offered, err := Parse(tt.offer.Marshal())
			if err != nil {
				t.Fatal(err)
			}
			body, simSide, err := Answer(offered, tt.simAddr, 30000, tt.prefer)
			if err != nil {
				t.Fatal(err)
			}
			if simSide.Codec != tt.codec || simSide.EventPT != tt.eventPT || simSide.Direction != SendRecv ||
				simSide.Remote != netip.MustParseAddrPort(tt.simRemote) || simSide.Ptime != 20 {
				t.Fatalf("callee side = %+v", simSide)
			}
			answered, err := Parse(body)
			if err != nil {
				t.Fatalf("Parse(answer): %v\n%s", err, body)
			}
			if len(answered.Formats) != 1+min(int(tt.eventPT), 1) {
				t.Fatalf("answer lists %+v, want the codec and telephone-event only", answered.Formats)
			}
			ours, err := Negotiate(tt.offer, answered)
			if err != nil {
				t.Fatal(err)
			}
			if ours.Codec != tt.codec || ours.AudioPT != tt.codec.PayloadType() || ours.EventPT != tt.eventPT ||
				ours.Remote.Port() != 30000 || ours.Remote.Addr() != netip.MustParseAddr(tt.simAddr) || ours.Direction != SendRecv {
				t.Fatalf("dialer side = %+v", ours)
			}
		})
	}
}

func TestAnswerShape(t *testing.T) {
	offer, err := Parse([]byte(sampleKamailio))
	if err != nil {
		t.Fatal(err)
	}
	body, _, err := Answer(offer, "192.0.2.50", 31000, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := string(body)
	for _, line := range []string{
		"v=0\r\n", "c=IN IP4 192.0.2.50\r\n", "m=audio 31000 RTP/AVP 8 101\r\n", "a=rtpmap:8 PCMA/8000\r\n",
		"a=rtpmap:101 telephone-event/8000\r\n", "a=fmtp:101 0-15\r\n", "a=ptime:20\r\n", "a=sendrecv\r\n",
	} {
		if !strings.Contains(got, line) {
			t.Errorf("answer lacks %q:\n%s", line, got)
		}
	}
	again, _, _ := Answer(offer, "192.0.2.50", 31000, nil)
	if string(again) != got {
		t.Error("answers to the same offer differ")
	}
}

func TestAnswerDirectionsAndTypes(t *testing.T) {
	tests := []struct {
		name    string
		offer   string
		dir     Direction
		audioPT uint8
		ptime   int
	}{
		{"sendonly offer gets recvonly", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 8\na=sendonly\n", RecvOnly, 8, 20},
		{"recvonly offer gets sendonly", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 8\na=recvonly\n", SendOnly, 8, 20},
		{"inactive stays inactive", "v=0\nc=IN IP4 1.2.3.4\na=inactive\nm=audio 1 RTP/AVP 8\n", Inactive, 8, 20},
		{"dynamic PCMA type echoed, ptime kept", "v=0\nc=IN IP4 1.2.3.4\nm=audio 1 RTP/AVP 18 110\na=rtpmap:110 PCMA/8000\na=ptime:30\n", SendRecv, 110, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			offer, err := Parse([]byte(tt.offer))
			if err != nil {
				t.Fatal(err)
			}
			body, n, err := Answer(offer, "127.0.0.1", 4000, nil)
			if err != nil {
				t.Fatal(err)
			}
			if n.Direction != tt.dir || n.AudioPT != tt.audioPT || n.Ptime != tt.ptime {
				t.Fatalf("negotiated %+v", n)
			}
			back, err := Parse(body)
			if err != nil || back.Direction != tt.dir || back.Formats[0].PayloadType != tt.audioPT || back.Ptime != tt.ptime {
				t.Fatalf("answer %+v, %v\n%s", back, err, body)
			}
		})
	}
}

func TestAnswerErrors(t *testing.T) {
	parse := func(s string) *Description {
		d, err := Parse([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name   string
		offer  *Description
		addr   string
		port   int
		prefer []media.Codec
		want   error
	}{
		{"nil offer", nil, "127.0.0.1", 4000, nil, ErrNoAudio},
		{"G.729 only", parse(sampleG729), "127.0.0.1", 4000, nil, ErrNoCommonCodec},
		{"PCMU offered, PCMA only supported", parse(sampleSipp), "127.0.0.1", 4000, []media.Codec{media.CodecPCMA}, ErrNoCommonCodec},
		{"rejected", parse(sampleRejected), "127.0.0.1", 4000, nil, ErrRejected},
		{"bad own address", parse(sampleSipp), "localhost", 4000, nil, ErrBadAddress},
		{"host name in offer", parse("v=0\nc=IN IP4 pbx.example.com\nm=audio 1 RTP/AVP 8\n"), "127.0.0.1", 4000, nil, ErrBadAddress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := Answer(tt.offer, tt.addr, tt.port, tt.prefer); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if _, _, err := Answer(parse(sampleSipp), "127.0.0.1", 0, nil); err == nil || !strings.Contains(err.Error(), "port 0") {
		t.Fatalf("port 0: %v", err)
	}
}
