package asr

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"outreach/ivr"
)

// ErrNoGrammar means a constrained engine cannot take this question (free
// speech, or no word of it in the dictionary).
var ErrNoGrammar = errors.New("no grammar for this question")

var (
	// Short confusable words (nah, that's right) are left out: they cost
	// more misrecognitions than they win.
	grammarYes = []string{"yes", "yeah", "yep", "yup", "correct", "right", "sure", "of course", "yes please"}
	grammarNo  = []string{"no", "nope", "wrong", "not really", "no thanks", "negative"}
	// "oh" is zero in digit strings.
	grammarDigits = []string{"zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	grammarTeens  = []string{"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	grammarTens   = []string{"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
)

// Grammar writes the JSGF grammar (JSGF 1.0, W3C note 2000) of a question
// for a constrained recogniser: yes/no words, digits, numbers with a point,
// or the options' words and keys. known filters out phrases with a word
// the dictionary cannot pronounce (nil keeps all). English only: phrases
// with other scripts are dropped.
func Grammar(opts Options, known func(word string) bool) (string, error) {
	keep := func(ps []string) []string {
		var out []string
		seen := map[string]bool{}
		for _, p := range ps {
			p = cleanPhrase(p)
			if p == "" || seen[p] {
				continue
			}
			ok := true
			for _, w := range strings.Fields(p) {
				if known != nil && !known(w) {
					ok = false
				}
			}
			if ok {
				seen[p] = true
				out = append(out, p)
			}
		}
		return out
	}
	alt := func(ps []string) string { return strings.Join(ps, " | ") }
	var rules []string
	switch opts.Type {
	case ivr.TypeYesNo:
		rules = append(rules, "public <answer> = "+alt(keep(append(append(append([]string(nil), grammarYes...), grammarNo...), opts.Hints...)))+";")
	case ivr.TypeDigits:
		body := "<digit>+"
		if opts.Length > 0 && opts.Length <= 32 {
			body = strings.TrimSpace(strings.Repeat("<digit> ", opts.Length))
		}
		rules = append(rules, "public <answer> = "+body+";", "<digit> = "+alt(keep(grammarDigits))+";")
	case ivr.TypeNumber:
		rules = append(rules,
			"public <answer> = <int> [point <digit>+] [degrees];",
			"<int> = <digit> [<digit>] | <teen> | <tens> [<digit>] | <digit> hundred [[and] (<teen> | <tens> [<digit>] | <digit>)];",
			"<digit> = "+alt(keep(grammarDigits))+";", "<teen> = "+alt(keep(grammarTeens))+";", "<tens> = "+alt(keep(grammarTens))+";")
	case ivr.TypeChoice:
		words := keep(opts.Hints)
		words = append(words, keep(grammarDigits[2:])...)
		rules = append(rules, "public <answer> = [option | number] ("+alt(words)+");")
	default:
		return "", fmt.Errorf("grammar for %s: %w", opts.Type, ErrNoGrammar)
	}
	for _, r := range rules {
		if strings.Contains(r, "=  ") || strings.HasSuffix(r, "= ;") || strings.Contains(r, "()") {
			return "", fmt.Errorf("grammar for %s: %w", opts.Type, ErrNoGrammar)
		}
	}
	return "#JSGF V1.0;\ngrammar answer;\n" + strings.Join(rules, "\n") + "\n", nil
}

// cleanPhrase lower-cases an English phrase and drops what JSGF cannot
// carry; a phrase with non-Latin letters becomes "".
func cleanPhrase(p string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(p) {
		switch {
		case r >= 'a' && r <= 'z', r == '\'':
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '-' || r == ',' || r == '.':
			b.WriteRune(' ')
		default:
			return ""
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
