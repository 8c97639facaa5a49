package e2e

import (
	"net"
	"strings"
	"testing"
	"time"
)

// TestKamailioChallenges checks the shipped Kamailio configuration demands
// digest auth: an unauthenticated INVITE gets 407 (proxy mode) or 401 (www).
func TestKamailioChallenges(t *testing.T) {
	for mode, want := range map[string]string{"proxy": "SIP/2.0 407", "www": "SIP/2.0 401"} {
		t.Run(mode, func(t *testing.T) {
			k := StartKamailio(t, KamailioConfig{AuthMode: mode, Gateways: []string{"127.0.0.1:9"}})
			c, err := net.Dial("udp", k.Addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			l := c.LocalAddr().String()
			inv := "INVITE sip:13812345678@" + k.Addr + " SIP/2.0\r\nVia: SIP/2.0/UDP " + l + ";branch=z9hG4bK-t1\r\n" +
				"Max-Forwards: 70\r\nFrom: <sip:robot@" + l + ">;tag=a\r\nTo: <sip:13812345678@" + k.Addr + ">\r\n" +
				"Call-ID: t1\r\nCSeq: 1 INVITE\r\nContact: <sip:robot@" + l + ">\r\nContent-Length: 0\r\n\r\n"
			c.Write([]byte(inv))
			c.SetReadDeadline(time.Now().Add(3 * time.Second))
			buf := make([]byte, 4096)
			for {
				n, err := c.Read(buf)
				if err != nil {
					t.Fatalf("no challenge: %v", err)
				}
				if strings.HasPrefix(string(buf[:n]), "SIP/2.0 100") {
					continue
				}
				if !strings.HasPrefix(string(buf[:n]), want) {
					t.Fatalf("got %q, want %s", strings.SplitN(string(buf[:n]), "\r\n", 2)[0], want)
				}
				return
			}
		})
	}
}
