package prompts

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// zhPhrases fixes the readings of polyphonic characters in words common in
// our scripts (go-pinyin reads each character alone and takes its first
// reading). Longest match wins; each value has one syllable per character.
var zhPhrases = map[string]string{
	"请按": "qing3 an4", "体温": "ti3 wen1", "量体温": "liang2 ti3 wen1", "测量": "ce4 liang2",
	"还有": "hai2 you3", "还是": "hai2 shi4", "还在": "hai2 zai4", "还没": "hai2 mei2",
	"还要": "hai2 yao4", "还款": "huan2 kuan3", "归还": "gui1 huan2",
	"银行": "yin2 hang2", "行业": "hang2 ye4", "行程": "xing2 cheng2", "出行": "chu1 xing2",
	"不行": "bu4 xing2", "旅行": "lv3 xing2", "进行": "jin4 xing2", "自行": "zi4 xing2",
	"重新": "chong2 xin1", "重复": "chong2 fu4", "重拨": "chong2 bo1", "重播": "chong2 bo1",
	"重要": "zhong4 yao4", "严重": "yan2 zhong4", "体重": "ti3 zhong4", "加重": "jia1 zhong4",
	"了解": "liao3 jie3", "好了": "hao3 le5", "为了": "wei4 le5", "除了": "chu2 le5",
	"地址": "di4 zhi3", "地区": "di4 qu1", "外地": "wai4 di4", "当地": "dang1 di4",
	"本地": "ben3 di4", "目的地": "mu4 di4 di4", "目的": "mu4 di4",
	"觉得": "jue2 de5", "记得": "ji4 de5", "得到": "de2 dao4", "获得": "huo4 de2",
	"首都": "shou3 du1", "成都": "cheng2 du1", "头发": "tou2 fa5", "发烧": "fa1 shao1",
	"发热": "fa1 re4", "咳嗽": "ke2 sou5", "乏力": "fa2 li4", "喉咙": "hou2 long2",
	"着凉": "zhao2 liang2", "睡着": "shui4 zhao2", "着急": "zhao2 ji2", "接着": "jie1 zhe5",
	"组长": "zu3 zhang3", "长期": "chang2 qi1", "出差": "chu1 chai1", "转接": "zhuan3 jie1",
	"认为": "ren4 wei2", "作为": "zuo4 wei2", "成为": "cheng2 wei2", "因为": "yin1 wei4",
	"方便": "fang1 bian4", "数字": "shu4 zi4", "号码": "hao4 ma3", "正常": "zheng4 chang2",
	"什么": "shen2 me5", "怎么": "zen3 me5", "这么": "zhe4 me5", "我们": "wo3 men5",
	"你们": "ni3 men5", "谢谢": "xie4 xie5", "请问": "qing3 wen4", "没有": "mei2 you3",
	"是不是": "shi4 bu5 shi4", "有没有": "you3 mei2 you3", "大夫": "dai4 fu5",
	"结束": "jie2 shu4", "结果": "jie2 guo3", "应该": "ying1 gai1", "回答": "hui2 da2",
	"答复": "da2 fu4", "调查": "diao4 cha2", "空调": "kong1 tiao2", "尽快": "jin3 kuai4",
	"尽量": "jin3 liang4", "处理": "chu3 li3", "相关": "xiang1 guan1", "核酸": "he2 suan1",
	"密切": "mi4 qie4", "接触": "jie1 chu4", "血压": "xue4 ya1", "和您": "he2 nin2",
	"一会儿": "yi2 hui4 er5", "一点儿": "yi4 dian3 er5", "朝阳": "chao2 yang2",
	"单元": "dan1 yuan2", "单位": "dan1 wei4", "传染": "chuan2 ran3", "感冒": "gan3 mao4",
	"干咳": "gan1 ke2", "咽痛": "yan1 tong4", "咽喉": "yan1 hou2", "咽干": "yan1 gan1",
	"某某": "mou3 mou3", "重听": "chong2 ting1", "重来": "chong2 lai2", "重说": "chong2 shuo1",
	"对不起": "dui4 bu5 qi3", "意思": "yi4 si5", "东西": "dong1 xi5", "麻烦": "ma2 fan5",
	"部分": "bu4 fen5", "分钟": "fen1 zhong1", "几天": "ji3 tian1", "几次": "ji3 ci4",
}

// zhMaxPhrase is the length in characters of the longest key of zhPhrases.
const zhMaxPhrase = 3

// pinyinPunct maps punctuation to the ASCII marks espeak-ng pauses on.
var pinyinPunct = map[rune]string{
	'，': ",", ',': ",", '、': ",", '；': ",", ';': ",", '：': ",", ':': ",",
	'。': ".", '.': ".", '！': ".", '!': ".", '？': "?", '?': "?", '…': ".",
	'—': ",", '-': ",", '～': ",", '~': ",", '（': ",", '）': ",", '(': ",", ')': ",",
	'\n': ".",
}

