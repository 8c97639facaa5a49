package prompts

import (
	"regexp"
	"strconv"
	"strings"
)

// enNormalizer holds the compiled patterns of NormalizeEnglish.
type enNormalizer struct {
	isoDate, clock, rangeSep, temperature, percent, ordinal, thousands, number *regexp.Regexp
}

func newENNormalizer() *enNormalizer {
	return &enNormalizer{
		isoDate:     regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`),
		clock:       regexp.MustCompile(`\b(\d{1,2}):(\d{2})\b`),
		rangeSep:    regexp.MustCompile(`(\d)\s*[-~–]\s*(\d)`),
		temperature: regexp.MustCompile(`(-)?(\d+(?:\.\d+)?)\s*(℃|°C|°c|°F|°f|°)`),
		percent:     regexp.MustCompile(`(\d+(?:\.\d+)?)\s*%`),
		ordinal:     regexp.MustCompile(`\b(\d+)(?:st|nd|rd|th)\b`),
		thousands:   regexp.MustCompile(`\b\d{1,3}(?:,\d{3})+\b`),
		number:      regexp.MustCompile(`\d+(?:\.\d+)?`),
	}
}

// NormalizeEnglish writes numbers out as words: 36.5 → thirty six point five,
// 2026-11-28 → November twenty eighth twenty twenty six, 09:30 → nine thirty
// a m, 36.5°C → thirty six point five degrees Celsius, 50% → fifty percent,
// 28th → twenty eighth, 13812345678 → one three eight … (digit by digit).
func NormalizeEnglish(s string) string {
	return enNorm.normalize(s)
}

// enNorm is read-only after initialisation (compiled patterns only).
var enNorm = newENNormalizer()

var enMonths = [...]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

func (e *enNormalizer) normalize(s string) string {
	s = halfWidth(s)
	s = e.isoDate.ReplaceAllStringFunc(s, func(m string) string {
		p := e.isoDate.FindStringSubmatch(m)
		mon, _ := strconv.Atoi(p[2])
		day, _ := strconv.Atoi(p[3])
		if mon < 1 || mon > 12 || day < 1 || day > 31 {
			return m
		}
		return enMonths[mon-1] + " " + enOrdinal(day) + " " + enYear(p[1])
	})
	s = e.clock.ReplaceAllStringFunc(s, e.clockWords)
	s = e.rangeSep.ReplaceAllString(s, "${1} to ${2}")
	s = e.temperature.ReplaceAllStringFunc(s, func(m string) string {
		p := e.temperature.FindStringSubmatch(m)
		words := enDecimal(p[2])
		if p[1] != "" {
			words = "minus " + words
		}
		unit := " degrees"
		if p[2] == "1" {
			unit = " degree"
		}
		switch p[3] {
		case "℃", "°C", "°c":
			unit += " Celsius"
		case "°F", "°f":
			unit += " Fahrenheit"
		}
		return words + unit
	})
	s = e.percent.ReplaceAllStringFunc(s, func(m string) string {
		return enDecimal(e.percent.FindStringSubmatch(m)[1]) + " percent"
	})
	s = e.ordinal.ReplaceAllStringFunc(s, func(m string) string {
		n, err := strconv.Atoi(e.ordinal.FindStringSubmatch(m)[1])
		if err != nil || n > 1_000_000 {
			return m
		}
		return enOrdinal(n)
	})
	s = e.thousands.ReplaceAllStringFunc(s, func(m string) string { return enInt(strings.ReplaceAll(m, ",", "")) })
	s = e.numbers(s)
	s = strings.ReplaceAll(s, "#", "pound")
	return strings.ReplaceAll(s, "*", "star")
}

// numbers reads the remaining digit runs: decimals and quantities as
// cardinals, phone-like strings (7+ digits, a leading 0, or any number after
// "call"/"dial") digit by digit.
func (e *enNormalizer) numbers(s string) string {
	idx := e.number.FindAllStringIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		b.WriteString(s[last:m[0]])
		tok := s[m[0]:m[1]]
		last = m[1]
		before := strings.ToLower(strings.TrimRight(s[:m[0]], " "))
		phone := strings.HasSuffix(before, "call") || strings.HasSuffix(before, "dial")
		switch {
		case strings.Contains(tok, "."):
			b.WriteString(enDecimal(tok))
		case phone || len(tok) >= 7 || (len(tok) >= 3 && tok[0] == '0'):
			b.WriteString(enDigits(tok))
		default:
			b.WriteString(enInt(tok))
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

// clockWords reads "09:00" as nine a m, "14:05" as two oh five p m.
func (e *enNormalizer) clockWords(m string) string {
	p := e.clock.FindStringSubmatch(m)
	h, _ := strconv.Atoi(p[1])
	min, _ := strconv.Atoi(p[2])
	if h > 24 || min > 59 {
		return enInt(p[1]) + " " + enInt(p[2])
	}
	suffix := " a m"
	if h >= 12 && h < 24 {
		suffix = " p m"
	}
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	words := enSmall(h12)
	switch {
	case min == 0:
	case min < 10:
		words += " oh " + enSmall(min)
	default:
		words += " " + enSmall(min)
	}
	return words + suffix
}

var enOnes = [...]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
	"nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
	"seventeen", "eighteen", "nineteen"}
var enTens = [...]string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
	"eighty", "ninety"}

// enSmall reads 0–999.
func enSmall(n int) string {
	var parts []string
	if n >= 100 {
		parts = append(parts, enOnes[n/100], "hundred")
		n %= 100
		if n == 0 {
			return strings.Join(parts, " ")
		}
	}
	switch {
	case n < 20:
		parts = append(parts, enOnes[n])
	case n%10 == 0:
		parts = append(parts, enTens[n/10])
	default:
		parts = append(parts, enTens[n/10], enOnes[n%10])
	}
	return strings.Join(parts, " ")
}

// enInt reads a non-negative integer in ASCII digits; beyond the billions it
// reads digit by digit.
func enInt(s string) string {
	s = strings.TrimLeft(s, "0")
	if s == "" {
		return "zero"
	}
	if len(s) > 12 {
		return enDigits(s)
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	scales := []struct {
		v    int64
		name string
	}{{1_000_000_000, "billion"}, {1_000_000, "million"}, {1000, "thousand"}}
	var parts []string
	for _, sc := range scales {
		if n >= sc.v {
			parts = append(parts, enSmall(int(n/sc.v)), sc.name)
			n %= sc.v
		}
	}
	if n > 0 {
		parts = append(parts, enSmall(int(n)))
	}
	return strings.Join(parts, " ")
}

// enDecimal reads "36.5" as thirty six point five.
func enDecimal(s string) string {
	intPart, frac, ok := strings.Cut(s, ".")
	if !ok || frac == "" {
		return enInt(intPart)
	}
	return enInt(intPart) + " point " + enDigits(frac)
}

// enDigits reads digit by digit.
func enDigits(s string) string {
	parts := make([]string, 0, len(s))
	for _, c := range s {
		if c >= '0' && c <= '9' {
			parts = append(parts, enOnes[c-'0'])
		}
	}
	return strings.Join(parts, " ")
}

// enYear reads 2026 as twenty twenty six, 2000 as two thousand, 2005 as two
// thousand five.
func enYear(s string) string {
	n, _ := strconv.Atoi(s)
	hi, lo := n/100, n%100
	switch {
	case n%1000 < 10 && hi%10 == 0:
		return enInt(s)
	case lo == 0:
		return enSmall(hi) + " hundred"
	case lo < 10:
		return enSmall(hi) + " oh " + enSmall(lo)
	default:
		return enSmall(hi) + " " + enSmall(lo)
	}
}

var enOrdinalWords = map[string]string{"one": "first", "two": "second", "three": "third",
	"five": "fifth", "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}

// enOrdinal reads 28 as twenty eighth.
func enOrdinal(n int) string {
	words := enInt(strconv.Itoa(n))
	i := strings.LastIndexByte(words, ' ')
	last := words[i+1:]
	switch {
	case enOrdinalWords[last] != "":
		last = enOrdinalWords[last]
	case strings.HasSuffix(last, "y"):
		last = strings.TrimSuffix(last, "y") + "ieth"
	default:
		last += "th"
	}
	return words[:i+1] + last
}
