package meaning

import (
	"fmt"
	"reflect"
	"testing"

	"outreach/ivr"
)

// no is the "not understood" marker in the tables.
const nu = "?"

func TestYesNo(t *testing.T) {
	cases := []struct {
		text string
		want any // true, false or nu
	}{
		{"是", true}, {"是的", true}, {"对", true}, {"对的", true}, {"嗯", true}, {"嗯嗯", true},
		{"有", true}, {"有的", true}, {"好的", true}, {"是的，我是本人", true}, {"我就是", true},
		{"没错", true}, {"可以", true}, {"对，是我", true}, {"是啊是啊", true}, {"嗯，对", true},
		{"没有", false}, {"不是", false}, {"没", false}, {"不对", false}, {"没有没有", false},
		{"不是我", false}, {"不是的", false}, {"没有啊", false}, {"不", false}, {"否", false},
		{"不可以", false}, {"嗯，没有", false}, {"没什么", false}, {"嗯", true}, {"打错了", false}, {"没去过", false}, {"不要", false},
		{"yes", true}, {"Yes.", true}, {"yeah", true}, {"yep", true}, {"sure", true},
		{"that's right", true}, {"correct", true}, {"yes I am", true}, {"of course", true},
		{"uh huh", true}, {"yes, speaking", true}, {"ＹＥＳ", true},
		{"no", false}, {"nope", false}, {"nah", false}, {"No, I don't.", false}, {"not really", false},
		{"I do not", false}, {"no thanks", false}, {"wrong number", false}, {"I don't think so", false},
		{"可能吧", nu}, {"不知道", nu}, {"你说什么", nu}, {"什么？", nu}, {"也许", nu}, {"是不是", nu},
		{"好像有", nu}, {"谁啊", nu}, {"再说一遍", nu}, {"maybe", nu}, {"not sure", nu},
		{"I don't know", nu}, {"I am not sure", nu}, {"I'm not sure", nu}, {"是的，没有发烧", nu}, {"what?", nu}, {"pardon", nu}, {"who is this", nu}, {"", nu},
		{"呃", nu}, {"啊啊啊", nu}, {"[noise]", nu}, {"是，不是", nu}, {"yes no", nu},
		{"我在做饭呢", nu}, {"hello", nu}, {"嗯…不知道", nu},
	}
	for _, c := range cases {
		r := YesNo(c.text, nil)
		check(t, "YesNo", c.text, r, c.want)
	}
}

func TestYesNoScriptWords(t *testing.T) {
	words := map[string][]string{"yes": {"在家"}, "no": {"出门了"}}
	check(t, "YesNo", "我在家呢", YesNo("我在家呢", words), true)
	check(t, "YesNo", "出门了", YesNo("出门了", words), false)
}

func TestNumber(t *testing.T) {
	cases := []struct {
		text string
		want any
	}{
		{"三十六度五", 36.5}, {"三十七点二", 37.2}, {"36度8", 36.8}, {"三六点五", 36.5},
		{"三十六点五度", 36.5}, {"三十六度", 36.0}, {"三十六度半", 36.5}, {"37.2", 37.2},
		{"36.5℃", 36.5}, {"体温是三十六度五", 36.5}, {"我量了一下，三十六度七", 36.7},
		{"两", 2.0}, {"两百", 200.0}, {"一百零二", 102.0}, {"一百五", 150.0}, {"十二", 12.0},
		{"幺零二", 102.0}, {"３６．６", 36.6}, {"三十六度五左右", 36.5}, {"大概三十七度", 37.0},
		{"今天量了两次，三十六度五", 36.5}, {"三十八度二", 38.2}, {"四十", 40.0}, {"零", 0.0},
		{"thirty six point five", 36.5}, {"thirty-six point five", 36.5}, {"thirty seven", 37.0},
		{"ninety eight point six", 98.6}, {"98.6 fahrenheit", 37.0}, {"one hundred and two", 102.0},
		{"three six point eight", 36.8}, {"my temperature is 36.5 degrees", 36.5}, {"twelve", 12.0},
		{"about thirty seven", 37.0}, {"it's thirty eight point two degrees celsius", 38.2},
		{"三六点五？", 36.5}, {"幺", 1.0}, {"三十七度二吧", 37.2}, {"三十七度一，三十七度一", 37.1},
		{"98.6°F", 37.0}, {"华氏九十八度六", 37.0},
		{"三十六度五还是三十七", nu}, {"不知道", nu}, {"没量", nu}, {"你说什么", nu}, {"正常", nu},
		{"有一点", nu}, {"I don't know", nu}, {"I am not sure", nu}, {"I'm not sure", nu}, {"是的，没有发烧", nu}, {"not sure", nu}, {"normal", nu}, {"", nu},
		{"三十六度五吗", nu}, {"thirty six or thirty seven", nu},
	}
	for _, c := range cases {
		check(t, "Number", c.text, Number(c.text), c.want)
	}
}

