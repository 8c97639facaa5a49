package meaning

// Finding is one symptom (or option) mentioned, present or denied.
type Finding struct {
	Name    string
	Present bool
}

// polarity is what a scan of mentions says.
type polarity struct {
	findings []Finding
	negators int  // negators seen (a lone 没有 answers "any symptoms?")
	unsure   bool // a hedge-question: not understood
	hedge    bool
	conflict bool // the same item both present and denied
}

// polarize reads mentions (tagItem) clause by clause. A negator (没有, 不,
// "no", "dont have") negates the items after it up to a presence word (有点,
// "a bit") or the end of the clause; a negator after the items of a clause
// with nothing after it negates them (发烧没有). An item whose value starts
// with "!" is denied by itself (头不疼, 退烧).
func polarize(ms []match) polarity {
	var p polarity
	seen := map[string]int{} // name → index in findings
	neg, clauseStart, trailing := false, 0, false
	closeClause := func() {
		if trailing {
			for i := clauseStart; i < len(p.findings); i++ {
				p.findings[i].Present = false
			}
		}
		neg, trailing, clauseStart = false, false, len(p.findings)
	}
	for _, m := range ms {
		switch m.tag {
		case tagBreak:
			closeClause()
		case tagUnsure:
			p.unsure = true
		case tagHedge:
			p.hedge = true
		case tagNo:
			neg = true
			p.negators++
			trailing = len(p.findings) > clauseStart
		case tagPresent:
			neg, trailing = false, false
		case tagItem:
			name, present := m.value, !neg
			if len(name) > 0 && name[0] == '!' {
				name, present = name[1:], false
			}
			trailing = false
			if i, dup := seen[name]; dup {
				if p.findings[i].Present != present {
					p.conflict = true
				}
				continue
			}
			seen[name] = len(p.findings)
			p.findings = append(p.findings, Finding{Name: name, Present: present})
		}
	}
	closeClause()
	return p
}
