package ivr

import (
	"strings"
	"text/template"
	"time"
)

// ResidentPrompts renders, for one resident, every prompt whose template
// uses only the resident's and campaign's fields (not answers or variables
// set during the call), so the robot can synthesise them before dialing and
// no resident waits for TTS. Static prompts are not included (see
// Script.StaticPrompts); nor are prompts that fail to render.
func (e *Engine) ResidentPrompts(d Data, now time.Time) []string {
	r := e.newRun(nil, d)
	if d.Today.IsZero() {
		r.data.Today = formatDate(e.s.Language, now)
	}
	seen := map[string]bool{}
	var out []string
	for _, id := range e.s.Order {
		n := e.s.Nodes[id]
		add := func(t *template.Template, raw string) {
			if t == nil || !strings.Contains(raw, "{{") || strings.Contains(raw, ".Answers") || strings.Contains(raw, ".Vars") {
				return
			}
			text, err := render(t, raw, r.data)
			if err == nil && text != "" && !seen[text] {
				seen[text] = true
				out = append(out, text)
			}
		}
		add(n.say, n.Say)
		if n.Ask != nil {
			add(n.Ask.reprompt, n.Ask.Reprompt)
		}
	}
	return out
}
