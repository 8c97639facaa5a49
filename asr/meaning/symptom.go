package meaning

import "sync"

// Symptom names, as used by the health-check scripts' answer keys.
const (
	Fever       = "fever"
	Cough       = "cough"
	Fatigue     = "fatigue"
	TasteSmell  = "taste_smell"
	SoreThroat  = "sore_throat"
	Diarrhea    = "diarrhea"
	Breathing   = "breathing"
	Headache    = "headache"
	RunnyNose   = "runny_nose"
	MuscleAche  = "muscle_ache"
	Unwell      = "unwell"
	noneMention = "none"
)

// SymptomWords lists the words of each symptom. A value starting with "!"
// in symptomLexicon marks a phrase that denies the symptom by itself.
var symptomWords = map[string][]string{
	Fever: {"发烧", "发热", "高烧", "低烧", "烧", "发高烧", "体温高", "体温偏高", "发冷", "畏寒", "打寒战",
		"fever", "a fever", "feverish", "temperature", "a temperature", "high temperature", "chills"},
	Cough: {"咳嗽", "咳", "干咳", "咳痰", "有痰", "cough", "coughing", "a cough", "coughs", "dry cough"},
	Fatigue: {"乏力", "没力气", "没有力气", "没劲", "没有劲", "浑身无力", "无力", "累", "疲劳", "疲倦", "疲惫",
		"全身无力", "tired", "fatigue", "fatigued", "weak", "weakness", "exhausted", "no energy", "worn out"},
	TasteSmell: {"味觉", "嗅觉", "尝不出", "尝不出味道", "没味道", "吃东西没味道", "闻不到", "闻不出", "闻不见",
		"味觉减退", "嗅觉减退", "味觉丧失", "嗅觉丧失", "taste", "smell", "cant taste", "cant smell",
		"loss of taste", "loss of smell", "lost my sense of taste", "lost my sense of smell"},
	SoreThroat: {"喉咙痛", "喉咙疼", "嗓子疼", "嗓子痛", "咽痛", "咽喉痛", "嗓子不舒服", "喉咙不舒服", "嗓子干",
		"喉咙干", "咽干", "sore throat", "a sore throat", "throat hurts", "throat", "scratchy throat"},
	Diarrhea: {"腹泻", "拉肚子", "拉稀", "肚子疼", "diarrhea", "diarrhoea", "loose stools", "upset stomach"},
	Breathing: {"呼吸困难", "气短", "胸闷", "喘不上气", "气喘", "喘不过气", "short of breath", "shortness of breath",
		"breathless", "trouble breathing", "difficulty breathing", "cant breathe", "hard to breathe"},
	Headache:   {"头痛", "头疼", "头晕", "headache", "a headache", "head hurts", "dizzy"},
	RunnyNose:  {"流鼻涕", "鼻塞", "鼻子不通", "打喷嚏", "runny nose", "stuffy nose", "blocked nose", "sneezing", "congestion"},
	MuscleAche: {"肌肉酸痛", "全身酸痛", "浑身疼", "浑身酸痛", "身上疼", "body aches", "aches", "muscle pain", "sore muscles"},
	Unwell:     {"不舒服", "难受", "unwell", "sick", "ill", "not well", "not feeling well"},
}

var deniedWords = map[string][]string{
	Fever:      {"退烧", "退烧了", "不烧了", "体温正常", "温度正常", "normal temperature", "temperature is normal", "temperature normal"},
	Headache:   {"头不疼", "头不痛"},
	SoreThroat: {"嗓子不疼", "嗓子不痛", "喉咙不疼", "喉咙不痛"},
}

var noneWords = []string{
	"都没有", "什么都没有", "啥都没有", "没有症状", "没有任何症状", "无症状", "都挺好", "一切正常", "都正常", "挺好的",
	"很好", "都好", "挺好", "正常", "没事", "好着呢", "身体很好", "身体挺好", "没有不舒服", "都没", "没什么", "没啥", "没什么症状", "没什么不舒服", "没啥症状", "没啥不舒服",
	"no symptoms", "none", "nothing", "im fine", "i am fine", "fine", "all good", "healthy", "feel fine",
	"feeling fine", "i feel fine", "im good", "im ok", "im okay", "nothing at all", "no symptoms at all",
	"feeling good", "i feel good", "well",
}

var symptomFillers = []string{"或者", "或", "和", "也", "还是", "跟", "以及", "or", "and", "also", "any", "feel", "feeling", "am", "a", "of"}

var symptomLexicon = sync.OnceValue(func() *lexicon {
	l := newLexicon()
	for name, ws := range deniedWords {
		l.add(tagItem, "!"+name, ws...)
	}
	l.add(tagUnsure, "", unsureWords...)
	l.add(tagItem, "!"+noneMention, noneWords...)
	for name, ws := range symptomWords {
		l.add(tagItem, name, ws...)
	}
	l.add(tagBreak, "", breakWords...)
	l.add(tagNo, "", negators...)
	l.add(tagPresent, "", presenceWords...)
	l.add(tagHedge, "", hedgeWords...)
	l.add(tagFiller, "", symptomFillers...)
	l.add(tagFiller, "", fillerWords...)
	l.add(tagFiller, "", "最近", "这几天", "有没有", "症状", "身上", "recently", "symptoms", "these days")
	return l
})

// Symptoms reads which symptoms the resident reports or denies ("没有发烧，
// 有点咳嗽" → fever absent, cough present). Value is []Finding in the order
// said; an empty slice means "none" (都没有, "no symptoms", a lone 没有).
func Symptoms(text string) Result {
	u := units(text)
	if len(u) == 0 {
		return fail(Empty)
	}
	ms := symptomLexicon().scan(u)
	p := polarize(ms)
	switch {
	case p.unsure:
		return fail(Unsure)
	case p.conflict:
		return fail(Conflict)
	}
	// "none" said next to a present symptom (都挺好，就是有点咳嗽) yields to it.
	found := make([]Finding, 0, len(p.findings))
	none := false
	for _, f := range p.findings {
		if f.Name == noneMention {
			none = true
			continue
		}
		found = append(found, f)
	}
	if len(found) == 0 && !none && p.negators == 0 {
		return fail(NoMatch)
	}
	known, total := count(ms)
	c := confidence(known, total, len(found)+1)
	if p.hedge {
		c = min(c, 0.6)
	}
	return ok(found, c)
}
