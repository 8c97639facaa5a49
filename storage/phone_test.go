package storage

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"outreach/campaigns"
)

// TestPhoneCacheAgrees checks the cached fast path against
// campaigns.NormalizePhone: for every 5-digit prefix 1xxxx, numbers with
// random suffixes must get the verdict and E.164 form NormalizePhone gives.
func TestPhoneCacheAgrees(t *testing.T) {
	var p phoneNormalizer
	rng := rand.New(rand.NewPCG(1, 2))
	for prefix := 10000; prefix < 20000; prefix += prefixStride {
		for range 3 {
			n := fmt.Sprintf("%d%06d", prefix, rng.IntN(1000000))
			got, gerr := p.normalize(n)
			want, werr := campaigns.NormalizePhone(n)
			if got != want || (gerr == nil) != (werr == nil) {
				t.Fatalf("%s: cached %q %v, NormalizePhone %q %v", n, got, gerr, want, werr)
			}
		}
	}
}

func TestPlainMobile(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"13812345678", "13812345678", true},
		{"138 1234 5678", "13812345678", true},
		{"138-1234-5678", "13812345678", true},
		{"+8613812345678", "13812345678", true},
		{"8613812345678", "13812345678", true},
		{"008613812345678", "13812345678", true},
		{"+13812345678", "", false},
		{"021-12345678", "", false},
		{"1381234567", "", false},
		{"１３８", "", false},
		{"138(1234)5678", "", false},
	}
	for _, c := range cases {
		got, ok := plainMobile(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("plainMobile(%q) = %q %v, want %q %v", c.in, got, ok, c.want, c.ok)
		}
	}
	var p phoneNormalizer
	for _, in := range []string{"021-12345678", "+86 21 1234 5678", "110", "95588", "+1 415 555 0100", "abc"} {
		got, gerr := p.normalize(in)
		want, werr := campaigns.NormalizePhone(in)
		if got != want || (gerr == nil) != (werr == nil) {
			t.Errorf("%s: %q %v vs %q %v", in, got, gerr, want, werr)
		}
	}
}
