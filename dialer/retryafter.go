package dialer

import (
	"strings"
	"time"
)

// maxRetryAfterSeconds bounds a parsed value before any cap is applied, so a
// hostile header cannot overflow a Duration.
const maxRetryAfterSeconds = 7 * 24 * 3600

// parseRetryAfter reads the delta-seconds of a Retry-After header value
// (RFC 3261 §20.33: `Retry-After: 18000;duration=3600` or
// `Retry-After: 120 (I'm in a meeting)`). It returns false when the value does
// not start with delta-seconds.
func parseRetryAfter(v string) (time.Duration, bool) {
	v = strings.TrimLeft(v, " \t")
	n, i := 0, 0
	for ; i < len(v) && v[i] >= '0' && v[i] <= '9'; i++ {
		if n <= maxRetryAfterSeconds {
			n = n*10 + int(v[i]-'0')
		}
	}
	if i == 0 {
		return 0, false
	}
	if i < len(v) {
		switch v[i] {
		case ' ', '\t', ';', '(':
		default:
			return 0, false
		}
	}
	n = min(n, maxRetryAfterSeconds)
	return time.Duration(n) * time.Second, true
}
