package meaning

import "strconv"

// numeral kinds of one unit.
type numKind uint8

const (
	numNone   numKind = iota
	numDigit          // 0-9: 三, 幺, 两, "five", "oh"
	numTeen           // 10-19 said as one English word
	numTens           // twenty … ninety
	numMult           // 十 百 千 万 hundred thousand
	numPoint          // 点, point (decimal point)
	numHalf           // 半
	numArabic         // "36", "36.5"
)

var zhDigits = map[string]int{
	"零": 0, "〇": 0, "洞": 0, "一": 1, "幺": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3,
	"四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "拐": 7, "八": 8, "捌": 8,
	"九": 9, "玖": 9, "勾": 9,
}

var zhMults = map[string]int{"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10000}

var enDigits = map[string]int{
	"zero": 0, "oh": 0, "o": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
	"six": 6, "seven": 7, "eight": 8, "nine": 9,
}

var enTeens = map[string]int{
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}

var enTens = map[string]int{
	"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
	"eighty": 80, "ninety": 90,
}

var enMults = map[string]int{"hundred": 100, "thousand": 1000}

// classify says what numeral a unit is and its value.
func classify(u string) (numKind, int) {
	if v, ok := zhDigits[u]; ok {
		return numDigit, v
	}
	if v, ok := enDigits[u]; ok {
		return numDigit, v
	}
	if v, ok := zhMults[u]; ok {
		return numMult, v
	}
	if v, ok := enMults[u]; ok {
		return numMult, v
	}
	if v, ok := enTeens[u]; ok {
		return numTeen, v
	}
	if v, ok := enTens[u]; ok {
		return numTens, v
	}
	switch u {
	case "点", "point", "dot":
		return numPoint, 0
	case "半", "half":
		return numHalf, 5
	}
	if u != "" && isDigit(u[0]) {
		if len(u) == 1 {
			return numDigit, int(u[0] - '0')
		}
		return numArabic, 0
	}
	return numNone, 0
}

// numTok is one numeral unit of a span.
type numTok struct {
	kind numKind
	val  int
	text string
}

// parseSpan reads one spoken number: an integer part, then optionally a
// point (点, 度 before digits, "point") and digits said one by one.
func parseSpan(toks []numTok) (float64, bool) {
	cut := len(toks)
	for i, t := range toks {
		if t.kind == numPoint {
			cut = i
			break
		}
	}
	intPart, frac := toks[:cut], []numTok(nil)
	if cut < len(toks) {
		frac = toks[cut+1:]
	}
	if len(intPart) == 0 {
		return 0, false
	}
	v, ok := parseInt(intPart)
	if !ok {
		return 0, false
	}
	if cut < len(toks) {
		f, ok := parseFrac(frac)
		if !ok {
			return 0, false
		}
		v += f
	}
	return v, true
}

// parseFrac reads the digits after the point one by one ("五", "two five").
func parseFrac(toks []numTok) (float64, bool) {
	if len(toks) == 0 {
		return 0, false
	}
	s := "0."
	for _, t := range toks {
		switch t.kind {
		case numDigit, numHalf:
			s += strconv.Itoa(t.val)
		case numArabic:
			if !allDigits(t.text) {
				return 0, false
			}
			s += t.text
		default:
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// parseInt reads an integer said digit by digit (三六, "three six", 36) or
// with multipliers (三十六, 一百零二, 一百五 = 150, "ninety eight",
// "one hundred and two").
func parseInt(toks []numTok) (float64, bool) {
	if len(toks) == 1 && toks[0].kind == numArabic {
		f, err := strconv.ParseFloat(toks[0].text, 64)
		return f, err == nil
	}
	positional := false
	for _, t := range toks {
		if t.kind == numMult || t.kind == numTeen || t.kind == numTens {
			positional = true
		}
	}
	if !positional {
		s := ""
		for _, t := range toks {
			if t.kind == numDigit {
				s += strconv.Itoa(t.val)
			} else if t.kind == numArabic && allDigits(t.text) {
				s += t.text
			} else {
				return 0, false
			}
		}
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	}
	return positionalInt(toks)
}

// positionalInt reads 三十六, 一百零二, 两千, "thirty six", "one hundred".
func positionalInt(toks []numTok) (float64, bool) {
	total, section, pending, lastMult := 0, 0, -1, 0
	for i, t := range toks {
		switch t.kind {
		case numDigit:
			if pending >= 0 {
				return 0, false // two digits in a row inside a positional number
			}
			if t.text == "零" || t.text == "〇" {
				lastMult = 0 // 一百零二: 零 is a placeholder
				continue
			}
			pending = t.val
		case numTeen, numTens:
			if pending >= 0 || (i > 0 && (toks[i-1].kind == numTeen || toks[i-1].kind == numTens)) {
				return 0, false
			}
			section += t.val
		case numMult:
			n := pending
			if n < 0 {
				n = 1 // 十二, a hundred
			}
			switch t.text {
			case "万", "thousand":
				if section > 0 && pending < 0 {
					n = 0
				}
				total += (section + n) * t.val
				section = 0
			case "hundred":
				if section > 0 && pending < 0 {
					n = 0
				}
				section = (section + n) * 100
			default:
				section += n * t.val
			}
			pending, lastMult = -1, t.val
		default:
			return 0, false
		}
	}
	if pending >= 0 {
		if n := len(toks); lastMult >= 100 && n >= 2 && zhMults[toks[n-2].text] > 0 {
			pending *= lastMult / 10 // 一百五 = 150, 两千三 = 2300
		}
		section += pending
	}
	return float64(total + section), true
}
