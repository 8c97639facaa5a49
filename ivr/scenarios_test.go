package ivr

// goldenScenarios are the scripted calls run over each sample script; the
// golden test fails unless together they take every branch of the script.
func goldenScenarios() map[string][]scenario {
	return map[string][]scenario{
		"daily-health-check.zh.yaml": dailyHealthCheck("zh"),
		"daily-health-check.en.yaml": dailyHealthCheck("en"),
		"return-screening.zh.yaml":   returnScreening("zh"),
		"return-screening.en.yaml":   returnScreening("en"),
		"notice-broadcast.zh.yaml":   noticeBroadcast("zh"),
		"notice-broadcast.en.yaml":   noticeBroadcast("en"),
	}
}

func dailyHealthCheck(lang string) []scenario {
	words := map[string]map[string]string{
		"zh": {"me": "对，是我", "temp": "三十六度八，就是36.8", "no": "没有", "tired": "有点累", "food": "想买点菜",
			"yes": "是的", "mumble": "嗯……那个", "optout": "以后不要再打了", "repeat": "没听清，再说一遍"},
		"en": {"me": "yes it's me", "temp": "it is 36.8", "no": "no", "tired": "a bit tired", "food": "some food please",
			"yes": "yes", "mumble": "hmm well", "optout": "please stop calling", "repeat": "say again please"},
	}[lang]
	toIdentity := []step{}
	toTemp := []step{K("1")}
	toCough := cat(toTemp, []step{K("365#")})
	well := []step{K("2"), K("2"), K("2"), K("2"), K("2"), K("3")}
	sick := []step{K("1"), K("1"), K("1"), K("1"), K("1"), K("1")}
	silentAt := func(prefix []step) []step { return cat(prefix, rep(N(), 3)) }
	return []scenario{
		{name: "well, all by keys", steps: cat(toCough, well)},
		{name: "fever and symptoms, transferred to the doctor", steps: cat(toTemp, []step{K("385#")}, sick, []step{K("1")})},
		{name: "unwell, transfer fails", steps: cat(toCough, []step{K("1"), K("2"), K("2"), K("2"), K("2"), K("2"), K("1")}), transferFails: true},
		{name: "unwell, declines the doctor", steps: cat(toCough, []step{K("2"), K("2"), K("1"), K("2"), K("2"), K("3"), K("2")})},
		{name: "doctor question unanswered", steps: cat(toCough, []step{K("2"), K("1"), K("2"), K("2"), K("2"), K("3"), N(), N()})},
		{name: "doctor question not understood", steps: cat(toCough, []step{K("1"), K("2"), K("2"), K("2"), K("2"), K("3"), K("5"), K("5")})},
		{name: "family member answers", steps: []step{K("2"), K("1")}},
		{name: "wrong number", steps: []step{K("2"), K("2")}},
		{name: "family question not understood", steps: []step{K("2"), K("7"), K("7")}},
		{name: "family question unanswered", steps: []step{K("2"), N(), N()}},
		{name: "silent from the start", steps: silentAt(toIdentity)},
		{name: "identity not understood", steps: []step{K("5"), K("#"), K("8")}},
		{name: "silent at temperature", steps: silentAt(toTemp)},
		{name: "temperature out of range three times", steps: cat(toTemp, []step{K("999#"), K("12#"), K("3#")}, well)},
		{name: "silent at cough", steps: silentAt(toCough)},
		{name: "silent at fatigue", steps: silentAt(cat(toCough, []step{K("2")}))},
		{name: "silent at taste and smell", steps: silentAt(cat(toCough, []step{K("2"), K("2")}))},
		{name: "silent at contact", steps: silentAt(cat(toCough, []step{K("2"), K("2"), K("2")}))},
		{name: "silent at leaving home", steps: silentAt(cat(toCough, []step{K("2"), K("2"), K("2"), K("2")}))},
		{name: "silent at needs", steps: silentAt(cat(toCough, []step{K("2"), K("2"), K("2"), K("2"), K("2")}))},
		{name: "wrong keys everywhere, then retry succeeds", steps: cat(toCough,
			rep(K("7"), 3), rep(K("7"), 3), rep(K("7"), 3), rep(K("7"), 3), rep(K("7"), 3), rep(K("7"), 3))},
		{name: "retry after silence, then answers", steps: cat([]step{N(), K("1"), N(), K("372#")}, well)},
		{name: "barge-in, repeat key and barge-in off", steps: cat([]step{B("*"), L(), B("1"), B("375#"), K("*"), K("1"), B("2"), B("2"), B("2"), B("2"), B("1"), L(), B("2"), B("2"), B("2")})},
		{name: "repeat too often counts as not understood", steps: cat(toTemp, []step{K("*"), K("*"), K("*"), K("*"), K("366#")}, well)},
		{name: "opt out by key", steps: []step{K("9")}},
		{name: "opt out during the greeting", steps: []step{B("9")}},
		{name: "opt out by speech", steps: cat(toCough, []step{S(words["optout"])})},
		{name: "answers by speech", steps: []step{S(words["me"]), S(words["temp"]), S(words["no"]), BS(words["tired"]),
			S(words["repeat"]), S(words["no"]), S(words["no"]), S(words["no"]), S(words["food"]), S(words["no"])}},
		{name: "mumbling and low confidence speech", steps: cat([]step{S(words["mumble"]), Low(words["yes"]), S(words["yes"])}, []step{K("365#")}, well)},
		{name: "hangs up in the middle", steps: cat(toCough, []step{K("2"), H()})},
	}
}

