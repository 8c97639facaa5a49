package meaning

import (
	"strings"
	"unicode"
)

// breakUnit marks a clause break (punctuation) in a unit sequence.
const breakUnit = ","

// units splits text into matching units: one unit per Han character, one
// per Latin word or number ("36.5" stays whole), and breakUnit for
// punctuation. Full-width forms are folded, Latin is lower-cased and
// apostrophes are dropped ("don't" → "dont").
func units(text string) []string {
	var out []string
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			out = append(out, word.String())
			word.Reset()
		}
	}
	rs := []rune(text)
	for i, r := range rs {
		r = fold(r)
		switch {
		case r == '\'' || r == '’' || r == '‘':
			continue
		case r == '.' && word.Len() > 0 && isDigit(lastByte(word.String())) && i+1 < len(rs) && isDigit(byte(fold(rs[i+1]))):
			word.WriteRune(r)
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if l := word.String(); l != "" && (isDigit(lastByte(l)) || lastByte(l) == '.') != unicode.IsDigit(r) {
				flush() // "36c" → "36" "c"
			}
			word.WriteRune(unicode.ToLower(r))
		case r == '℃' || r == '°':
			flush()
			out = append(out, "度")
		case unicode.IsSpace(r) || r == '-':
			flush()
		case unicode.IsPunct(r) || unicode.IsSymbol(r):
			flush()
			if len(out) > 0 && out[len(out)-1] != breakUnit {
				out = append(out, breakUnit)
			}
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			flush()
			out = append(out, string(r))
		}
	}
	flush()
	return out
}

// fold maps full-width ASCII and the ideographic space to ASCII.
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func lastByte(s string) byte { return s[len(s)-1] }

// tag classifies a lexicon entry.
type tag uint8

const (
	tagNone    tag = iota
	tagYes         // affirmative answer
	tagNo          // negative answer or negator
	tagUnsure      // hedge or question back: not understood
	tagHedge       // softens but keeps the answer (大概, about)
	tagFiller      // carries no meaning but is accounted for
	tagBreak       // clause break: but, 但是, punctuation
	tagPresent     // explicit presence: 有点, a bit, i have
	tagItem        // a symptom or option; value names it
)

// entry is what a lexicon phrase means.
type entry struct {
	tag   tag
	value string
}

// lexicon matches phrases (unit sequences) by longest match.
type lexicon struct {
	m      map[string]entry
	maxLen int
}

func newLexicon() *lexicon { return &lexicon{m: map[string]entry{}} }

// add registers phrases; a phrase already present keeps its first meaning.
func (l *lexicon) add(t tag, value string, phrases ...string) {
	for _, p := range phrases {
		u := units(p)
		if len(u) == 0 {
			continue
		}
		k := strings.Join(u, " ")
		if _, dup := l.m[k]; dup {
			continue
		}
		l.m[k] = entry{tag: t, value: value}
		l.maxLen = max(l.maxLen, len(u))
	}
}

// match is one matched phrase or one unmatched unit (tagNone).
type match struct {
	entry
	start, n int
	text     string
}

// scan splits units into the longest known phrases, left to right.
func (l *lexicon) scan(u []string) []match {
	var out []match
	for i := 0; i < len(u); {
		if u[i] == breakUnit {
			out = append(out, match{entry: entry{tag: tagBreak}, start: i, n: 1, text: breakUnit})
			i++
			continue
		}
		found := false
		for n := min(l.maxLen, len(u)-i); n >= 1; n-- {
			k := strings.Join(u[i:i+n], " ")
			if e, ok := l.m[k]; ok {
				out = append(out, match{entry: e, start: i, n: n, text: k})
				i += n
				found = true
				break
			}
		}
		if !found {
			out = append(out, match{start: i, n: 1, text: u[i]})
			i++
		}
	}
	return out
}

// count returns the units accounted for and the total, breaks excluded.
func count(ms []match) (known, total int) {
	for _, m := range ms {
		if m.tag == tagBreak {
			continue
		}
		total += m.n
		if m.tag != tagNone {
			known += m.n
		}
	}
	return known, total
}
