// Package mask hides personal data (phone numbers, names, SIP URIs) before it
// reaches a log line, an error message or a masked export.
package mask

import (
	"strings"
	"unicode/utf8"
)

// Phone masks a phone number as 138****5678: the first three and last four
// digits stay, everything between becomes '*'. Numbers of 7 digits or fewer
// keep only their last two. Non-digit characters such as '+' are kept in place.
func Phone(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	head, tail := 3, 4
	if n <= 7 {
		head, tail = 0, 2
	}
	var b strings.Builder
	b.Grow(len(s))
	seen := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) {
			if c < 0x20 || c == 0x7f {
				c = '?'
			}
			b.WriteByte(c)
			continue
		}
		if seen < head || seen >= n-tail {
			b.WriteByte(c)
		} else {
			b.WriteByte('*')
		}
		seen++
	}
	return b.String()
}

// Name masks a personal name: 张三华 → 张*华, 张三 → 张*, Alice Smith → A****h.
func Name(s string) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0:
		return ""
	case n == 1:
		return "*"
	}
	r := []rune(s)
	if n == 2 {
		return string(r[0]) + "*"
	}
	return string(r[0]) + strings.Repeat("*", n-2) + string(r[n-1])
}

// URI masks the user part of a SIP or tel URI: sip:13812345678@host → sip:138****5678@host.
func URI(s string) string {
	at := strings.IndexByte(s, '@')
	if at < 0 {
		return Text(s)
	}
	start := strings.LastIndexAny(s[:at], ":<") + 1
	return Text(s[:start]) + Phone(s[start:at]) + Text(s[at:])
}

// Text masks every run of seven or more digits inside free text, such as a raw
// SIP message about to be logged, so no phone or ID number survives.
func Text(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for i < len(s) {
		if !isDigit(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i >= 7 {
			b.WriteString(Phone(s[i:j]))
		} else {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