// ToPinyin converts Chinese text (normalised first: digits read as hanzi)
// into tone-numbered pinyin for espeak-ng's cmn-latn-pinyin voice:
// "您好，请按一。" → "nin2 hao3, qing3 an4 yi1." The neutral tone is written 5
// (espeak-ng reads a syllable without a number as tone 1). Punctuation
// becomes ASCII commas and full stops, which espeak-ng reads as pauses;
// Latin words pass through. 不 and 一 take their tone sandhi.
func ToPinyin(text string) string {
	args := pinyin.NewArgs()
	args.Style = pinyin.Tone3
	args.Fallback = func(r rune, _ pinyin.Args) []string { return nil }
	var toks []token
	chars := []rune(text)
	var word []rune
	flushWord := func() {
		if len(word) > 0 {
			toks = append(toks, token{s: string(word)})
			word = word[:0]
		}
	}
	for i := 0; i < len(chars); {
		r := chars[i]
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			n, ps := matchPhrase(chars[i:])
			if n == 0 {
				ps, n = []string{hanSyllable(r, args)}, 1
			}
			for j, p := range ps {
				toks = append(toks, token{s: p, ch: chars[i+j]})
			}
			i += n
			continue
		case pinyinPunct[r] != "":
			flushWord()
			toks = append(toks, token{s: pinyinPunct[r]})
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			word = append(word, r)
		default:
			flushWord() // spaces and other signs separate words
		}
		i++
	}
	flushWord()
	sandhi(toks)
	return joinSyllables(toks)
}

// token is one syllable (with the character it reads), Latin word or pause.
type token struct {
	s  string
	ch rune // the hanzi read, 0 for words and punctuation
}

// matchPhrase returns the syllables of the longest phrase at the start of s.
func matchPhrase(s []rune) (int, []string) {
	for n := min(zhMaxPhrase, len(s)); n >= 2; n-- {
		if p, ok := zhPhrases[string(s[:n])]; ok {
			return n, strings.Fields(p)
		}
	}
	return 0, nil
}

// hanSyllable reads one character, neutral tone as 5. Characters go-pinyin
// does not know become a pause.
func hanSyllable(r rune, args pinyin.Args) string {
	p := pinyin.SinglePinyin(r, args)
	if len(p) == 0 || p[0] == "" {
		return ","
	}
	s := p[0]
	if last := s[len(s)-1]; last < '1' || last > '5' {
		s += "5"
	}
	return s
}

// yiKeepsTone1 are the characters next to which 一 keeps its first tone:
// digits (一一零, 十一), 第 (第一), and the units of dates, times and places
// (一月, 一点, 一号楼).
const yiKeepsTone1 = "零一二两三四五六七八九十幺第点月日号楼层栋室"

// sandhi applies the tone changes of 不 and 一 that espeak-ng does not make
// (it does make the third-tone sandhi): before a fourth tone they become
// bu2/yi2; 一 before other tones becomes yi4, except in numbers, dates and
// ordinals, and at the end of a phrase. Phrases from zhPhrases keep the
// tones written there.
func sandhi(toks []token) {
	for i := 0; i+1 < len(toks); i++ {
		next := toks[i+1]
		if next.ch == 0 || !isSyllable(next.s) {
			continue
		}
		tone := next.s[len(next.s)-1]
		switch {
		case toks[i].ch == '不' && toks[i].s == "bu4":
			if tone == '4' {
				toks[i].s = "bu2"
			}
		case toks[i].ch == '一' && toks[i].s == "yi1":
			if strings.ContainsRune(yiKeepsTone1, next.ch) || (i > 0 && strings.ContainsRune(yiKeepsTone1, toks[i-1].ch)) {
				continue
			}
			if tone == '4' {
				toks[i].s = "yi2"
			} else if tone != '5' {
				toks[i].s = "yi4"
			}
		}
	}
}

// isSyllable reports whether s is a tone-numbered pinyin syllable.
func isSyllable(s string) bool {
	if len(s) < 2 {
		return false
	}
	t := s[len(s)-1]
	return t >= '1' && t <= '5'
}

// joinSyllables writes syllables separated by spaces, punctuation attached
// to the syllable before it, and no repeated or leading marks.
func joinSyllables(toks []token) string {
	var b strings.Builder
	lastPunct := true
	for _, t := range toks {
		if t.s == "," || t.s == "." || t.s == "?" {
			if !lastPunct {
				b.WriteString(t.s)
			}
			lastPunct = true
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.s)
		lastPunct = false
	}
	return b.String()
}
