package dialer

import (
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
)

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"120", 120 * time.Second, true},
		{" 18000;duration=3600", 18000 * time.Second, true},
		{"120 (I'm in a meeting)", 120 * time.Second, true},
		{"99999999999999999999", 7 * 24 * time.Hour, true},
		{"", 0, false}, {"abc", 0, false}, {"12x", 0, false}, {"-5", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %s %v", tc.in, got, ok)
		}
	}
}

func TestParseInfoDigit(t *testing.T) {
	t.Parallel()
	cases := []struct {
		ct, body string
		want     rune
		ok       bool
	}{
		{"application/dtmf-relay", "Signal=5\r\nDuration=160\r\n", '5', true},
		{"Application/DTMF-Relay; charset=x", "signal = #\nDuration=100", '#', true},
		{"application/dtmf-relay", "Signal=11\r\n", '#', true},
		{"application/dtmf-relay", "Signal=10\r\n", '*', true},
		{"application/dtmf", "7", '7', true},
		{"application/dtmf", "d", 'D', true},
		{"application/dtmf-relay", "Duration=160", 0, false},
		{"application/dtmf-relay", "Signal=55", 0, false},
		{"application/dtmf", "", 0, false},
		{"text/plain", "5", 0, false},
	}
	for _, tc := range cases {
		got, err := parseInfoDigit(tc.ct, []byte(tc.body))
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseInfoDigit(%q, %q) = %q, %v", tc.ct, tc.body, got, err)
		}
	}
}

func TestParseSipfrag(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"SIP/2.0 200 OK\r\n": 200, "SIP/2.0 100 Trying": 100, "junk": 0, "SIP/2.0 99 x": 0} {
		got, _ := parseSipfragStatus([]byte(in))
		if got != want {
			t.Errorf("%q: %d", in, got)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "18000;duration=3600", "5 (x)", "", "9999999999999999999999", "\t1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseRetryAfter(s)
		if d < 0 || d > 7*24*time.Hour || (!ok && d != 0) {
			t.Fatalf("parseRetryAfter(%q) = %s %v", s, d, ok)
		}
	})
}

func FuzzParseInfo(f *testing.F) {
	f.Add("application/dtmf-relay", []byte("Signal=5\r\nDuration=160"))
	f.Add("application/dtmf", []byte("#"))
	f.Add("message/sipfrag", []byte("SIP/2.0 200 OK"))
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		if r, err := parseInfoDigit(ct, body); err == nil && !isKey(r) {
			t.Fatalf("bad key %q", r)
		}
		if c, ok := parseSipfragStatus(body); ok && (c < 100 || c > 699) {
			t.Fatalf("bad code %d", c)
		}
	})
}

func isKey(r rune) bool {
	return r >= '0' && r <= '9' || r == '*' || r == '#' || r >= 'A' && r <= 'D'
}

func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138", "a\r\nb", "健康", "\x00", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if checkText("f", s, 1<<20) == nil {
			for _, r := range s {
				if r < 0x20 || r == 0x7f || r == '\r' || r == '\n' {
					t.Fatalf("control character accepted in %q", s)
				}
			}
		}
		if checkNumber("n", s) == nil {
			for i := 0; i < len(s); i++ {
				if !(s[i] >= '0' && s[i] <= '9' || s[i] == '*' || s[i] == '#' || s[i] == '+') {
					t.Fatalf("number %q accepted", s)
				}
			}
		}
	})
}

// FuzzScanResponse: the scanner never panics, and what it reads of a
// response agrees with sipgo's full parse of the same bytes.
func FuzzScanResponse(f *testing.F) {
	for _, seed := range []string{
		"SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1;rport=5070\r\nFrom: <sip:1@x>;tag=a\r\nTo: <sip:2@x>;tag=b\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
		"SIP/2.0 200 OK\r\nv: SIP/2.0/UDP h;branch=z9hG4bKx, SIP/2.0/UDP g;branch=z9hG4bKy\r\nCSeq: 2 BYE\r\nl: 0\r\n\r\n",
		"SIP/2.0 183 Session Progress\r\nVia: SIP/2.0/UDP h;rport;branch=b\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: 4\r\n\r\nv=0\n",
		"SIP/2.0 100 Trying\r\nVia: SIP/2.0/UDP h\r\n ;branch=folded\r\nCSeq: 1 INVITE\r\n\r\n",
		"INVITE sip:1@x SIP/2.0\r\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, ok := scanResponse(data)
		if !ok {
			return
		}
		msg, err := sip.ParseMessage(data)
		if err != nil {
			return // the scanner reads less than the parser checks: fine
		}
		res, isRes := msg.(*sip.Response)
		if !isRes {
			t.Fatalf("scanned a request as a response")
		}
		if res.StatusCode != s.code {
			t.Fatalf("code %d, sipgo %d", s.code, res.StatusCode)
		}
		// Surrounding whitespace (RFC 3261 §25.1 LWS) is not part of a value.
		if c := res.CSeq(); c != nil && !strings.EqualFold(strings.TrimSpace(string(c.MethodName)), s.method) {
			t.Fatalf("method %q, sipgo %q", s.method, c.MethodName)
		}
		// Branches are compared where the branch is a token (RFC 3261 §25.1)
		// and the Via has one value: on quotes and commas inside parameters
		// sipgo reads further than the grammar allows.
		if v := res.Via(); v != nil && isToken(s.branch) && !strings.ContainsAny(string(data), ",\"") {
			if b, found := v.Params.Get("branch"); found && strings.TrimSpace(b) != s.branch {
				t.Fatalf("branch %q, sipgo %q", s.branch, b)
			}
		}
	})
}

// isToken reports whether s is a non-empty RFC 3261 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		alnum := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !alnum && !strings.ContainsRune("-.!%*_+`'~", rune(c)) {
			return false
		}
	}
	return true
}
