package ivr

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// exprEnv is the typed environment of rule, branch and set expressions: one
// entry per answer key (bool for yes_no, number for number, text otherwise)
// and per variable.
func exprEnv(s *Script) map[string]any {
	env := make(map[string]any, len(s.answers)+len(s.Vars))
	for k, t := range s.answers {
		env[k] = zeroOf(t)
	}
	for k, v := range s.Vars {
		env[k] = v
	}
	return env
}

func zeroOf(t AnswerType) any {
	switch t {
	case TypeYesNo:
		return false
	case TypeNumber:
		return 0.0
	}
	return ""
}

func (p *parser) compileExprs(s *Script, env map[string]any) {
	for _, r := range s.Rules {
		r.prog, r.refs = p.compileExpr(s, env, r.When, r.pos, 0, expr.AsBool())
	}
	for _, id := range s.Order {
		n := s.Nodes[id]
		for i := range n.Next.Cases {
			c := &n.Next.Cases[i]
			if c.Expr != "" {
				c.prog, c.refs = p.compileExpr(s, env, c.Expr, c.exprPos, 0, expr.AsBool())
			}
		}
		for i := range n.Set {
			a := &n.Set[i]
			init, ok := s.Vars[a.Var]
			if !ok {
				p.errAt(a.pos, "set: unknown variable %q: declare it under vars", a.Var)
				continue
			}
			a.prog, a.refs = p.compileExpr(s, env, a.Expr, a.pos, 0, expr.AsKind(reflect.TypeOf(init).Kind()))
		}
	}
}

// compileExpr compiles one expression; shift is the column of the
// expression inside its YAML scalar.
func (p *parser) compileExpr(s *Script, env map[string]any, code string, pos Pos, shift int, as expr.Option) (*vm.Program, []string) {
	if code == "" {
		p.errAt(pos, "empty expression")
		return nil, nil
	}
	prog, err := expr.Compile(code, expr.Env(env), as)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			if fe.Line <= 1 {
				pos.Col += shift + fe.Column
			}
			p.errAt(pos, "expression %q does not compile: %s", code, fe.Message)
		} else {
			p.errAt(pos, "expression %q does not compile: %v", code, err)
		}
		return nil, nil
	}
	refs := identifiers(prog, s)
	return prog, refs
}

type identVisitor struct {
	s    *Script
	seen map[string]bool
	out  []string
}

func (v *identVisitor) Visit(n *ast.Node) {
	id, ok := (*n).(*ast.IdentifierNode)
	if !ok || v.seen[id.Value] {
		return
	}
	if _, isAnswer := v.s.answers[id.Value]; isAnswer {
		v.seen[id.Value] = true
		v.out = append(v.out, id.Value)
	}
}

// identifiers lists the answers an expression reads: it is only evaluated
// when all of them were answered.
func identifiers(prog *vm.Program, s *Script) []string {
	v := &identVisitor{s: s, seen: map[string]bool{}}
	node := prog.Node()
	ast.Walk(&node, v)
	return v.out
}

// evalBool runs a compiled condition; ran is false when an answer it reads
// is missing.
func evalBool(prog *vm.Program, refs []string, env map[string]any, answered map[string]bool) (val, ran bool, err error) {
	if prog == nil {
		return false, false, nil
	}
	for _, r := range refs {
		if !answered[r] {
			return false, false, nil
		}
	}
	out, err := expr.Run(prog, env)
	if err != nil {
		return false, true, fmt.Errorf("evaluate expression: %w", err)
	}
	b, _ := out.(bool)
	return b, true, nil
}

func runProgram(prog *vm.Program, env map[string]any) (any, error) {
	out, err := expr.Run(prog, env)
	if err != nil {
		return nil, fmt.Errorf("evaluate expression: %w", err)
	}
	return out, nil
}
