package meaning

import (
	"math"
	"sync"
)

// numberContext words are accounted for around a number.
var numberContext = []string{
	"体温", "温度", "是", "量", "量了", "测", "测了", "一下", "刚", "刚才", "刚刚", "早上", "上午", "下午",
	"晚上", "摄氏", "摄氏度", "度", "有", "大概是", "温度计", "耳温", "腋下", "口温", "正常",
	"temperature", "my", "is", "was", "its", "degrees", "degree", "celsius", "centigrade", "c",
	"reading", "measured", "took", "it", "says", "shows", "morning", "this", "the", "body",
}

var fahrenheitWords = []string{"华氏", "华氏度", "fahrenheit", "f"}

// counterWords after a number mean it counts something, not the answer.
var counterWords = map[string]bool{
	"次": true, "遍": true, "回": true, "天": true, "个": true, "岁": true, "号": true, "下": true,
	"times": true, "time": true, "days": true, "day": true, "years": true, "people": true,
}

var numberLexicon = sync.OnceValue(func() *lexicon {
	l := newLexicon()
	l.add(tagUnsure, "", unsureWords...)
	l.add(tagHedge, "", hedgeWords...)
	l.add(tagItem, "F", fahrenheitWords...)
	l.add(tagFiller, "", numberContext...)
	l.add(tagFiller, "", fillerWords...)
	return l
})

// Number interprets a spoken number: Chinese numerals (三十六度五, 三十七点二,
// 三六点五, 两, 幺), Arabic digits (36.5, 36度8) and English number words
// ("thirty six point five"). Several different numbers are a Conflict.
// An explicit Fahrenheit unit converts to Celsius (one decimal).
func Number(text string) Result {
	u := units(text)
	if len(u) == 0 {
		return fail(Empty)
	}
	values, known, total, flags := numbers(u)
	if flags.unsure {
		return fail(Unsure)
	}
	if len(values) == 0 {
		return fail(NoMatch)
	}
	for _, v := range values[1:] {
		if v != values[0] {
			return fail(Conflict)
		}
	}
	v := values[0]
	if flags.fahrenheit {
		v = math.Round((v-32)*5/9*10) / 10
	}
	c := confidence(known, total, 1)
	if flags.hedge {
		c = min(c, 0.6)
	}
	return ok(v, c)
}

type numberFlags struct{ unsure, hedge, fahrenheit bool }

// numbers finds every spoken number in u, skipping counted ones (两次).
func numbers(u []string) (values []float64, known, total int, f numberFlags) {
	lex := numberLexicon()
	for i := 0; i < len(u); {
		if u[i] == breakUnit {
			i++
			continue
		}
		if toks, n := span(u, i); n > 0 {
			total += n
			if i+n < len(u) && counterWords[u[i+n]] || i > 0 && u[i-1] == "第" {
				i += n
				continue
			}
			if v, ok := parseSpan(toks); ok {
				values = append(values, v)
				known += n
			}
			i += n
			continue
		}
		m := lex.scan(u[i:min(len(u), i+lex.maxLen)])[0]
		total += m.n
		switch m.tag {
		case tagUnsure:
			f.unsure = true
		case tagHedge:
			f.hedge = true
		case tagItem:
			f.fahrenheit = true
		}
		if m.tag != tagNone {
			known += m.n
		}
		i += m.n
	}
	return values, known, total, f
}

// span returns the numeral units starting at i: digits, multipliers, a
// point (点, point, or 度 followed by a digit: 三十六度五, 36度8) and 半.
// 一点 not followed by a digit is "a little", not a number.
func span(u []string, i int) ([]numTok, int) {
	var toks []numTok
	j := i
	for ; j < len(u); j++ {
		k, v := classify(u[j])
		if u[j] == "度" && len(toks) > 0 && j+1 < len(u) {
			if nk, _ := classify(u[j+1]); nk == numDigit || nk == numHalf || nk == numArabic {
				k = numPoint
			}
		}
		if u[j] == "and" && len(toks) > 0 && j+1 < len(u) {
			if nk, _ := classify(u[j+1]); nk != numNone && nk != numPoint {
				continue // one hundred and two
			}
		}
		if k == numNone || (k == numHalf && (len(toks) == 0 || toks[len(toks)-1].kind != numPoint)) {
			break
		}
		if k == numPoint && (j+1 >= len(u) || !fracStart(u[j+1])) {
			break
		}
		toks = append(toks, numTok{kind: k, val: v, text: u[j]})
	}
	if len(toks) == 0 || toks[0].kind == numPoint {
		return nil, 0
	}
	if len(toks) == 1 && toks[0].text == "一" && j < len(u) && (u[j] == "点" || u[j] == "些" || u[j] == "直" || u[j] == "般" || u[j] == "下") {
		return nil, 0 // 一点, 一些, 一直, 一般, 一下
	}
	if len(toks) == 1 && toks[0].text == "o" {
		return nil, 0 // a lone "o" is a letter
	}
	return toks, j - i
}

func fracStart(u string) bool {
	k, _ := classify(u)
	return k == numDigit || k == numHalf || (k == numArabic && allDigits(u))
}
