package ivr

import "go.yaml.in/yaml/v3"

// rules reads the rules list:
//
//	rules:
//	  - when: "temperature >= 37.3"
//	    alert: fever
//	    note: 体温偏高
//	  - when: "left_home"
//	    flag: left_home
func (p *parser) rules(s *Script, n *yaml.Node) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		p.errf(n, "rules must be a list of {when, flag or alert, note}")
		return
	}
	for _, item := range n.Content {
		r := &Rule{pos: posOf(item)}
		for _, kv := range p.mapping(item, "rule") {
			switch kv.k.Value {
			case "when":
				r.When, r.pos = p.str(kv.v, "when"), posOf(kv.v)
			case "flag":
				r.Flag = p.str(kv.v, "flag")
			case "alert":
				r.Flag, r.Alert = p.str(kv.v, "alert"), true
			case "note":
				r.Note = p.str(kv.v, "note")
			default:
				p.errf(kv.k, "unknown field %q in rule (expected when, flag, alert, note)", kv.k.Value)
			}
		}
		switch {
		case r.When == "":
			p.errf(item, "a rule needs when: the condition")
		case r.Flag == "":
			p.errf(item, "a rule needs flag or alert: the name it raises")
		case !validIdent(r.Flag):
			p.errf(item, "flag name %q must be letters, digits and _", r.Flag)
		}
		s.Rules = append(s.Rules, r)
	}
}
