package ivr

import "fmt"

// route picks the next node: the first case that matches, else default.
func (r *run) route(n *Node, a *Answer) (next, via string) {
	for _, c := range n.Next.Cases {
		if r.matches(n, c, a) {
			return c.Goto, c.Label
		}
	}
	return n.Next.Default, "default"
}

func (r *run) matches(n *Node, c Case, a *Answer) bool {
	switch {
	case c.Expr != "":
		ok, _, err := evalBool(c.prog, c.refs, r.env, r.answered)
		if err != nil {
			r.event(EventError, n.ID, c.Label, err.Error())
		}
		return ok
	case a == nil:
		return false
	case c.Op != "":
		f, ok := a.Value.(float64)
		return ok && compare(f, c.Op, c.Num)
	}
	return valueString(a.Value) == c.Value
}

func compare(a float64, op string, b float64) bool {
	switch op {
	case ">=":
		return a >= b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case "<":
		return a < b
	case "==":
		return a == b
	case "!=":
		return a != b
	}
	return false
}

func valueString(v any) string {
	switch v := v.(type) {
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// applySet evaluates a node's variable assignments.
func (r *run) applySet(n *Node) {
	for _, as := range n.Set {
		if as.prog == nil {
			continue
		}
		missing := false
		for _, ref := range as.refs {
			missing = missing || !r.answered[ref]
		}
		if missing {
			continue
		}
		v, err := runProgram(as.prog, r.env)
		if err != nil {
			r.event(EventError, n.ID, as.Expr, err.Error())
			continue
		}
		r.env[as.Var], r.res.Vars[as.Var], r.data.Vars[as.Var] = v, v, display(r.s.Language, v)
		r.event(EventSet, n.ID, "", fmt.Sprintf("%s=%v", as.Var, v))
	}
}

// rules evaluates every rule on the final answers.
func (r *run) rules() {
	for _, rule := range r.s.Rules {
		ok, _, err := evalBool(rule.prog, rule.refs, r.env, r.answered)
		if err != nil {
			r.event(EventError, "", rule.When, err.Error())
			continue
		}
		if !ok {
			continue
		}
		r.res.Flags = append(r.res.Flags, rule.Flag)
		kind := "flag"
		if rule.Alert {
			kind = "alert"
			r.res.Alerts = append(r.res.Alerts, Alert{Flag: rule.Flag, Rule: rule.When, Note: rule.Note})
		}
		r.event(EventRule, "", rule.When, kind+" "+rule.Flag)
	}
}
