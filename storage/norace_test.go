//go:build !race

package storage

const (
	bigRows      = 100_000 // rows of the large import test file
	prefixStride = 1       // every 5-digit prefix in TestPhoneCacheAgrees
)
