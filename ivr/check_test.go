package ivr

import (
	"strings"
	"testing"
	"unicode/utf8"
)

const head = "id: t\nversion: 1\nlanguage: zh-CN\nstart: q\nnodes:\n"

const okNodes = `  q:
    say: "是请按1，不是请按2。"
    ask: {type: yes_no}
    next: {yes: bye, no: bye, no_input: bye, no_match: bye}
  bye:
    say: "再见"
    hangup: true
`

func TestCheckErrors(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		line  int
		token string // the diagnostic's column is where this token starts on line
		msg   string
	}{
		{"unknown node", head + strings.Replace(okNodes, "no: bye", "no: nowhere", 1), 9, "nowhere", `goes to unknown node "nowhere"`},
		{"unknown start", strings.Replace(head, "start: q", "start: qq", 1) + okNodes, 1, "id", `unknown start node "qq"`},
		{"unreachable node", head + okNodes + "  orphan:\n    say: hi\n    next: bye\n", 13, "orphan", "unreachable node orphan"},
		{"missing branch", head + strings.Replace(okNodes, "no: bye, ", "", 1), 6, "q", "missing branch: node q has no next node for no"},
		{"missing no_input", head + strings.Replace(okNodes, "no_input: bye, ", "", 1), 6, "q", "no no_input (or default) node"},
		{"missing next on say", head + okNodes + "  s:\n    say: hi\n", 13, "s", "has no next"},
		{"unknown answer value", head + strings.Replace(okNodes, "yes: bye", "yse: bye", 1), 9, "yse", `branch "yse" is not a possible answer`},
		{"bad range min max", head + strings.Replace(okNodes, "{type: yes_no}", "{type: number, min: 40, max: 35}", 1) +
			"", 8, "{type", "bad range: min 40 is not below max 35"},
		{"bad range max digits", head + strings.Replace(okNodes, "{type: yes_no}", "{type: number, min: 34, max: 43, scale: 1, max_digits: 2}", 1), 8, "{type",
			"needs 3 digits but max_digits is 2"},
		{"bad range retries", head + strings.Replace(okNodes, "{type: yes_no}", "{type: yes_no, retries: 9}", 1), 8, "9", "retries must be between 0 and 5"},
		{"bad range comparison", head + strings.Replace(strings.Replace(okNodes, "{type: yes_no}", "{type: number, min: 34, max: 43}", 1),
			"yes: bye, no: bye", `">= 50": bye, default: bye`, 1), 9, `">= 50"`, "compares outside the answer range"},
		{"bad timeout", head + strings.Replace(okNodes, "{type: yes_no}", "{type: yes_no, timeout: 5m}", 1), 8, "5m", "at most 1m"},
		{"loop with no way out", head + "  q:\n    say: a\n    next: r\n  r:\n    say: b\n    next: q\n", 6, "q", "loop with no way out: q, r"},
		{"unknown template field", head + strings.Replace(okNodes, "是请按1", "{{.Resident.Age}}是请按1", 1), 7, "{{", "unknown template field {{.Resident.Age}}"},
		{"unmasked name", head + strings.Replace(okNodes, "是请按1", "{{.Resident.Name}}", 1), 7, "{{", "use {{.Resident.MaskedName}}"},
		{"unknown answer in template", head + strings.Replace(okNodes, "再见", "{{.Answers.fever}}", 1), 11, "{{", `unknown answer "fever"`},
		{"bad template", head + strings.Replace(okNodes, "是请按1", "{{.Org", 1), 7, `"`, "bad template"},
		{"expression does not compile", head + okNodes + "rules:\n  - when: q >= 37.3\n    alert: fever\n", 14, ">=", "does not compile"},
		{"expression unknown name", head + okNodes + "rules:\n  - when: temprature > 1\n    alert: fever\n", 14, "temprature", "does not compile"},
		{"branch expression does not compile", head + strings.Replace(okNodes, "yes: bye, no: bye", `"if q && tempreture > 1": bye, default: bye`, 1), 9, "tempreture", "unknown name tempreture"},
		{"unknown field", head + strings.Replace(okNodes, "{type: yes_no}", "{type: yes_no, tmeout: 5s}", 1), 8, "tmeout", `unknown field "tmeout" in ask`},
		{"unknown answer type", head + strings.Replace(okNodes, "yes_no", "yesno", 1), 8, "yesno", `unknown answer type "yesno"`},
		{"not yaml", head + "  q: [\n", 6, "", "not valid YAML"},
		{"duplicate node", head + okNodes + "  bye:\n    say: x\n    hangup: true\n", 13, "bye", `"bye" appears twice`},
		{"key clash", head + strings.Replace(okNodes, "{type: yes_no}", "{type: yes_no, no: \"9\"}", 1) + "keys: {opt_out: \"9\", opt_out_say: bye}\n", 8, "{type", "also the opt_out key"},
		{"set unknown variable", head + strings.Replace(okNodes, "    ask:", "    set: {score: \"1\"}\n    ask:", 1), 8, `"1"`, `unknown variable "score"`},
		{"missing required", "id: t\nlanguage: zh\nstart: q\nnodes:\n" + okNodes, 1, "id", `missing "version"`},
		{"hangup with next", head + strings.Replace(okNodes, "    hangup: true", "    hangup: true\n    next: q", 1), 10, "bye", "cannot have next"},
		{"choice needs options", head + strings.Replace(okNodes, "{type: yes_no}", "{type: choice}", 1), 8, "{type", "at least two options"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags, _ := Check("s.yaml", []byte(tt.src), CheckOptions{})
			lines := strings.Split(tt.src, "\n")
			col := 1
			if tt.token != "" {
				i := strings.Index(lines[tt.line-1], tt.token)
				if i < 0 {
					t.Fatalf("token %q not on line %d: %q", tt.token, tt.line, lines[tt.line-1])
				}
				col = utf8.RuneCountInString(lines[tt.line-1][:i]) + 1
			}
			for _, d := range diags {
				if d.Line == tt.line && d.Col == col && strings.Contains(d.Msg, tt.msg) {
					if want := "s.yaml:"; !strings.HasPrefix(d.String(), want) {
						t.Errorf("diagnostic prints as %q", d)
					}
					return
				}
			}
			t.Errorf("want s.yaml:%d:%d: ...%s...; got:\n%s", tt.line, col, tt.msg, Diagnostics(diags).Error())
		})
	}
}

