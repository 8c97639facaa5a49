package prompts

import (
	"strings"
	"testing"
)

func TestToPinyin(t *testing.T) {
	tests := []struct{ in, want string }{
		{"您好", "nin2 hao3"},
		{"您好，请按一。", "nin2 hao3, qing3 an4 yi1."},
		{"请问您是本人吗？", "qing3 wen4 nin2 shi4 ben3 ren2 ma5?"},
		{"您今天的体温正常吗", "nin2 jin1 tian1 de5 ti3 wen1 zheng4 chang2 ma5"},
		{"还有其他症状吗", "hai2 you3 qi2 ta1 zheng4 zhuang4 ma5"},
		{"请重新输入", "qing3 chong2 xin1 shu1 ru4"},
		{"这很重要", "zhe4 hen3 zhong4 yao4"},
		{"好的，我了解了", "hao3 de5, wo3 liao3 jie3 le5"},
		{"您的地址", "nin2 de5 di4 zhi3"},
		{"银行卡", "yin2 hang2 ka3"},
		{"最近有没有发烧、咳嗽", "zui4 jin4 you3 mei2 you3 fa1 shao1, ke2 sou5"},
		{"不是", "bu2 shi4"},
		{"不行", "bu4 xing2"},
		{"不好", "bu4 hao3"},
		{"一次", "yi2 ci4"},
		{"一天", "yi4 tian1"},
		{"第一次", "di4 yi1 ci4"},
		{"十一月", "shi2 yi1 yue4"},
		{"一一零", "yi1 yi1 ling2"},
		{"三十六点五度", "san1 shi2 liu4 dian3 wu3 du4"},
		{"幺三八", "yao1 san1 ba1"},
		{"按井号键结束", "an4 jing3 hao4 jian4 jie2 shu4"},
		{"，，您好！！", "nin2 hao3."},
		{"请拨打 CT 热线", "qing3 bo1 da3 CT re4 xian4"},
		{"发热、干咳、乏力、咽痛", "fa1 re4, gan1 ke2, fa2 li4, yan1 tong4"},
		{"医生一定", "yi1 sheng1 yi2 ding4"},
		{"一部分", "yi2 bu4 fen5"},
		{"步骤", "bu4 zhou4"},
		{"您的确认", "nin2 de5 que4 ren4"},
		{"没听清可以按星号键重听", "mei2 ting1 qing1 ke3 yi3 an4 xing1 hao4 jian4 chong2 ting1"},
		{"对不起", "dui4 bu5 qi3"},
		{"一月一日", "yi1 yue4 yi1 ri4"},
		{"再听一遍", "zai4 ting1 yi2 bian4"},
		{"统一", "tong3 yi1"},
	}
	for _, tt := range tests {
		if got := ToPinyin(tt.in); got != tt.want {
			t.Errorf("ToPinyin(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzToPinyin(f *testing.F) {
	for _, s := range []string{"您好，请按一。", "不是一次", "ab12，。", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = ToPinyin(NormalizeChinese(s))
	})
}

func TestPhraseTable(t *testing.T) {
	for k, v := range zhPhrases {
		n := len([]rune(k))
		if n > zhMaxPhrase || n < 2 {
			t.Errorf("%q: length %d outside 2..%d", k, n, zhMaxPhrase)
		}
		syl := strings.Fields(v)
		if len(syl) != n {
			t.Errorf("%q: %d syllables for %d characters", k, len(syl), n)
		}
		for _, s := range syl {
			if !isSyllable(s) {
				t.Errorf("%q: %q has no tone number", k, s)
			}
		}
	}
}
