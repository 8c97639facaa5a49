package followup

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Webhook headers. The signature is HMAC-SHA256 with the shared secret over
// timestamp "." body, hex encoded, as "v1=<hex>"; several comma-separated
// signatures may be sent while a secret is rotated.
const (
	HeaderTimestamp = "X-Outreach-Timestamp" // Unix seconds
	HeaderSignature = "X-Outreach-Signature"
	HeaderEventID   = "X-Outreach-Event-Id"
	HeaderEventType = "X-Outreach-Event-Type"
)

// Verification errors (wrapped by Verify).
var (
	ErrNoSignature  = errors.New("webhook: signature or timestamp header missing")
	ErrBadTimestamp = errors.New("webhook: malformed timestamp")
	ErrStale        = errors.New("webhook: timestamp outside tolerance")
	ErrBadSignature = errors.New("webhook: signature mismatch")
)

// Sign returns the signature header value for body sent at ts (Unix seconds).
func Sign(secret []byte, ts int64, body []byte) string {
	return "v1=" + hex.EncodeToString(mac(secret, strconv.FormatInt(ts, 10), body))
}

func mac(secret []byte, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks a received webhook: the timestamp is within tolerance of now
// (both ways; tolerance <= 0 means 5 minutes) and one of the v1 signatures
// matches (compared in constant time). Receivers should then dedupe by the
// event id header: a retried event carries the same id.
func Verify(secret []byte, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	tsText, sigText := h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if tsText == "" || sigText == "" {
		return ErrNoSignature
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil || ts < 0 || len(tsText) > 12 {
		return fmt.Errorf("%w: %q", ErrBadTimestamp, tsText)
	}
	if tolerance <= 0 {
		tolerance = 5 * time.Minute
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: %s off", ErrStale, d.Truncate(time.Second))
	}
	want := mac(secret, tsText, body)
	for part := range strings.SplitSeq(sigText, ",") {
		v, ok := strings.CutPrefix(strings.TrimSpace(part), "v1=")
		if !ok {
			continue
		}
		got, err := hex.DecodeString(v)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrBadSignature
}
