package storage

import (
	"strings"
	"sync"

	"outreach/campaigns"
)

// phoneNormalizer wraps campaigns.NormalizePhone (about 20 µs a number) with
// a cache for the common case, an 11-digit Chinese mobile number: its
// validity depends only on its first digits (the longest range prefix in the
// numbering plan is 5 digits, e.g. 17400–17405), so the verdict of the first
// number seen with a 5-digit prefix is reused. TestPhoneCacheAgrees checks
// this against NormalizePhone on sampled numbers of every prefix.
type phoneNormalizer struct {
	verdicts sync.Map // 5-digit prefix → error (nil = valid)
}

const mobilePrefix = 5

func (p *phoneNormalizer) normalize(raw string) (string, error) {
	digits, ok := plainMobile(raw)
	if !ok {
		return campaigns.NormalizePhone(raw)
	}
	key := digits[:mobilePrefix]
	if v, hit := p.verdicts.Load(key); hit {
		if v != nil {
			return "", v.(error)
		}
		return "+86" + digits, nil
	}
	e164, err := campaigns.NormalizePhone(digits)
	switch {
	case err == nil && e164 == "+86"+digits:
		p.verdicts.Store(key, nil)
	case err != nil:
		p.verdicts.Store(key, err)
	}
	return e164, err
}

// plainMobile returns the 11 national digits of a number written as a bare
// Chinese mobile (13812345678, 138 1234 5678, 138-1234-5678, +86/0086/86
// prefixed).
func plainMobile(raw string) (string, bool) {
	var b [20]byte
	n := 0
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(b) {
				return "", false
			}
			b[n] = c
			n++
		case c == ' ' || c == '-' || (c == '+' && n == 0 && i == 0):
		default:
			return "", false
		}
	}
	d := string(b[:n])
	switch {
	case n == 13 && strings.HasPrefix(d, "86"):
		d = d[2:]
	case n == 15 && strings.HasPrefix(d, "0086"):
		d = d[4:]
	case n == 13 && raw[0] == '+':
		return "", false
	}
	if len(d) != 11 || d[0] != '1' || raw[0] == '+' && n == 11 {
		return "", false
	}
	return d, true
}
