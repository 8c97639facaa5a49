//go:build race

package storage

// The race detector slows phonenumbers and the pure-Go SQLite ten to
// twenty times: under it the large import and the phone cache check run on
// samples; the plain test run does them in full.
const (
	bigRows      = 5_000
	prefixStride = 13
)