func returnScreening(lang string) []scenario {
	words := map[string]map[string]string{
		"zh": {"me": "是我", "origin": "从外省回来的", "travel": "坐高铁", "fine": "都挺好", "unwell": "有点发烧",
			"symptoms": "嗓子疼，有点低烧", "optout": "别再打了", "mumble": "嗯"},
		"en": {"me": "speaking", "origin": "from another province", "travel": "by train", "fine": "I feel fine", "unwell": "a little fever",
			"symptoms": "I have a sore throat and a slight fever", "optout": "please do not call again", "mumble": "hmm"},
	}[lang]
	toOrigin := []step{K("1")}
	toArrival := []step{K("1"), K("1")}
	toTravel := []step{K("1"), K("1"), K("1125")}
	toHealth := []step{K("1"), K("1"), K("1125"), K("2")}
	return []scenario{
		{name: "well, all by keys", steps: cat(toHealth, []step{K("2")})},
		{name: "from abroad, unwell, describes symptoms", steps: []step{K("1"), K("3"), K("1120"), K("1"), K("1"), S(words["symptoms"])}},
		{name: "wrong number", steps: []step{K("2")}},
		{name: "silent from the start", steps: rep(N(), 3)},
		{name: "identity not understood", steps: rep(K("5"), 3)},
		{name: "silent at origin", steps: cat(toOrigin, rep(N(), 3))},
		{name: "origin not understood", steps: cat(toOrigin, rep(K("7"), 3))},
		{name: "silent at arrival", steps: cat(toArrival, rep(N(), 3))},
		{name: "arrival date not understood", steps: cat(toArrival, []step{K("12"), K("1"), K("999"), K("3"), K("2")})},
		{name: "silent at travel", steps: cat(toTravel, rep(N(), 3))},
		{name: "travel not understood", steps: cat(toTravel, rep(K("6"), 3))},
		{name: "silent at health", steps: cat(toHealth, rep(N(), 3))},
		{name: "health not understood", steps: cat(toHealth, rep(K("0"), 3))},
		{name: "unwell, says nothing more", steps: cat(toHealth, []step{K("1"), N(), N()})},
		{name: "unwell, symptoms not understood", steps: cat(toHealth, []step{K("1"), Low(words["mumble"]), Low(words["mumble"])})},
		{name: "barge-in everywhere, ignored where off", steps: []step{B("1"), L(), B("2"), B("1124#"), B("4"), B("2"), B("1")}},
		{name: "repeat key, then answers", steps: cat(toOrigin, []step{K("*"), K("2"), K("*"), K("1124"), K("3"), K("2")})},
		{name: "opt out by key", steps: cat(toOrigin, []step{K("9")})},
		{name: "opt out by speech at the free question", steps: cat(toHealth, []step{K("1"), S(words["optout"])})},
		{name: "answers by speech", steps: []step{S(words["me"]), S(words["origin"]), S("1125"), S(words["travel"]), S(words["fine"])}},
		{name: "unwell by speech", steps: cat(toHealth, []step{S(words["unwell"]), BS(words["symptoms"])})},
		{name: "hangs up at the date", steps: cat(toArrival, []step{H()})},
	}
}

func noticeBroadcast(lang string) []scenario {
	words := map[string]map[string]string{
		"zh": {"heard": "知道了", "again": "没听清", "optout": "不要再打了"},
		"en": {"heard": "got it, thanks", "again": "again please", "optout": "stop calling me"},
	}[lang]
	return []scenario{
		{name: "heard it", steps: []step{K("1")}},
		{name: "again, then heard", steps: []step{K("2"), K("1")}},
		{name: "again three times", steps: []step{K("2"), K("2"), K("2")}},
		{name: "silent", steps: []step{N(), N()}},
		{name: "retry after silence", steps: []step{N(), K("1")}},
		{name: "not understood", steps: []step{K("5"), K("5")}},
		{name: "key during the notice is ignored (barge-in off), then confirms during the question", steps: []step{B("1"), B("1")}},
		{name: "repeat key", steps: []step{K("*"), K("1")}},
		{name: "opt out by key", steps: []step{K("9")}},
		{name: "opt out by speech", steps: []step{S(words["optout"])}},
		{name: "answers by speech", steps: []step{S(words["again"]), S(words["heard"])}},
		{name: "hangs up", steps: []step{H()}},
	}
}
