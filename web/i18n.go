package web

import (
	"net/http"
)

// Lang is a console language.
type Lang string

// Console languages; Chinese is the default.
const (
	LangZH Lang = "zh"
	LangEN Lang = "en"
)

const langCookie = "outreach_lang"

// langOf reads the language cookie (default Chinese).
func langOf(r *http.Request) Lang {
	if c, err := r.Cookie(langCookie); err == nil && c.Value == string(LangEN) {
		return LangEN
	}
	return LangZH
}

// catalogue holds the console's messages: key → {zh, en}.
var catalogue = map[string][2]string{
	"app":                 {"居民健康随访外呼", "Resident outreach"},
	"nav.dashboard":       {"今日概况", "Today"},
	"nav.residents":       {"居民", "Residents"},
	"nav.observations":    {"居家观察", "Observation"},
	"nav.campaigns":       {"外呼任务", "Campaigns"},
	"nav.results":         {"结果", "Results"},
	"nav.alerts":          {"预警", "Alerts"},
	"nav.scripts":         {"话术", "Scripts"},
	"nav.settings":        {"设置", "Settings"},
	"logout":              {"退出", "Sign out"},
	"login":               {"登录", "Sign in"},
	"username":            {"用户名", "Username"},
	"password":            {"密码", "Password"},
	"login.failed":        {"用户名或密码错误", "Wrong username or password"},
	"login.limited":       {"失败次数过多，请稍后再试", "Too many failed attempts; try again later"},
	"role.admin":          {"管理员", "Administrator"},
	"role.street":         {"街道工作人员", "Street staff"},
	"role.community":      {"社区工作人员", "Community staff"},
	"running":             {"进行中的任务", "Running campaigns"},
	"live":                {"通话中", "Live calls"},
	"due":                 {"应呼", "Due"},
	"answered":            {"已接通", "Answered"},
	"completed":           {"完成", "Completed"},
	"abnormal":            {"异常", "Abnormal"},
	"unreachable":         {"未接通", "Unreachable"},
	"open.alerts":         {"待处理预警", "Open alerts"},
	"none":                {"暂无", "None"},
	"name":                {"姓名", "Name"},
	"phone":               {"电话", "Phone"},
	"community":           {"社区", "Community"},
	"search":              {"搜索", "Search"},
	"search.hint":         {"姓名或手机号", "Name or phone"},
	"import":              {"导入名单", "Import list"},
	"import.file":         {"Excel 或 CSV 文件", "Excel or CSV file"},
	"import.preview":      {"预览", "Preview"},
	"import.confirm":      {"确认导入", "Import now"},
	"import.mapping":      {"列对应", "Column mapping"},
	"import.column":       {"文件中的列", "Column in file"},
	"import.field":        {"识别为", "Read as"},
	"import.ignored":      {"忽略", "ignored"},
	"import.report":       {"检查结果", "Report"},
	"import.rows":         {"行数", "Rows"},
	"import.new":          {"新增", "New"},
	"import.existing":     {"已存在", "Already present"},
	"import.bad":          {"错误行", "Bad rows"},
	"import.done":         {"导入完成", "Import finished"},
	"line":                {"行号", "Line"},
	"reason":              {"原因", "Reason"},
	"release":             {"解除日期", "Release date"},
	"start":               {"开始日期", "Start"},
	"days.left":           {"剩余天数", "Days left"},
	"open.ended":          {"未定", "open-ended"},
	"campaign.new":        {"新建外呼任务", "New campaign"},
	"campaign.name":       {"任务名称", "Name"},
	"script":              {"话术", "Script"},
	"target":              {"呼叫对象", "Who to call"},
	"target.community":    {"社区全部居民", "Everyone in a community"},
	"target.grid":         {"网格", "A grid"},
	"target.tag":          {"名单/标签", "A list or tag"},
	"target.observation":  {"居家观察人员", "Everyone under observation"},
	"target.ref":          {"社区/网格/名单名称", "Community, grid or list name"},
	"schedule":            {"时间安排", "Schedule"},
	"schedule.now":        {"立即（手动启动）", "Now (start by hand)"},
	"schedule.cron":       {"每天定时（如 09:00,16:00）", "Every day at (e.g. 09:00,16:00)"},
	"windows":             {"允许呼叫时段", "Calling windows"},
	"limits":              {"并发线路上限", "Max lines"},
	"retries":             {"最多呼叫次数", "Max attempts"},
	"daily.cap":           {"每号每日上限", "Daily cap per number"},
	"create":              {"创建", "Create"},
	"state":               {"状态", "State"},
	"state.draft":         {"草稿", "draft"},
	"state.scheduled":     {"已排期", "scheduled"},
	"state.running":       {"进行中", "running"},
	"state.paused":        {"已暂停", "paused"},
	"state.completed":     {"已完成", "completed"},
	"state.cancelled":     {"已取消", "cancelled"},
	"launch":              {"启动", "Launch"},
	"pause":               {"暂停", "Pause"},
	"resume":              {"继续", "Resume"},
	"cancel":              {"取消任务", "Cancel"},
	"progress":            {"进度", "Progress"},
	"outcomes":            {"结果分布", "Outcomes"},
	"in.progress":         {"正在通话", "Calls in progress"},
	"finished":            {"已全部完成", "All done"},
	"export.xlsx":         {"下载 Excel 报表", "Download Excel report"},
	"export.csv":          {"下载 CSV", "Download CSV"},
	"export.unmasked":     {"下载完整号码版（留痕）", "Download with full numbers (audited)"},
	"calls":               {"通话记录", "Calls"},
	"answers":             {"回答", "Answers"},
	"recording":           {"录音", "Recording"},
	"outcome":             {"结果", "Outcome"},
	"calls.pending":       {"通话明细列表暂不可用，请下载报表。", "The call list is not available yet; download the report."},
	"kind":                {"类型", "Kind"},
	"day":                 {"日期", "Day"},
	"status":              {"状态", "Status"},
	"status.open":         {"待处理", "open"},
	"status.acknowledged": {"已认领", "acknowledged"},
	"status.resolved":     {"已解决", "resolved"},
	"acknowledge":         {"认领", "Acknowledge"},
	"resolve":             {"解决", "Resolve"},
	"assign":              {"指派", "Assign"},
	"notes":               {"备注", "Notes"},
	"kind.unreachable":    {"多次未接通", "unreachable"},
	"kind.fever":          {"发热", "fever"},
	"high":                {"紧急", "urgent"},
	"script.upload":       {"上传话术", "Upload a script"},
	"script.validate":     {"检查", "Validate"},
	"script.ok":           {"检查通过", "Valid"},
	"script.errors":       {"发现问题", "Problems found"},
	"version":             {"版本", "Version"},
	"listen":              {"试听", "Listen"},
	"nodes":               {"节点", "Nodes"},
	"questions":           {"问题", "Questions"},
	"trunks":              {"中继线路", "Trunks"},
	"up":                  {"正常", "up"},
	"down":                {"异常", "down"},
	"users":               {"用户", "Users"},
	"user.new":            {"新建用户", "New user"},
	"role":                {"角色", "Role"},
	"org.unit":            {"所属单位", "Unit"},
	"can.unmask":          {"可查看完整号码", "May see full numbers"},
	"token.new":           {"生成 API 令牌", "Create API token"},
	"token.name":          {"令牌用途", "Token name"},
	"token.once":          {"令牌只显示这一次：", "Shown once only:"},
	"saved":               {"已保存", "Saved"},
	"error":               {"出错了", "Something went wrong"},
	"forbidden":           {"您没有权限", "You may not do this"},
	"not.available":       {"暂不可用", "Not available yet"},
	"back":                {"返回", "Back"},
	"field.name":          {"姓名", "name"},
	"field.phone":         {"电话", "phone"},
	"field.id_number":     {"身份证号", "ID number"},
	"field.address":       {"地址", "address"},
	"field.community":     {"社区", "community"},
	"field.grid":          {"网格", "grid"},
	"field.start":         {"观察开始日期", "observation start"},
	"field.release":       {"解除日期", "release date"},
	"field.notes":         {"备注", "notes"},
	"field.household":     {"户号", "household"},
	"field.tags":          {"标签", "tags"},
	"field.language":      {"语言", "language"},
	"field.reason":        {"观察原因", "reason"},
	"lang.switch":         {"English", "中文"},
}

// message returns key in lang (the key itself when missing).
func message(l Lang, key string) string {
	m, ok := catalogue[key]
	if !ok {
		return key
	}
	if l == LangEN {
		return m[1]
	}
	return m[0]
}
