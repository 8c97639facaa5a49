package ivr

import (
	"fmt"
	"sort"
	"strings"
	"text/template"
	"text/template/parse"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Prompt template fields, checked when the script loads:
//
//	{{.Org}}                 the office calling
//	{{.Today}}               today's date in the script's language
//	{{.Resident.MaskedName}} the resident's name as 张*华
//	{{.Resident.Name}}       the full name (only with unmask_names: true)
//	{{.Campaign.Name}}       the campaign's name
//	{{.Answers.KEY}}         an answer given earlier in the call
//	{{.Vars.NAME}}           a script variable
const knownFields = ".Org, .Today, .Resident.MaskedName, .Campaign.Name, .Answers.<answer key>, .Vars.<variable>"

// promptFuncs is the only function map prompts may use: none beyond the
// text/template built-ins.
func promptFuncs() template.FuncMap { return template.FuncMap{} }

func (p *parser) compileTemplate(s *Script, t pendingTemplate) *template.Template {
	tm, err := template.New(t.what).Option("missingkey=error").Funcs(promptFuncs()).Parse(t.text)
	if err != nil {
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		p.errAt(posOf(t.n), "%s: bad template: %s", t.what, msg)
		return nil
	}
	if tm.Tree == nil {
		return tm
	}
	ok := true
	walkTemplate(tm.Tree.Root, func(n parse.Node, msg string) {
		ok = false
		off := int(n.Position())
		if off <= len(t.text) {
			off = max(strings.LastIndex(t.text[:off], "{{"), 0)
		}
		p.errAt(textPos(t.n, t.text, off), "%s: %s", t.what, msg)
	}, func(f *parse.FieldNode) string { return fieldProblem(s, f.Ident) })
	if !ok {
		return nil
	}
	return tm
}

// textPos maps a byte offset inside a scalar's text to a line and column
// when the scalar is written on one line; otherwise the scalar's start.
func textPos(n *yaml.Node, text string, off int) Pos {
	pos := posOf(n)
	if off < 0 || off > len(text) || strings.Contains(text, "\n") || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return pos
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		pos.Col++
	}
	pos.Col += utf8.RuneCountInString(text[:off])
	return pos
}

func walkTemplate(n parse.Node, bad func(parse.Node, string), field func(*parse.FieldNode) string) {
	switch n := n.(type) {
	case nil:
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkTemplate(c, bad, field)
		}
	case *parse.ActionNode:
		walkTemplate(n.Pipe, bad, field)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		if len(n.Decl) > 0 {
			bad(n, "variables ($x :=) are not allowed in prompts")
		}
		for _, c := range n.Cmds {
			for _, a := range c.Args {
				walkTemplate(a, bad, field)
			}
		}
	case *parse.IfNode:
		walkTemplate(n.Pipe, bad, field)
		walkTemplate(n.List, bad, field)
		walkTemplate(n.ElseList, bad, field)
	case *parse.FieldNode:
		if msg := field(n); msg != "" {
			bad(n, msg)
		}
	case *parse.TextNode, *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.IdentifierNode:
	default:
		bad(n, fmt.Sprintf("%q is not allowed in prompts: use fields such as {{.Org}} and {{if}}", n.String()))
	}
}

// fieldProblem says what is wrong with a template field, or "".
func fieldProblem(s *Script, ident []string) string {
	name := "{{." + strings.Join(ident, ".") + "}}"
	unknown := fmt.Sprintf("unknown template field %s (known: %s)", name, knownFields)
	switch {
	case len(ident) == 1 && (ident[0] == "Org" || ident[0] == "Today"):
		return ""
	case len(ident) != 2:
		return unknown
	case ident[0] == "Resident" && ident[1] == "MaskedName":
		return ""
	case ident[0] == "Resident" && ident[1] == "Name":
		if s.UnmaskNames {
			return ""
		}
		return "{{.Resident.Name}} speaks the full name: use {{.Resident.MaskedName}}, or set unmask_names: true"
	case ident[0] == "Campaign" && ident[1] == "Name":
		return ""
	case ident[0] == "Answers":
		if _, ok := s.answers[ident[1]]; ok {
			return ""
		}
		return fmt.Sprintf("unknown answer %q in %s (answers: %s)", ident[1], name, strings.Join(sortedKeys(s.answers), ", "))
	case ident[0] == "Vars":
		if _, ok := s.Vars[ident[1]]; ok {
			return ""
		}
		return fmt.Sprintf("unknown variable %q in %s: declare it under vars", ident[1], name)
	}
	return unknown
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// render executes a prompt template; a nil template renders the raw text.
func render(t *template.Template, raw string, data any) (string, error) {
	if t == nil {
		return raw, nil
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("render prompt: %w", err)
	}
	return b.String(), nil
}
