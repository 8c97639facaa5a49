package dialer

import "fmt"

// Outcome is how one call attempt ended, as the retry policy sees it.
type Outcome uint8

// Outcomes, in the order of the design guide.
const (
	Completed     Outcome = iota // answered (2xx); the script decides partial vs complete
	Busy                         // 486, 600
	NoAnswer                     // rang out: our ring timeout, 408, 487 after our CANCEL
	Rejected                     // 403, 603: the callee or their network refused
	InvalidNumber                // 404, 410, 484, 485, 604: the number does not exist
	Unreachable                  // 480: powered off / out of coverage (Chinese carriers)
	TrunkError                   // our trunk failed us: 5xx, auth, timeouts, 3xx, 4xx we caused
	MediaFailure                 // 415, 488, 580, 606, or no usable media
	Cancelled                    // our context was cancelled before answer
	Interrupted                  // our context was cancelled after answer (worker shutdown, lease lost)
)

var outcomeNames = [...]string{
	Completed:     "completed",
	Busy:          "busy",
	NoAnswer:      "no_answer",
	Rejected:      "rejected",
	InvalidNumber: "invalid_number",
	Unreachable:   "unreachable",
	TrunkError:    "trunk_error",
	MediaFailure:  "media_failure",
	Cancelled:     "cancelled",
	Interrupted:   "interrupted",
}

// String returns the snake_case name stored in the database, e.g. "no_answer".
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("outcome(%d)", uint8(o))
}

// ParseOutcome is the inverse of String.
func ParseOutcome(s string) (Outcome, error) {
	for i, n := range outcomeNames {
		if n == s {
			return Outcome(i), nil
		}
	}
	return 0, fmt.Errorf("dialer: unknown outcome %q", s)
}

// MarshalText implements encoding.TextMarshaler.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Outcome) UnmarshalText(b []byte) error {
	v, err := ParseOutcome(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}

// statusOutcomes is THE table: every final response of an INVITE maps to one
// outcome here. Meanings quoted from RFC 3261 §21 (and RFC 3262/3329/3311 for
// the few later codes). Codes not listed fall back to their class's x00 entry,
// as RFC 3261 §8.1.3.2 requires of a UAC that does not know a response code.
var statusOutcomes = map[int]Outcome{
	200: Completed,     // §21.2.1 OK
	202: Completed,     // RFC 3265 Accepted (some gateways answer INVITE with it)
	300: TrunkError,    // §21.3 Multiple Choices: redirects are the trunk's job; we do not recurse
	301: TrunkError,    // §21.3.2 Moved Permanently
	302: TrunkError,    // §21.3.3 Moved Temporarily
	305: TrunkError,    // §21.3.4 Use Proxy
	380: TrunkError,    // §21.3.5 Alternative Service
	400: TrunkError,    // §21.4.1 Bad Request: our request was malformed for the trunk
	401: TrunkError,    // §21.4.2 Unauthorized: still challenged after one retry with credentials
	402: TrunkError,    // §21.4.3 Payment Required: trunk account out of credit
	403: Rejected,      // §21.4.4 Forbidden: "server understood the request, but is refusing" — call barring, blocked caller
	404: InvalidNumber, // §21.4.5 Not Found: "user does not exist at the domain" — 空号
	405: TrunkError,    // §21.4.6 Method Not Allowed
	406: TrunkError,    // §21.4.7 Not Acceptable
	407: TrunkError,    // §21.4.8 Proxy Authentication Required: still challenged after retry
	408: NoAnswer,      // §21.4.9 Request Timeout: the callee's network gave up waiting (no pick-up)
	410: InvalidNumber, // §21.4.10 Gone: "resource is no longer available" — 销号/停机 number withdrawn
	413: TrunkError,    // §21.4.11 Request Entity Too Large
	414: TrunkError,    // §21.4.12 Request-URI Too Long
	415: MediaFailure,  // §21.4.13 Unsupported Media Type: our SDP body refused
	416: TrunkError,    // §21.4.14 Unsupported URI Scheme
	420: TrunkError,    // §21.4.15 Bad Extension
	421: TrunkError,    // §21.4.16 Extension Required
	423: TrunkError,    // §21.4.17 Interval Too Brief
	// §21.4.18 Temporarily Unavailable: "callee's end system was contacted
	// successfully but the callee is currently unavailable (not logged in,
	// do-not-disturb...)". Chinese mobile networks send 480 for 关机 (powered
	// off) and 不在服务区 (out of coverage), while plain no-answer arrives as
	// 408/487. We therefore map 480 to unreachable, not no_answer.
	480: Unreachable,
	481: TrunkError,    // §21.4.19 Call/Transaction Does Not Exist
	482: TrunkError,    // §21.4.20 Loop Detected
	483: TrunkError,    // §21.4.21 Too Many Hops
	484: InvalidNumber, // §21.4.22 Address Incomplete: number too short
	485: InvalidNumber, // §21.4.23 Ambiguous
	486: Busy,          // §21.4.24 Busy Here
	487: NoAnswer,      // §21.4.25 Request Terminated: answers our CANCEL; Dial reports cancelled when our ctx caused it
	488: MediaFailure,  // §21.4.26 Not Acceptable Here: no common codec
	491: TrunkError,    // §21.4.27 Request Pending
	493: TrunkError,    // §21.4.28 Undecipherable
	494: TrunkError,    // RFC 3329 Security Agreement Required
	500: TrunkError,    // §21.5.1 Server Internal Error
	501: TrunkError,    // §21.5.2 Not Implemented
	502: TrunkError,    // §21.5.3 Bad Gateway
	503: TrunkError,    // §21.5.4 Service Unavailable: trunk overloaded; Retry-After pauses the trunk
	504: TrunkError,    // §21.5.5 Server Time-out: the trunk could not reach the next hop
	505: TrunkError,    // §21.5.6 Version Not Supported
	513: TrunkError,    // §21.5.7 Message Too Large
	580: MediaFailure,  // RFC 3312 Precondition Failure (media preconditions)
	600: Busy,          // §21.6.1 Busy Everywhere
	603: Rejected,      // §21.6.2 Decline: the callee declined the call
	604: InvalidNumber, // §21.6.3 Does Not Exist Anywhere
	606: MediaFailure,  // §21.6.4 Not Acceptable: session description not acceptable
}

// OutcomeForStatus maps a final SIP response code to an outcome using the one
// table above. Unknown codes take their class's x00 entry (RFC 3261 §8.1.3.2);
// codes outside 200..699 are trunk errors.
func OutcomeForStatus(code int) Outcome {
	if o, ok := statusOutcomes[code]; ok {
		return o
	}
	if code >= 200 && code < 700 {
		if o, ok := statusOutcomes[code/100*100]; ok {
			return o
		}
	}
	return TrunkError
}
