package meaning

// Word lists shared by the interpreters. Longer phrases win over shorter
// ones at the same position, so 没错 (yes) beats 没 (no) and "not sure"
// (unsure) beats "not" (no).

var unsureWords = []string{
	"可能", "可能吧", "也许", "或许", "不知道", "不晓得", "不清楚", "不确定", "说不准", "不好说", "说不清",
	"好像", "不记得", "忘了", "记不清", "记不得", "什么", "啥", "你说什么", "说什么", "再说一遍", "没听清",
	"听不清", "听不见", "没听见", "谁", "哪位", "是不是", "对不对", "有没有", "是吗", "吗", "对不起",
	"不懂", "没听懂", "听不懂", "怎么", "为什么", "没量", "没测", "没有量", "没有测", "不会",
	"maybe", "perhaps", "probably", "possibly", "not sure", "unsure", "dont know", "i dont know",
	"dunno", "no idea", "what", "pardon", "sorry", "who", "who is this", "say again", "repeat",
	"come again", "huh", "hmm", "i guess", "kind of", "sort of", "not certain", "cant remember",
	"dont remember", "i forgot", "why", "how", "didnt measure", "havent measured", "didnt check",
	"i am not sure", "im not sure", "i am not certain", "im not certain", "not quite sure", "i really dont know",
}

var hedgeWords = []string{
	"大概", "大约", "左右", "差不多", "应该", "估计", "上下",
	"about", "around", "roughly", "approximately", "i think", "i believe", "or so",
}

var fillerWords = []string{
	"我", "我的", "啊", "呀", "吧", "呢", "哦", "噢", "喔", "哎", "唉", "诶", "嘛", "了", "的", "呃", "额",
	"那个", "这个", "就", "也", "都", "还", "很", "挺", "谢谢", "您", "你", "你好", "您好", "喂", "请问",
	"现在", "今天", "今天的", "目前", "一直", "身体", "啦", "哈", "嗯哼",
	"uh", "um", "er", "erm", "well", "oh", "ah", "i", "im", "am", "is", "it", "its", "the", "a", "an",
	"thanks", "thank you", "hello", "hi", "so", "just", "sir", "maam", "please", "today", "now",
	"my", "me", "this", "that", "thats", "okay so", "and", "any",
}

var breakWords = []string{
	"但是", "但", "不过", "可是", "只是", "就是有", "然后", "另外",
	"but", "except", "although", "though", "however", "only",
}

// negators negate what follows in symptom and choice answers.
var negators = []string{
	"没有", "没", "不", "无", "未", "没得", "莫得", "木有", "不是", "并没有", "从来没有", "也没有",
	"都没有", "一点也没有", "不太",
	"no", "not", "dont", "doesnt", "didnt", "havent", "hasnt", "isnt", "wasnt", "never", "without",
	"neither", "nor", "none", "no longer", "dont have", "do not", "did not", "have not", "i dont have",
	"no more",
}

// presence words mark what follows as present ("有点咳嗽", "a bit of a cough").
var presenceWords = []string{
	"有", "有点", "有一点", "有些", "一点", "有一些", "还有", "稍微", "就是", "总是", "经常",
	"a bit", "a little", "i have", "i have a", "have", "some", "slight", "slightly", "mild",
	"got", "a lot", "really",
}
