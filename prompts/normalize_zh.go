package prompts

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// zhNormalizer holds the compiled patterns of NormalizeChinese. It is
// immutable after construction and safe for concurrent use.
type zhNormalizer struct {
	phoneDash, isoDate, year, monthDay, clockRange, clock, rangeSep,
	temperature, percent, thousands, number *regexp.Regexp
}

func newZHNormalizer() *zhNormalizer {
	return &zhNormalizer{
		phoneDash:   regexp.MustCompile(`\b(1\d{2})[- ](\d{4})[- ](\d{4})\b|\b(0\d{2,3})-(\d{7,8})\b`),
		isoDate:     regexp.MustCompile(`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b[日号]?`),
		year:        regexp.MustCompile(`([12]\d{3})年`),
		monthDay:    regexp.MustCompile(`(\d{1,2})月(\d{1,2})([日号])`),
		clockRange:  regexp.MustCompile(`(\d{1,2}[:：]\d{2})\s*[-~～—至]\s*(\d{1,2}[:：]\d{2})`),
		clock:       regexp.MustCompile(`\b(\d{1,2})[:：](\d{2})\b`),
		rangeSep:    regexp.MustCompile(`(\d)\s*[-~～—]\s*(\d)`),
		temperature: regexp.MustCompile(`(零下|-)?(\d+(?:\.\d+)?)\s*(℃|°C|°c|°|度)`),
		percent:     regexp.MustCompile(`(\d+(?:\.\d+)?)\s*[%％]`),
		thousands:   regexp.MustCompile(`\d{1,3}(?:,\d{3})+\b`),
		number:      regexp.MustCompile(`\d+(?:\.\d+)?`),
	}
}

// NormalizeChinese writes the numbers of a Chinese text out as a person
// reads them: 36.5 → 三十六点五, 37 → 三十七, 2次 → 两次, 2026-11-28 →
// 二零二六年十一月二十八日, 09:00 → 九点, 36.5℃ → 三十六点五度, 50% → 百分之五十,
// 13812345678 → 幺三八幺二三四五六七八, 110 → 一一零. Text without digits is
// returned unchanged (apart from full-width digits and signs made ASCII).
func NormalizeChinese(s string) string {
	return zhNorm.normalize(s)
}

// zhNorm is read-only after initialisation (compiled patterns only).
var zhNorm = newZHNormalizer()

func (z *zhNormalizer) normalize(s string) string {
	s = halfWidth(s)
	s = z.phoneDash.ReplaceAllStringFunc(s, func(m string) string { return zhDigits(m, true) })
	s = z.isoDate.ReplaceAllStringFunc(s, func(m string) string {
		p := z.isoDate.FindStringSubmatch(m)
		return zhDigits(p[1], false) + "年" + zhInt(p[2]) + "月" + zhInt(p[3]) + "日"
	})
	s = z.year.ReplaceAllStringFunc(s, func(m string) string {
		return zhDigits(strings.TrimSuffix(m, "年"), false) + "年"
	})
	s = z.monthDay.ReplaceAllStringFunc(s, func(m string) string {
		p := z.monthDay.FindStringSubmatch(m)
		return zhInt(p[1]) + "月" + zhInt(p[2]) + p[3]
	})
	s = z.clockRange.ReplaceAllString(s, "${1}到${2}")
	s = z.clock.ReplaceAllStringFunc(s, z.clockWords)
	s = z.rangeSep.ReplaceAllString(s, "${1}到${2}")
	s = z.temperature.ReplaceAllStringFunc(s, func(m string) string {
		p := z.temperature.FindStringSubmatch(m)
		sign := ""
		if p[1] != "" {
			sign = "零下"
		}
		return sign + zhDecimal(p[2]) + "度"
	})
	s = z.percent.ReplaceAllStringFunc(s, func(m string) string {
		return "百分之" + zhDecimal(z.percent.FindStringSubmatch(m)[1])
	})
	s = z.thousands.ReplaceAllStringFunc(s, func(m string) string { return zhInt(strings.ReplaceAll(m, ",", "")) })
	s = z.numbers(s)
	return zhSymbols(s)
}

