package followup

import (
	"net/http"
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary headers and bodies to the receiver-side check:
// it must never panic, and a body signed with Sign at now always verifies.
func FuzzVerify(f *testing.F) {
	f.Add("1800000000", "v1=00", []byte(`{}`))
	f.Add("", "", []byte(nil))
	f.Add("-1", "v1=zz,v1=", []byte("x"))
	f.Add("99999999999999999999", "v0=ab, v1=ab", []byte(`{"id":"evt"}`))
	f.Add("1800000000", Sign(testSecret, 1800000000, []byte("hi")), []byte("hi"))
	now := time.Unix(1_800_000_000, 0)
	f.Fuzz(func(t *testing.T, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set(HeaderTimestamp, ts)
		h.Set(HeaderSignature, sig)
		_ = Verify(testSecret, h, body, now, time.Minute)
		h.Set(HeaderTimestamp, "1800000000")
		h.Set(HeaderSignature, sig+","+Sign(testSecret, now.Unix(), body))
		if err := Verify(testSecret, h, body, now, time.Minute); err != nil {
			t.Fatalf("own signature refused: %v", err)
		}
	})
}
