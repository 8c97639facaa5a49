package prompts

import (
	"testing"
	"unicode/utf8"
)

func TestNormalizeChinese(t *testing.T) {
	tests := []struct{ in, want string }{
		{"36.5", "三十六点五"},
		{"37", "三十七"},
		{"0", "零"},
		{"0.5", "零点五"},
		{"10", "十"},
		{"15", "十五"},
		{"20", "二十"},
		{"100", "一百"},
		{"101", "一百零一"},
		{"1001", "一千零一"},
		{"1010", "一千零一十"},
		{"2000", "两千"},
		{"10000", "一万"},
		{"20002", "两万零二"},
		{"100010", "十万零一十"},
		{"3.14", "三点一四"},
		{"36.50", "三十六点五零"},
		{"体温36.5度", "体温三十六点五度"},
		{"体温36.5℃", "体温三十六点五度"},
		{"体温37.3°C以上", "体温三十七点三度以上"},
		{"气温-5℃", "气温零下五度"},
		{"36-37度", "三十六到三十七度"},
		{"2026-11-28", "二零二六年十一月二十八日"},
		{"2026/1/5号", "二零二六年一月五日"},
		{"2026年11月28日", "二零二六年十一月二十八日"},
		{"11月28日", "十一月二十八日"},
		{"3月1号", "三月一号"},
		{"2月", "二月"},
		{"09:00", "九点"},
		{"9:05", "九点零五分"},
		{"14:30", "十四点半"},
		{"16:45", "十六点四十五分"},
		{"02:00", "两点"},
		{"9:00-11:30", "九点到十一点半"},
		{"下午2点", "下午两点"},
		{"50%", "百分之五十"},
		{"12.5％", "百分之十二点五"},
		{"2次", "两次"},
		{"2个", "两个"},
		{"第2次", "第二次"},
		{"12次", "十二次"},
		{"1-2次", "一到两次"},
		{"2号楼", "二号楼"},
		{"请按2", "请按二"},
		{"请按3、6、5", "请按三、六、五"},
		{"请拨打110", "请拨打一一零"},
		{"请拨打12345热线", "请拨打一二三四五热线"},
		{"120元", "一百二十元"},
		{"请拨打 8888", "请拨打 八八八八"},
		{"咨询电话：96120", "咨询电话：九六一二零"},
		{"13812345678", "幺三八幺二三四五六七八"},
		{"138-1234-5678", "幺三八幺二三四五六七八"},
		{"010-12345678", "零幺零幺二三四五六七八"},
		{"按#号键结束", "按井号键结束"},
		{"按#结束", "按井号结束"},
		{"按*返回", "按星号返回"},
		{"请按*键", "请按星号键"},
		{"您是张*华本人吗", "您是张某华本人吗"},
		{"张*先生", "张某先生"},
		{"3#楼", "三号楼"},
		{"１２次", "十二次"},
		{"1,000人", "一千人"},
		{"1,200,000人", "一百二十万人"},
		{"您好，请问您是本人吗？", "您好，请问您是本人吗？"},
	}
	for _, tt := range tests {
		if got := NormalizeChinese(tt.in); got != tt.want {
			t.Errorf("NormalizeChinese(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// Normalisation is idempotent: the cache key relies on it.
		if got := NormalizeChinese(tt.want); got != tt.want {
			t.Errorf("NormalizeChinese(%q) not idempotent: %q", tt.want, got)
		}
	}
}

func TestNormalizeEnglish(t *testing.T) {
	tests := []struct{ in, want string }{
		{"36.5", "thirty six point five"},
		{"37", "thirty seven"},
		{"0", "zero"},
		{"100", "one hundred"},
		{"110", "one hundred ten"},
		{"1001", "one thousand one"},
		{"1,234", "one thousand two hundred thirty four"},
		{"2,000,000", "two million"},
		{"1234567", "one two three four five six seven"},
		{"call 13812345678", "call one three eight one two three four five six seven eight"},
		{"2026-11-28", "November twenty eighth twenty twenty six"},
		{"2005-01-01", "January first two thousand five"},
		{"09:00", "nine a m"},
		{"14:05", "two oh five p m"},
		{"12:30", "twelve thirty p m"},
		{"36.5°C", "thirty six point five degrees Celsius"},
		{"98.6°F", "ninety eight point six degrees Fahrenheit"},
		{"50%", "fifty percent"},
		{"the 3rd call", "the third call"},
		{"1-2 times", "one to two times"},
		{"press # to finish", "press pound to finish"},
		{"call 120 now", "call one two zero now"},
		{"Dial 12345.", "Dial one two three four five."},
		{"120 people", "one hundred twenty people"},
	}
	for _, tt := range tests {
		if got := NormalizeEnglish(tt.in); got != tt.want {
			t.Errorf("NormalizeEnglish(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeWhitespaceAndLanguage(t *testing.T) {
	if got := Normalize("zh-CN", "  体温  36.5度 \n"); got != "体温 三十六点五度" {
		t.Errorf("zh: %q", got)
	}
	if got := Normalize("en-US", " 37  degrees "); got != "thirty seven degrees" {
		t.Errorf("en: %q", got)
	}
	if got := Normalize("", "2次"); got != "两次" {
		t.Errorf("default language: %q", got)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"36.5℃", "2026-11-28 09:00", "13812345678", "第2次", "-5°F", "99999999999999999999.9", "1,000,000%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		zh := NormalizeChinese(s)
		if again := NormalizeChinese(zh); again != zh && utf8.ValidString(s) {
			t.Errorf("not idempotent: %q → %q → %q", s, zh, again)
		}
		_ = NormalizeEnglish(s)
		if len(zh) > 64*len(s)+64 {
			t.Fatalf("output grew too much: %d from %d", len(zh), len(s))
		}
	})
}
