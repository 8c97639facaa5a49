package meaning

import (
	"strconv"
	"strings"
)

// Option is one answer of a choice question.
type Option struct {
	Key   string   // keypad key, also accepted spoken (选一, "one")
	Value string   // the answer recorded
	Words []string // synonyms that select it
}

var ordinals = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
}

// Choice picks the option whose value or synonyms are said, and not denied
// ("不是北京，是上海" → 上海). Two different options are a Conflict. When no
// synonym is said, the option's key said as a number (一, 选二, 按3, "option
// two") or an ordinal (第一个, "the second one") selects it.
func Choice(text string, options []Option) Result {
	u := units(text)
	if len(u) == 0 {
		return fail(Empty)
	}
	lex := newLexicon()
	for _, o := range options {
		lex.add(tagItem, o.Value, o.Words...)
		lex.add(tagItem, o.Value, o.Value)
	}
	merge(lex, symptomLexicon())
	ms := lex.scan(u)
	p := polarize(ms)
	if p.unsure {
		return fail(Unsure)
	}
	var chosen []string
	for _, f := range p.findings {
		if f.Present && optionIndex(options, f.Name) >= 0 {
			chosen = append(chosen, f.Name)
		}
	}
	known, total := count(ms)
	switch {
	case len(chosen) > 1:
		return fail(Conflict)
	case len(chosen) == 1:
		c := confidence(known, total, 1)
		if p.hedge {
			c = min(c, 0.6)
		}
		return ok(chosen[0], c)
	}
	return byKey(u, options)
}

func optionIndex(options []Option, value string) int {
	for i, o := range options {
		if o.Value == value {
			return i
		}
	}
	return -1
}

// byKey reads "选一", "按2", "one", "option three", "第二个", "the first one".
func byKey(u []string, options []Option) Result {
	var rest []string
	ordinal := 0
	for _, w := range u {
		switch w {
		case "选", "按", "选择", "option", "number", "press", "the", "one", "个", "项", "吧", "我", "我选", "键", breakUnit:
			if w == "one" && len(rest) == 0 && ordinal == 0 {
				rest = append(rest, w) // "one" as a number, not "the first one"
			}
			continue
		case "第":
			ordinal = -1
			continue
		}
		if n, ok := ordinals[w]; ok {
			ordinal = n
			continue
		}
		rest = append(rest, w)
	}
	if ordinal > 0 && len(rest) == 0 {
		return pick(options, ordinal-1, "", 0.85)
	}
	r := Number(strings.Join(rest, " "))
	if !r.OK {
		return fail(NoMatch)
	}
	n := int(r.Value.(float64))
	if float64(n) != r.Value.(float64) {
		return fail(NoMatch)
	}
	if ordinal < 0 {
		return pick(options, n-1, "", 0.85)
	}
	return pick(options, -1, strconv.Itoa(n), 0.85)
}

func pick(options []Option, index int, key string, conf float64) Result {
	for i, o := range options {
		if (key == "" && i == index) || (key != "" && o.Key == key) {
			return ok(o.Value, conf)
		}
	}
	return fail(NoMatch)
}