func TestDigits(t *testing.T) {
	cases := []struct {
		text   string
		length int
		want   any
	}{
		{"幺三八一二三四五六七八", 11, "13812345678"}, {"一三八 1234 5678", 11, "13812345678"},
		{"我的号码是幺三九零零零零幺幺幺幺", 11, "13900001111"}, {"one three eight", 3, "138"},
		{"double five oh one", 4, "5501"}, {"138-1234-5678", 11, "13812345678"}, {"五六七八", 4, "5678"},
		{"两两三三", 4, "2233"}, {"one two three", 4, nu}, {"不知道", 0, nu}, {"好的", 0, nu},
		{"什么号码", 0, nu}, {"", 0, nu},
	}
	for _, c := range cases {
		check(t, "Digits", c.text, Digits(c.text, c.length), c.want)
	}
}

func TestChoice(t *testing.T) {
	opts := []Option{
		{Key: "1", Value: "home", Words: []string{"在家", "家里", "at home", "home"}},
		{Key: "2", Value: "city", Words: []string{"本市", "市内", "in town", "in the city"}},
		{Key: "3", Value: "province", Words: []string{"外省", "外地", "another province", "out of town"}},
	}
	cases := []struct {
		text string
		want any
	}{
		{"在家", "home"}, {"我一直在家里", "home"}, {"去了外地", "province"}, {"本市", "city"},
		{"不在家，在本市", "city"}, {"没去外地，在家", "home"}, {"I stayed at home", "home"},
		{"out of town", "province"}, {"选二", "city"}, {"一", "home"}, {"按3", "province"},
		{"第二个", "city"}, {"option three", "province"}, {"the first one", "home"}, {"two", "city"},
		{"在家也去了外地", nu}, {"不知道", nu}, {"随便", nu}, {"五", nu}, {"maybe home", nu},
	}
	for _, c := range cases {
		check(t, "Choice", c.text, Choice(c.text, opts), c.want)
	}
}

