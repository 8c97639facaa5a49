package dialer

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on user-supplied values. Anything longer is refused before sending.
const (
	maxNumberLen      = 32
	maxHeaderValueLen = 256
	maxHeaderCount    = 16
	maxDisplayNameLen = 64
)

// checkText refuses CR, LF and every other control character (and invalid
// UTF-8) in a value that will be written into a SIP header: a CRLF would let
// the value inject headers or a body (RFC 3261 §7.3.1 header folding).
func checkText(field, v string, maxLen int) error {
	if len(v) > maxLen {
		return fmt.Errorf("%s: longer than %d bytes", field, maxLen)
	}
	if !utf8.ValidString(v) {
		return fmt.Errorf("%s: invalid UTF-8", field)
	}
	for _, r := range v {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return fmt.Errorf("%s: control character %U refused", field, r)
		}
	}
	return nil
}

// checkNumber accepts a dialable number: an optional leading '+', then digits,
// '*' or '#'. It must not contain anything that could end the Request-URI's
// user part (RFC 3261 §25.1 user = unreserved / escaped / user-unreserved).
func checkNumber(field, n string) error {
	if err := checkText(field, n, maxNumberLen); err != nil {
		return err
	}
	if n == "" {
		return fmt.Errorf("%s: empty", field)
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		switch {
		case c >= '0' && c <= '9', c == '*', c == '#':
		case c == '+' && i == 0:
		default:
			return fmt.Errorf("%s: character %q not allowed in a phone number", field, c)
		}
	}
	return nil
}

// checkCallerID accepts a caller ID user part: digits and '+', or a plain
// SIP token (letters, digits, - . _) for trunks that use an account name.
func checkCallerID(field, v string) error {
	if err := checkText(field, v, maxNumberLen); err != nil {
		return err
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		ok := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
			c == '+' || c == '-' || c == '.' || c == '_'
		if !ok {
			return fmt.Errorf("%s: character %q not allowed", field, c)
		}
	}
	return nil
}

// checkHeaders accepts only X- extension headers with token names and
// control-free values; standard headers are the dialer's alone.
func checkHeaders(h map[string]string) error {
	if len(h) > maxHeaderCount {
		return fmt.Errorf("headers: more than %d", maxHeaderCount)
	}
	for k, v := range h {
		if len(k) < 3 || !strings.EqualFold(k[:2], "x-") {
			return fmt.Errorf("header %q: only X- headers may be set", k)
		}
		if len(k) > 64 {
			return fmt.Errorf("header %q: name too long", k)
		}
		for i := 0; i < len(k); i++ {
			if !isTokenChar(k[i]) {
				return fmt.Errorf("header name: character %q not allowed", k[i])
			}
		}
		if err := checkText("header "+k, v, maxHeaderValueLen); err != nil {
			return err
		}
	}
	return nil
}

// isTokenChar reports whether c may appear in an RFC 3261 §25.1 token.
func isTokenChar(c byte) bool {
	switch {
	case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		return true
	}
	return strings.IndexByte("-.!%*_+`'~", c) >= 0
}

// quoteDisplayName renders a display name as an RFC 3261 §25.1 quoted-string.
func quoteDisplayName(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}
