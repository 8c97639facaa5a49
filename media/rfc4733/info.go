package rfc4733

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxInfoBody bounds the SIP INFO bodies the parsers accept.
const MaxInfoBody = 4096

// maxRelayDuration bounds the Duration of application/dtmf-relay.
const maxRelayDuration = 60 * time.Second

// Errors of the SIP INFO body parsers.
var (
	ErrBodyTooLarge = errors.New("body too large")
	ErrNoSignal     = errors.New("no signal")
	ErrBadSignal    = errors.New("signal is not a DTMF key")
)

// ParseDTMFRelay parses an application/dtmf-relay SIP INFO body (the Cisco
// format most trunks send):
//
//	Signal=5
//	Duration=160
//
// Keys are case-insensitive, lines end in CRLF or LF, spaces around keys and
// values are ignored, and unknown lines are skipped. Signal is a key
// (0-9 * # A-D, letters in either case) or an event code 0-15 as some
// gateways send ("Signal=11" is '#', "Signal=10" is '*', RFC 4733 §3.2).
// Duration is in milliseconds and is optional (d = 0 when absent).
func ParseDTMFRelay(body []byte) (digit rune, d time.Duration, err error) {
	if len(body) > MaxInfoBody {
		return 0, 0, fmt.Errorf("parse dtmf-relay (%d bytes): %w", len(body), ErrBodyTooLarge)
	}
	haveSignal := false
	for n, line := range strings.Split(string(body), "\n") {
		key, val, ok := cutField(line)
		if !ok {
			continue
		}
		switch strings.ToLower(key) {
		case "signal":
			got, err := parseSignal(val)
			if err != nil {
				return 0, 0, fmt.Errorf("parse dtmf-relay line %d: %w", n+1, err)
			}
			if haveSignal && got != digit {
				return 0, 0, fmt.Errorf("parse dtmf-relay line %d: second signal %q after %q", n+1, got, digit)
			}
			digit, haveSignal = got, true
		case "duration":
			ms, err := strconv.Atoi(val)
			if err != nil || ms < 0 || time.Duration(ms)*time.Millisecond > maxRelayDuration {
				return 0, 0, fmt.Errorf("parse dtmf-relay line %d: bad duration %q", n+1, clip(val))
			}
			d = time.Duration(ms) * time.Millisecond
		}
	}
	if !haveSignal {
		return 0, 0, fmt.Errorf("parse dtmf-relay: %w", ErrNoSignal)
	}
	return digit, d, nil
}

// ParseDTMFInfo parses an application/dtmf SIP INFO body: the key alone,
// e.g. "5" (surrounding white space ignored). An event code 10-15 is accepted
// as for dtmf-relay, and a body in the dtmf-relay format (some devices label
// it application/dtmf) is parsed as such.
func ParseDTMFInfo(body []byte) (rune, error) {
	if len(body) > MaxInfoBody {
		return 0, fmt.Errorf("parse dtmf (%d bytes): %w", len(body), ErrBodyTooLarge)
	}
	s := strings.TrimSpace(string(body))
	if strings.ContainsRune(s, '=') {
		digit, _, err := ParseDTMFRelay(body)
		return digit, err
	}
	if s == "" {
		return 0, fmt.Errorf("parse dtmf: %w", ErrNoSignal)
	}
	digit, err := parseSignal(s)
	if err != nil {
		return 0, fmt.Errorf("parse dtmf: %w", err)
	}
	return digit, nil
}

// cutField splits "Key=Value" (or "Key: Value"), trimming spaces and a
// trailing CR. Lines without a separator are not fields.
func cutField(line string) (key, val string, ok bool) {
	line = strings.TrimSpace(line)
	i := strings.IndexAny(line, "=:")
	if i <= 0 {
		return "", "", false
	}
	return strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:]), true
}

// parseSignal maps a Signal value to its key: a single key character, or a
// decimal event code 0-15.
func parseSignal(val string) (rune, error) {
	if len(val) == 1 {
		if code, ok := Code(rune(val[0])); ok {
			d, _ := Digit(code)
			return d, nil
		}
	}
	if n, err := strconv.Atoi(val); err == nil && n >= 0 && n <= 15 {
		d, _ := Digit(uint8(n))
		return d, nil
	}
	return 0, fmt.Errorf("%w: %q", ErrBadSignal, clip(val))
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	const limit = 16
	if len(s) > limit {
		return s[:limit] + "…"
	}
	return s
}