func TestCheckMissingAudio(t *testing.T) {
	src := head + strings.Replace(okNodes, "    hangup: true", "    audio: bye.wav\n    hangup: true", 1) +
		"voice: {audio_dir: prompts}\n"
	exists := func(rel string) bool { return rel == "prompts/other.wav" }
	diags, _ := Check("s.yaml", []byte(src), CheckOptions{AudioExists: exists})
	if len(diags) != 1 || diags[0].String() != "s.yaml:12:12: missing audio file prompts/bye.wav" {
		t.Fatalf("got %v", diags)
	}
	ok := func(rel string) bool { return rel == "prompts/bye.wav" }
	if diags, sum := Check("s.yaml", []byte(src), CheckOptions{AudioExists: ok}); len(diags) != 0 || sum.Nodes != 2 {
		t.Fatalf("got %v %+v", diags, sum)
	}
}

func TestCheckSummary(t *testing.T) {
	diags, sum := Check("s.yaml", []byte(head+okNodes), CheckOptions{})
	if len(diags) > 0 {
		t.Fatal(Diagnostics(diags))
	}
	if sum.Nodes != 2 || sum.Questions != 1 || len(sum.LongestPath) != 2 || sum.LongestDuration <= 18*time1s {
		t.Fatalf("summary %+v", sum)
	}
	if !strings.Contains(sum.String(), "q → bye") {
		t.Errorf("summary string %q", sum)
	}
}

func TestLoadReturnsDiagnostics(t *testing.T) {
	_, err := Load([]byte(head + strings.Replace(okNodes, "no: bye", "no: nowhere", 1)))
	var ds Diagnostics
	if err == nil || !asDiagnostics(err, &ds) || len(ds) != 1 || !strings.HasPrefix(ds[0].String(), "script:9:") {
		t.Fatalf("err %v", err)
	}
}
