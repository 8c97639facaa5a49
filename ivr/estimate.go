package ivr

import (
	"time"
	"unicode"
)

// Reading speeds for elderly listeners: slow and clear.
const (
	hanziPerSecond = 4.0
	wordsPerSecond = 2.5
	pausePerMark   = 300 * time.Millisecond
)

// EstimateDuration is how long a prompt takes to say at an elderly-friendly
// pace: about 4 hanzi or 2.5 English words a second, plus a short pause at
// each punctuation mark.
func EstimateDuration(text string) time.Duration {
	var hanzi, words, marks int
	inWord := false
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			hanzi++
			inWord = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !inWord {
				words++
			}
			inWord = true
		case unicode.IsPunct(r):
			if r != '\'' && r != '-' {
				marks++
				inWord = false
			}
		default:
			inWord = false
		}
	}
	secs := float64(hanzi)/hanziPerSecond + float64(words)/wordsPerSecond
	d := time.Duration(secs*float64(time.Second)) + time.Duration(marks)*pausePerMark
	return d.Round(100 * time.Millisecond)
}
