package meaning

import (
	"strconv"
	"strings"
	"sync"
)

var digitContext = []string{
	"号码", "电话", "手机", "手机号", "电话号码", "是", "号", "尾号", "横杠", "杠", "空格", "身份证", "后四位",
	"number", "phone", "mobile", "is", "my", "its", "dash", "the", "code", "last", "digits",
}

var digitLexicon = sync.OnceValue(func() *lexicon {
	l := newLexicon()
	l.add(tagUnsure, "", unsureWords...)
	l.add(tagFiller, "", digitContext...)
	l.add(tagFiller, "", fillerWords...)
	return l
})

// Digits interprets a digit string said one digit at a time (幺三八…,
// "one three eight", "double five", 138 1234 5678). length > 0 demands
// exactly that many digits. Numbers said with multipliers (一百零二) are
// written out as their integer.
func Digits(text string, length int) Result {
	u := units(text)
	if len(u) == 0 {
		return fail(Empty)
	}
	var b strings.Builder
	known, total, repeat := 0, 0, 1
	lex := digitLexicon()
	for i := 0; i < len(u); {
		if u[i] == breakUnit {
			i++
			continue
		}
		switch u[i] {
		case "double", "triple":
			repeat = map[string]int{"double": 2, "triple": 3}[u[i]]
			known++
			total++
			i++
			continue
		}
		if toks, n := digitSpan(u, i); n > 0 {
			s, ok := spellDigits(toks)
			if !ok {
				return fail(NoMatch)
			}
			if repeat > 1 && len(s) > 0 {
				s = strings.Repeat(s[:1], repeat-1) + s
			}
			repeat = 1
			b.WriteString(s)
			known += n
			total += n
			i += n
			continue
		}
		m := lex.scan(u[i:min(len(u), i+lex.maxLen)])[0]
		if m.tag == tagUnsure {
			return fail(Unsure)
		}
		total += m.n
		if m.tag != tagNone {
			known += m.n
		}
		i += m.n
	}
	d := b.String()
	switch {
	case d == "":
		return fail(NoMatch)
	case length > 0 && len(d) != length:
		return fail(OutOfRange)
	}
	return ok(d, confidence(known, total, 1))
}

// digitSpan is like span without points: 点 has no place in a digit string.
func digitSpan(u []string, i int) ([]numTok, int) {
	var toks []numTok
	j := i
	for ; j < len(u); j++ {
		k, v := classify(u[j])
		if k == numNone || k == numPoint || k == numHalf {
			break
		}
		if k == numDigit && u[j] == "o" && len(toks) == 0 && (j+1 >= len(u) || !isNumeral(u[j+1])) {
			break // a lone "o"
		}
		toks = append(toks, numTok{kind: k, val: v, text: u[j]})
	}
	return toks, j - i
}

func isNumeral(u string) bool {
	k, _ := classify(u)
	return k != numNone && k != numPoint
}

// spellDigits writes a span as digits: one by one, or as an integer when
// it uses multipliers.
func spellDigits(toks []numTok) (string, bool) {
	var b strings.Builder
	positional := false
	for _, t := range toks {
		switch t.kind {
		case numDigit:
			b.WriteString(strconv.Itoa(t.val))
		case numArabic:
			if !allDigits(t.text) {
				return "", false
			}
			b.WriteString(t.text)
		default:
			positional = true
		}
	}
	if !positional {
		return b.String(), true
	}
	v, ok := positionalInt(toks)
	if !ok {
		return "", false
	}
	return strconv.FormatInt(int64(v), 10), true
}
