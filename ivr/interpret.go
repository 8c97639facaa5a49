package ivr

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Question is what an Interpreter needs to turn words into an answer.
type Question struct {
	Type     AnswerType
	Language string
	Options  []Option
	Words    map[string][]string // yes_no words from the script
	Min, Max float64
	Length   int
}

// Interpreter turns recognised speech into an answer value: bool for yes_no,
// float64 for number, the option value for choice, the digits for digits,
// the text for speech. The asr package supplies a rich one.
type Interpreter interface {
	Interpret(q Question, text string) (value any, ok bool, confidence float64)
}

// BasicInterpreter is the built-in fallback: keyword matching of options
// and yes/no words (是/否/yes/no ...), Arabic numerals.
type BasicInterpreter struct{}

var arabicNumber = regexp.MustCompile(`[0-9]+(\.[0-9]+)?`)

var (
	basicYes = []string{"是的", "是", "对", "对的", "好", "有", "yes", "yeah", "yep", "right", "correct"}
	basicNo  = []string{"不是", "不对", "否", "没有", "没", "不", "no", "nope", "not"}
)

// Interpret implements Interpreter.
func (BasicInterpreter) Interpret(q Question, text string) (any, bool, float64) {
	t := normalize(text)
	if t == "" {
		return nil, false, 0
	}
	switch q.Type {
	case TypeYesNo:
		return yesNo(q, t)
	case TypeChoice:
		// The longest matching word wins: "another province" over "province".
		best, bestLen := "", 0
		for _, o := range q.Options {
			for _, w := range append([]string{o.Value}, o.Words...) {
				if nw := normalize(w); len(nw) > bestLen && containsWord(t, nw) {
					best, bestLen = o.Value, len(nw)
				}
			}
		}
		if best != "" {
			return best, true, 1
		}
	case TypeNumber:
		f, err := strconv.ParseFloat(arabicNumber.FindString(text), 64)
		if err == nil && f >= q.Min && f <= q.Max {
			return f, true, 1
		}
	case TypeDigits:
		d := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, t)
		if len(d) == q.Length {
			return d, true, 1
		}
	case TypeSpeech:
		return strings.TrimSpace(text), true, 1
	}
	return nil, false, 0
}

func yesNo(q Question, t string) (any, bool, float64) {
	// Negative words are tried first: 不是 contains 是.
	no := append(append([]string(nil), q.Words["no"]...), basicNo...)
	yes := append(append([]string(nil), q.Words["yes"]...), basicYes...)
	for _, w := range no {
		if containsWord(t, normalize(w)) {
			return false, true, 1
		}
	}
	for _, w := range yes {
		if containsWord(t, normalize(w)) {
			return true, true, 1
		}
	}
	return nil, false, 0
}

func normalize(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) {
			return ' '
		}
		return r
	}, s)))
}

// containsWord matches whole words in spaced scripts and substrings in
// Chinese text.
func containsWord(text, w string) bool {
	if w == "" {
		return false
	}
	if !isASCII(w) {
		return strings.Contains(text, w)
	}
	for _, f := range strings.Fields(text) {
		if f == w {
			return true
		}
	}
	return strings.Contains(" "+text+" ", " "+w+" ")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
