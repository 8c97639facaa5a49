package prompts

import "strings"

// Normalize prepares text for speech in language l: numbers, dates, times,
// temperatures and percentages are written out as words (NormalizeChinese,
// NormalizeEnglish) and runs of white space collapse to one space. It is
// idempotent, and is the text the cache key is computed over.
func Normalize(l Language, text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if l == "" || l.IsChinese() {
		return NormalizeChinese(text)
	}
	return NormalizeEnglish(text)
}
