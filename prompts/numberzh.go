package prompts

import "strings"

// zhDigit is the Chinese word of each decimal digit.
var zhDigit = [10]string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// zhDigits reads s (ASCII digits) one digit at a time. With yao, 1 is read
// 幺 as on the telephone (it cannot be confused with 七).
func zhDigits(s string, yao bool) string {
	var b strings.Builder
	for _, c := range s {
		if c < '0' || c > '9' {
			continue
		}
		if c == '1' && yao {
			b.WriteString("幺")
			continue
		}
		b.WriteString(zhDigit[c-'0'])
	}
	return b.String()
}

// zhGroupUnits are the units of the 4-digit groups, lowest first.
var zhGroupUnits = [...]string{"", "万", "亿", "万亿"}

// zhInt reads a non-negative integer written in ASCII digits as a cardinal
// number: 37 → 三十七, 110 → 一百一十, 1001 → 一千零一, 2000 → 两千. Numbers too
// long to read as a quantity (more than 16 digits) are read digit by digit.
func zhInt(s string) string {
	s = strings.TrimLeft(s, "0")
	if s == "" {
		return "零"
	}
	if len(s) > 4*len(zhGroupUnits) {
		return zhDigits(s, false)
	}
	var groups []string // highest first
	for len(s) > 0 {
		n := (len(s)-1)%4 + 1
		groups = append(groups, s[:n])
		s = s[n:]
	}
	var b strings.Builder
	zeroPending := false
	for i, g := range groups {
		unit := zhGroupUnits[len(groups)-1-i]
		if strings.Trim(g, "0") == "" {
			zeroPending = b.Len() > 0
			continue
		}
		if b.Len() > 0 && (zeroPending || len(g) < 4 || g[0] == '0') {
			b.WriteString("零")
		}
		zeroPending = false
		b.WriteString(zhGroup(g, i == 0, unit != ""))
		b.WriteString(unit)
	}
	return b.String()
}

// zhGroup reads one group of up to 4 digits (not all zero). first marks the
// highest group, where a leading 一十 is read 十; beforeUnit marks a group
// followed by 万/亿, where a lone 2 is read 两.
func zhGroup(g string, first, beforeUnit bool) string {
	g = strings.TrimLeft(g, "0")
	if g == "2" && beforeUnit {
		return "两"
	}
	units := [...]string{"千", "百", "十", ""}
	off := 4 - len(g)
	var b strings.Builder
	zero := false
	for i := 0; i < len(g); i++ {
		d := g[i] - '0'
		pos := off + i
		if d == 0 {
			zero = true
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		switch {
		case d == 1 && pos == 2 && i == 0 && first:
			// 10–19 at the start of a number: 十, 十五 (not 一十五).
		case d == 2 && pos < 2:
			b.WriteString("两")
		default:
			b.WriteString(zhDigit[d])
		}
		b.WriteString(units[pos])
	}
	return b.String()
}

// zhDecimal reads "36.5" as 三十六点五: the integer part as a cardinal
// number and the fraction digit by digit.
func zhDecimal(s string) string {
	intPart, frac, ok := strings.Cut(s, ".")
	if !ok || frac == "" {
		return zhInt(intPart)
	}
	return zhInt(intPart) + "点" + zhDigits(frac, false)
}
