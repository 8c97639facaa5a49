package meaning

// Reason says why an answer was not understood.
type Reason uint8

// Reasons for OK=false.
const (
	Understood Reason = iota // OK is true
	Empty                    // no words at all
	NoMatch                  // the words carry no answer
	Unsure                   // a hedge or a question back (可能吧, 不知道, 你说什么)
	Conflict                 // contradictory answers (是…不是, two different numbers, two options)
	OutOfRange               // a number or digit string of the wrong size
)

func (r Reason) String() string {
	switch r {
	case Understood:
		return "understood"
	case Empty:
		return "empty"
	case NoMatch:
		return "no_match"
	case Unsure:
		return "unsure"
	case Conflict:
		return "conflict"
	case OutOfRange:
		return "out_of_range"
	}
	return "unknown"
}

// Result is one interpretation. Value is bool (yes/no), float64 (number),
// string (choice value or digits) or []Finding (symptoms); nil unless OK.
type Result struct {
	Value      any
	OK         bool
	Confidence float64 // 0..1; 0 when not OK
	Reason     Reason
}

func fail(r Reason) Result { return Result{Reason: r} }

func ok(v any, conf float64) Result {
	return Result{Value: v, OK: true, Confidence: clamp(conf, 0, 0.99), Reason: Understood}
}

func clamp(v, lo, hi float64) float64 {
	return max(lo, min(hi, v))
}

// confidence grows with the share of the words that were accounted for
// (answer words, fillers), so a clear word alone scores high and one
// answer word lost in an unrelated sentence scores low.
func confidence(known, total, hits int) float64 {
	if total == 0 {
		return 0
	}
	c := 0.4 + 0.55*float64(known)/float64(total)
	if hits > 1 {
		c += 0.04
	}
	return c
}
