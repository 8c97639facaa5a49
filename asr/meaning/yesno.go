package meaning

import "sync"

var yesWords = []string{
	"是", "是的", "是啊", "是呀", "对", "对的", "对啊", "对呀", "嗯", "嗯嗯", "恩", "有", "有的", "有啊",
	"好", "好的", "行", "可以", "没错", "没问题", "当然", "确实", "就是", "我就是", "本人", "是我",
	"正确", "肯定", "要", "需要", "去过", "在的", "不错", "同意", "愿意", "是本人", "对头",
	"yes", "yeah", "yea", "yep", "yup", "ya", "sure", "correct", "right", "thats right", "affirmative",
	"of course", "i am", "i do", "i did", "i have", "uh huh", "ok", "okay", "certainly", "definitely",
	"absolutely", "indeed", "true", "speaking", "yes please", "it is", "that is correct", "i think so",
	"no problem",
}

var noWords = []string{
	"不", "不是", "不对", "没有", "没", "无", "否", "没得", "莫得", "木有", "不用", "不要", "不需要",
	"错", "错了", "没去过", "不在", "没去", "从来没有", "一点也没有", "没事", "不行", "不可以", "不是我",
	"都没有", "也没有", "没有的", "不是的", "打错了", "没什么", "没啥",
	"no", "nope", "nah", "not", "none", "never", "negative", "wrong", "i dont", "i didnt", "i havent",
	"i am not", "im not", "dont", "didnt", "havent", "hasnt", "isnt", "wasnt", "nothing", "not at all",
	"i do not", "i did not", "i have not", "not really", "no thanks", "not right", "not correct",
	"i dont think so", "wrong number", "no i dont", "it isnt", "it is not", "thats wrong",
}

// yesNoLexicon is built once and never changed; questions that bring their
// own words get a clone.
// weakYes words acknowledge more than they answer: 嗯，没有 is no.
var weakYes = []string{"嗯", "嗯嗯", "恩", "哦", "嗯哼", "uh huh", "ok", "okay"}

var yesNoLexicon = sync.OnceValue(func() *lexicon {
	l := newLexicon()
	l.add(tagUnsure, "", unsureWords...)
	l.add(tagYes, "weak", weakYes...)
	l.add(tagNo, "", noWords...)
	l.add(tagYes, "", yesWords...)
	l.add(tagHedge, "", hedgeWords...)
	l.add(tagFiller, "", fillerWords...)
	return l
})

// YesNo interprets a yes/no answer. words may add script words under the
// keys "yes" and "no" (they win over the built-in ones). A negator right
// before an affirmative word makes a negative (不+可以, not+sure is unsure).
func YesNo(text string, words map[string][]string) Result {
	u := units(text)
	if len(u) == 0 {
		return fail(Empty)
	}
	lex := yesNoLexicon()
	if len(words["yes"])+len(words["no"]) > 0 {
		lex = newLexicon()
		lex.add(tagNo, "", words["no"]...)
		lex.add(tagYes, "", words["yes"]...)
		merge(lex, yesNoLexicon())
	}
	ms := lex.scan(u)
	yes, weak, no, hedge := 0, 0, 0, false
	for i, m := range ms {
		switch m.tag {
		case tagUnsure:
			return fail(Unsure)
		case tagHedge:
			hedge = true
		case tagYes:
			if i > 0 && ms[i-1].tag == tagNo {
				continue // 不 + 可以: counted once, as no
			}
			yes++
			if m.value == "weak" {
				weak++
			}
		case tagNo:
			no++
		}
	}
	known, total := count(ms)
	switch {
	case yes == 0 && no == 0:
		return fail(NoMatch)
	case yes == weak && no > 0:
		yes = 0 // 嗯，没有
	case yes > 0 && no > 0:
		return fail(Conflict)
	}
	c := confidence(known, total, yes+no)
	if hedge {
		c = min(c, 0.6)
	}
	return ok(yes > 0, c)
}

// merge adds base's phrases that l lacks.
func merge(l, base *lexicon) {
	for k, e := range base.m {
		if _, dup := l.m[k]; !dup {
			l.m[k] = e
		}
	}
	l.maxLen = max(l.maxLen, base.maxLen)
}
