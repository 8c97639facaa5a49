// Package meaning turns recognised speech into answers: yes/no, numbers
// (Chinese numerals, Arabic digits and English number words, including
// temperatures such as 三十六度五 or "thirty six point five"), choices by
// synonyms, digit strings (phone numbers, 幺三八…), and symptom keywords with
// negation (没有发烧 means no fever).
//
// Every function returns a Result with a confidence in 0..1 and OK=false
// with a Reason when the words do not settle the question: hedges and
// questions back (可能吧, 不知道, 你说什么, "not sure"), conflicting answers,
// several different numbers, or noise. The caller then asks again or falls
// back to keys.
//
// Chinese and English are always both active: residents mix them, and the
// recogniser may return either. The package is pure: no I/O, no clock.
//
// Fahrenheit: a number said with an explicit unit (华氏, "fahrenheit", "°F")
// is converted to Celsius. A bare number is returned as said; Interpreter
// converts it only for a question whose range is a body temperature in
// Celsius (Max ≤ 45) when the value is a plausible Fahrenheit body
// temperature (93..110) and the converted value is inside the range, with
// the confidence lowered to 0.8.
package meaning