func TestSymptoms(t *testing.T) {
	f := func(pairs ...any) []Finding {
		out := []Finding{}
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, Finding{Name: pairs[i].(string), Present: pairs[i+1].(bool)})
		}
		return out
	}
	cases := []struct {
		text string
		want any
	}{
		{"发烧", f(Fever, true)}, {"没有发烧", f(Fever, false)}, {"不咳嗽", f(Cough, false)},
		{"没有发烧，有点咳嗽", f(Fever, false, Cough, true)}, {"不发烧不咳嗽", f(Fever, false, Cough, false)},
		{"没有发烧也没有咳嗽", f(Fever, false, Cough, false)}, {"没力气", f(Fatigue, true)},
		{"没有力气", f(Fatigue, true)}, {"有点乏力", f(Fatigue, true)}, {"不累", f(Fatigue, false)},
		{"闻不到味道", f(TasteSmell, true)}, {"味觉嗅觉都正常", f(TasteSmell, true)}, {"拉肚子", f(Diarrhea, true)},
		{"嗓子疼，有点低烧", f(SoreThroat, true, Fever, true)}, {"喉咙痛", f(SoreThroat, true)},
		{"发烧没有，咳嗽有一点", f(Fever, false, Cough, true)}, {"头不疼", f(Headache, false)},
		{"都没有", f()}, {"没什么症状", f()}, {"没有", f()}, {"没有任何症状", f()}, {"都挺好，就是有点咳嗽", f(Cough, true)},
		{"已经退烧了", f(Fever, false)},
		{"I have a cough", f(Cough, true)}, {"no fever", f(Fever, false)}, {"I'm tired", f(Fatigue, true)},
		{"no fever but a bit of a cough", f(Fever, false, Cough, true)},
		{"I don't have a fever or a cough", f(Fever, false, Cough, false)}, {"none", f()},
		{"no symptoms", f()}, {"sore throat and a headache", f(SoreThroat, true, Headache, true)},
		{"I can't taste anything", f(TasteSmell, true)}, {"not coughing", f(Cough, false)},
		{"不知道", nu}, {"可能有点发烧吧", nu}, {"你说什么", nu}, {"今天吃饭了", nu}, {"maybe", nu}, {"", nu},
		{"发烧，没有发烧", nu},
	}
	for _, c := range cases {
		check(t, "Symptoms", c.text, Symptoms(c.text), c.want)
	}
}

func TestInterpreter(t *testing.T) {
	var in ivr.Interpreter = Interpreter{}
	temp := ivr.Question{Type: ivr.TypeNumber, Min: 34, Max: 43}
	cases := []struct {
		q    ivr.Question
		text string
		want any
	}{
		{ivr.Question{Type: ivr.TypeYesNo}, "没有", false},
		{ivr.Question{Type: ivr.TypeYesNo}, "yes", true},
		{temp, "三十六度五", 36.5},
		{temp, "ninety eight point six", 37.0},
		{temp, "ninety nine", 37.2},
		{ivr.Question{Type: ivr.TypeNumber, Min: 0, Max: 200}, "ninety eight point six", 98.6},
		{ivr.Question{Type: ivr.TypeDigits, Length: 4}, "五六七八", "5678"},
		{ivr.Question{Type: ivr.TypeChoice, Options: []ivr.Option{{Key: "1", Value: "a", Words: []string{"苹果"}}}}, "苹果", "a"},
		{ivr.Question{Type: ivr.TypeSpeech}, " 嗓子疼 ", "嗓子疼"},
		{ivr.Question{Type: ivr.TypeSpeech}, "  ", nu},
	}
	for _, c := range cases {
		v, ok, conf := in.Interpret(c.q, c.text)
		check(t, "Interpret "+c.q.Type.String(), c.text, Result{Value: v, OK: ok, Confidence: conf}, c.want)
	}
}

func check(t *testing.T, fn, text string, r Result, want any) {
	t.Helper()
	if want == nu {
		if r.OK {
			t.Errorf("%s(%q) = %v (conf %.2f), want not understood", fn, text, r.Value, r.Confidence)
		} else if r.Confidence != 0 || r.Value != nil {
			t.Errorf("%s(%q) not understood but value %v conf %.2f", fn, text, r.Value, r.Confidence)
		}
		return
	}
	if !r.OK {
		t.Errorf("%s(%q) not understood (%s), want %v", fn, text, r.Reason, want)
		return
	}
	if f, isF := want.(float64); isF {
		if g, _ := r.Value.(float64); fmt.Sprintf("%.3f", g) != fmt.Sprintf("%.3f", f) {
			t.Errorf("%s(%q) = %v, want %v", fn, text, r.Value, want)
		}
	} else if !reflect.DeepEqual(r.Value, want) {
		t.Errorf("%s(%q) = %v, want %v", fn, text, r.Value, want)
	}
	if r.Confidence < 0.5 || r.Confidence > 1 {
		t.Errorf("%s(%q) confidence %.2f, want 0.5..1", fn, text, r.Confidence)
	}
}
