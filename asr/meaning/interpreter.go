package meaning

import (
	"math"
	"strings"

	"outreach/ivr"
)

// Interpreter implements ivr.Interpreter with this package's Chinese and
// English understanding. The zero value is ready.
type Interpreter struct{}

var _ ivr.Interpreter = Interpreter{}

// Interpret turns recognised text into the answer value ivr expects: bool
// (yes_no), float64 (number), the option value (choice), the digits
// (digits) or the trimmed text (speech).
func (Interpreter) Interpret(q ivr.Question, text string) (any, bool, float64) {
	r := Interpret(q, text)
	return r.Value, r.OK, r.Confidence
}

// Interpret is Interpreter.Interpret returning the full Result.
func Interpret(q ivr.Question, text string) Result {
	switch q.Type {
	case ivr.TypeYesNo:
		return YesNo(text, q.Words)
	case ivr.TypeNumber:
		return temperature(Number(text), q.Min, q.Max)
	case ivr.TypeChoice:
		opts := make([]Option, len(q.Options))
		for i, o := range q.Options {
			opts[i] = Option{Key: o.Key, Value: o.Value, Words: o.Words}
		}
		return Choice(text, opts)
	case ivr.TypeDigits:
		return Digits(text, q.Length)
	case ivr.TypeSpeech:
		t := strings.TrimSpace(text)
		if len(units(t)) == 0 {
			return fail(Empty)
		}
		return ok(t, 0.9)
	}
	return fail(NoMatch)
}

// temperature converts a bare Fahrenheit body temperature ("ninety eight
// point six") for a Celsius body-temperature question (Max ≤ 45) when the
// said value is out of range but its conversion is in range.
func temperature(r Result, lo, hi float64) Result {
	if !r.OK || hi == 0 || hi > 45 {
		return r
	}
	v := r.Value.(float64)
	if v >= lo && v <= hi || v < 93 || v > 110 {
		return r
	}
	c := math.Round((v-32)*5/9*10) / 10
	if c < lo || c > hi {
		return r
	}
	return ok(c, min(r.Confidence, 0.8))
}