// clockWords reads "09:00" as 九点, "9:05" as 九点零五分, "14:30" as 十四点半.
func (z *zhNormalizer) clockWords(m string) string {
	p := z.clock.FindStringSubmatch(m)
	h, _ := strconv.Atoi(p[1])
	min, _ := strconv.Atoi(p[2])
	if h > 24 || min > 59 {
		return zhInt(p[1]) + "比" + zhInt(p[2]) // a score or ratio, not a time
	}
	hour := zhInt(strconv.Itoa(h))
	if h == 2 {
		hour = "两"
	}
	switch {
	case min == 0:
		return hour + "点"
	case min == 30:
		return hour + "点半"
	case min < 10:
		return hour + "点零" + zhDigit[min] + "分"
	default:
		return hour + "点" + zhInt(p[2]) + "分"
	}
}

// zhServiceNumbers are short numbers read digit by digit (一一零, not 一百一十).
var zhServiceNumbers = map[string]bool{
	"110": true, "119": true, "120": true, "122": true, "114": true,
	"12345": true, "12320": true, "12315": true, "12306": true, "12369": true,
}

// numbers reads the remaining digit runs: phone-like strings digit by digit,
// decimals as 点 numbers, and integers as cardinals (2 before a measure word
// as 两).
func (z *zhNormalizer) numbers(s string) string {
	idx := z.number.FindAllStringIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		b.WriteString(s[last:m[0]])
		tok := s[m[0]:m[1]]
		rest := s[m[1]:]
		last = m[1]
		switch {
		case strings.Contains(tok, "."):
			b.WriteString(zhDecimal(tok))
		case (zhServiceNumbers[tok] || phoneContext(s[:m[0]])) && !startsWithMeasure(rest) && len(tok) < 7:
			b.WriteString(zhDigits(tok, false))
		case len(tok) >= 7 || (len(tok) >= 3 && tok[0] == '0'):
			b.WriteString(zhDigits(tok, true))
		case strings.TrimLeft(tok, "0") == "2" && startsWithMeasure(rest) && !ordinalBefore(s[:m[0]]):
			b.WriteString("两")
		default:
			b.WriteString(zhInt(tok))
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

// zhMeasures are the measure words and units after which 2 is read 两.
var zhMeasures = []string{
	"次", "个", "位", "天", "周", "年", "小时", "分钟", "秒", "岁", "人", "名", "遍", "项",
	"种", "条", "件", "口", "杯", "片", "粒", "顿", "户", "间", "层", "栋", "米", "公里",
	"斤", "公斤", "点", "趟", "剂", "针", "盒", "瓶", "支", "台", "张", "份", "元", "块",
}

func startsWithMeasure(rest string) bool {
	rest = strings.TrimLeft(rest, " ")
	for _, m := range zhMeasures {
		if strings.HasPrefix(rest, m) {
			return true
		}
	}
	return false
}

// phoneContext reports whether the text before a number announces a
// telephone number (拨打8888 is read 八八八八).
func phoneContext(before string) bool {
	before = strings.TrimRight(before, " ：:")
	for _, w := range []string{"拨打", "致电", "电话", "热线", "号码", "号码是", "电话是"} {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// ordinalBefore reports whether the text before a number ends in 第 (第二次).
func ordinalBefore(before string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(before, " "))
	return r == '第'
}

// zhSymbols reads the telephone keys: # → 井号, * → 星号 (井/星 before 号).
// A * inside a name (a masked name such as 张*华, see mask.Name) is read 某,
// and # after a number is read 号 (3#楼 → 三号楼).
func zhSymbols(s string) string {
	if !strings.ContainsAny(s, "#*") {
		return s
	}
	var b strings.Builder
	prev := rune(0)
	for i, r := range s {
		_, size := utf8.DecodeRuneInString(s[i:])
		next, _ := utf8.DecodeRuneInString(s[i+size:])
		keyContext := strings.ContainsRune("按拨击", prev) || next == '号' || next == '键'
		switch {
		case r == '*' && !keyContext && (unicode.Is(unicode.Han, prev) || unicode.Is(unicode.Han, next)):
			b.WriteString("某")
		case r == '#' && strings.ContainsRune(zhNumberChars, prev) && !keyContext:
			b.WriteString("号")
		case r == '#' || r == '*':
			b.WriteString(map[rune]string{'#': "井", '*': "星"}[r])
			if next != '号' {
				b.WriteString("号")
			}
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// zhNumberChars are the characters numbers are written with after normalisation.
const zhNumberChars = "零一二两三四五六七八九十百千万亿幺"

// halfWidth maps full-width digits, letters and the signs the number rules
// look at to ASCII (０ → 0, ％ → %, ． between digits stays for the decimal rule).
func halfWidth(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ',
			r == '％', r == '＋', r == '－', r == '．', r == '＃', r == '＊':
			b.WriteRune(r - 0xFEE0)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
