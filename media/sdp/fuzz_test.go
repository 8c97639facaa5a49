package sdp

import (
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		sampleFreeSWITCH, sampleSipp, sampleSippEvents96, sampleKamailio, sampleAsterisk,
		sampleIPv6, sampleMulti, sampleG729, sampleRejected, sampleHold,
		string(Offer{Addr: "127.0.0.1", Port: 4000}.Marshal()),
		"v=0\nm=audio 1/2 RTP/AVP 0\nc=IN IP6 ::1/3\na=fmtp:0\na=rtpmap:0 x/1/2\n",
		"", "v=0", "v=0\r\nm=\r\n", "v=0\na=:\nc=IN IP4 /\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		if err != nil {
			return
		}
		if len(d.Formats) > MaxFormats || d.AudioPort < 0 || d.AudioPort > 65535 {
			t.Fatalf("out of bounds: %+v", d)
		}
		if d.AudioPort != 0 && d.ConnAddr == "" {
			t.Fatalf("live stream without address: %+v", d)
		}
		if _, err := Negotiate(Offer{Addr: "127.0.0.1", Port: 4000}, d); err != nil {
			return
		}
		body, _, err := Answer(d, "127.0.0.1", 4000, nil)
		if err != nil {
			t.Fatalf("Negotiate accepted what Answer refuses: %v\n%q", err, b)
		}
		if _, err := Parse(body); err != nil {
			t.Fatalf("our answer does not parse: %v\n%s", err, body)
		}
	})
}
