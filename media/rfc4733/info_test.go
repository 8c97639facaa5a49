package rfc4733

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseDTMFRelay(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name  string
		body  string
		digit rune
		d     time.Duration
	}{
		{"cisco CRLF", "Signal=5\r\nDuration=160\r\n", '5', 160 * ms},
		{"LF", "Signal=5\nDuration=160\n", '5', 160 * ms},
		{"no trailing newline", "Signal=1\r\nDuration=250", '1', 250 * ms},
		{"lower-case keys", "signal=9\r\nduration=100\r\n", '9', 100 * ms},
		{"upper-case keys", "SIGNAL=0\r\nDURATION=80\r\n", '0', 80 * ms},
		{"star", "Signal=*\r\nDuration=160\r\n", '*', 160 * ms},
		{"pound", "Signal=#\r\nDuration=160\r\n", '#', 160 * ms},
		{"pound as code 11 with space", "Signal= 11\r\nDuration= 160\r\n", '#', 160 * ms},
		{"star as code 10", "Signal=10\r\nDuration=160\r\n", '*', 160 * ms},
		{"letter lower case", "Signal=a\r\n", 'A', 0},
		{"code 15", "Signal=15\r\n", 'D', 0},
		{"spaces around =", "Signal = 7 \r\n Duration = 200 \r\n", '7', 200 * ms},
		{"colon separator", "Signal: 3\r\nDuration: 120\r\n", '3', 120 * ms},
		{"duration first, extra lines", "Duration=90\r\nfoo\r\nVolume=10\r\nSignal=4\r\n\r\n", '4', 90 * ms},
		{"repeated same signal", "Signal=2\nSignal=2\n", '2', 0},
		{"no duration", "Signal=8", '8', 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			digit, d, err := ParseDTMFRelay([]byte(tt.body))
			if err != nil || digit != tt.digit || d != tt.d {
				t.Fatalf("ParseDTMFRelay(%q) = %q, %v, %v; want %q, %v", tt.body, digit, d, err, tt.digit, tt.d)
			}
		})
	}
}

func TestParseDTMFRelayErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want error  // nil: any error
		text string // substring of the message
	}{
		{"empty", "", ErrNoSignal, "no signal"},
		{"no signal", "Duration=160\r\n", ErrNoSignal, "no signal"},
		{"empty signal", "Signal=\r\n", ErrBadSignal, "line 1"},
		{"two keys", "Signal=55\r\n", ErrBadSignal, `"55"`},
		{"code 16", "Signal=16\r\n", ErrBadSignal, "16"},
		{"negative code", "Signal=-1\r\n", ErrBadSignal, ""},
		{"letter E", "Signal=E\r\n", ErrBadSignal, ""},
		{"conflicting signals", "Signal=1\r\nSignal=2\r\n", nil, "second signal"},
		{"bad duration", "Signal=1\r\nDuration=abc\r\n", nil, "line 2: bad duration"},
		{"negative duration", "Signal=1\r\nDuration=-5\r\n", nil, "bad duration"},
		{"huge duration", "Signal=1\r\nDuration=99999999999999\r\n", nil, "bad duration"},
		{"too large", "Signal=1\r\n" + strings.Repeat("x", MaxInfoBody), ErrBodyTooLarge, ""},
		{"long value clipped", "Signal=" + strings.Repeat("9", 100), ErrBadSignal, "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseDTMFRelay([]byte(tt.body))
			if err == nil {
				t.Fatalf("ParseDTMFRelay(%q) succeeded", tt.body)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) || !strings.HasPrefix(err.Error(), "parse dtmf-relay") {
				t.Errorf("err = %q, want it to start with %q and contain %q", err, "parse dtmf-relay", tt.text)
			}
			if len(err.Error()) > 120 {
				t.Errorf("error message too long: %d bytes", len(err.Error()))
			}
		})
	}
}

func TestParseDTMFInfo(t *testing.T) {
	tests := []struct {
		body  string
		digit rune
		err   error
	}{
		{"5", '5', nil},
		{"5\r\n", '5', nil},
		{" # ", '#', nil},
		{"*", '*', nil},
		{"d", 'D', nil},
		{"11", '#', nil},
		{"Signal=6\r\nDuration=100\r\n", '6', nil},
		{"", 0, ErrNoSignal},
		{"\r\n", 0, ErrNoSignal},
		{"x", 0, ErrBadSignal},
		{"12345", 0, ErrBadSignal},
		{strings.Repeat("1", MaxInfoBody+1), 0, ErrBodyTooLarge},
	}
	for _, tt := range tests {
		digit, err := ParseDTMFInfo([]byte(tt.body))
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseDTMFInfo(%.20q) err = %v, want %v", tt.body, err, tt.err)
			}
			continue
		}
		if err != nil || digit != tt.digit {
			t.Errorf("ParseDTMFInfo(%q) = %q, %v; want %q", tt.body, digit, err, tt.digit)
		}
	}
}
