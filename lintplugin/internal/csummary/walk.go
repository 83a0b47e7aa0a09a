package csummary

import (
	"math/bits"

	"modernc.org/cc/v4"
)

// Statements. Each returns the state after the statement; a state that is
// not live means control does not reach that point. Dead code is still
// walked, without evaluating it, so that labels reached by goto are found.

func (a *summarizer) compound(s *state, cs *cc.CompoundStatement) *state {
	if cs == nil {
		return s
	}
	for l := cs.BlockItemList; l != nil && a.failed == ""; l = l.BlockItemList {
		s = a.blockItem(s, l.BlockItem)
	}
	return s
}

func (a *summarizer) blockItem(s *state, bi *cc.BlockItem) *state {
	switch bi.Case {
	case cc.BlockItemDecl:
		if s.live {
			a.declaration(s, bi.Declaration)
		}
		return s
	case cc.BlockItemStmt:
		return a.stmt(s, bi.Statement)
	case cc.BlockItemFuncDef:
		a.fail("nested function definition")
	}
	return s
}

func (a *summarizer) declaration(s *state, d *cc.Declaration) {
	if d == nil {
		return
	}
	for l := d.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
		dr := l.InitDeclarator.Declarator
		if dr == nil || dr.StorageDuration() == cc.Static || dr.Type().Kind() == cc.Function {
			continue // statics are initialised with constants, once
		}
		v := val{}
		if in := l.InitDeclarator.Initializer; in != nil {
			v = a.initializer(s, in)
		}
		a.assignInit(s, dr, v)
	}
}

func (a *summarizer) initializer(s *state, in *cc.Initializer) val {
	if in.Case == cc.InitializerExpr {
		return a.rv(s, in.AssignmentExpression)
	}
	var v val
	for l := in.InitializerList; l != nil; l = l.InitializerList {
		if l.Initializer != nil {
			v = union(v, a.initializer(s, l.Initializer))
		}
	}
	return v
}

func (a *summarizer) stmt(s *state, n *cc.Statement) *state {
	if n == nil || a.failed != "" {
		return s
	}
	switch n.Case {
	case cc.StatementLabeled:
		return a.labeled(s, n.LabeledStatement)
	case cc.StatementCompound:
		return a.compound(s, n.CompoundStatement)
	case cc.StatementExpr:
		if s.live && n.ExpressionStatement.ExpressionList != nil {
			a.lastVal = a.rv(s, n.ExpressionStatement.ExpressionList)
		}
		return s
	case cc.StatementSelection:
		return a.selection(s, n.SelectionStatement)
	case cc.StatementIteration:
		return a.iteration(s, n.IterationStatement)
	case cc.StatementJump:
		return a.jump(s, n.JumpStatement)
	case cc.StatementAsm:
		if s.live {
			a.fail("inline assembly at %s", position(n))
		}
	}
	return s
}

func (a *summarizer) labeled(s *state, ls *cc.LabeledStatement) *state {
	switch ls.Case {
	case cc.LabeledStatementLabel:
		name := ls.Token.SrcStr()
		if p := a.labels[name]; p != nil {
			s.join(p)
			delete(a.labels, name)
		}
		a.seen[name] = true
	default: // case, case range, default
		for i := len(a.loops) - 1; i >= 0; i-- {
			if ctx := a.loops[i]; ctx.isSwitch {
				s.join(ctx.entry)
				if ls.Case == cc.LabeledStatementDefault {
					ctx.hasDefault = true
				}
				break
			}
		}
	}
	return a.stmt(s, ls.Statement)
}

func (a *summarizer) selection(s *state, n *cc.SelectionStatement) *state {
	switch n.Case {
	case cc.SelectionStatementIf:
		t, f := a.cond(s, n.ExpressionList)
		t = a.stmt(t, n.Statement)
		t.join(f)
		return t
	case cc.SelectionStatementIfElse:
		t, f := a.cond(s, n.ExpressionList)
		t = a.stmt(t, n.Statement)
		f = a.stmt(f, n.Statement2)
		t.join(f)
		return t
	}
	// switch
	if s.live {
		a.rv(s, n.ExpressionList)
	}
	ctx := &loopCtx{isSwitch: true, brk: &state{}, entry: s.clone()}
	a.loops = append(a.loops, ctx)
	out := a.stmt(&state{}, n.Statement)
	a.loops = a.loops[:len(a.loops)-1]
	out.join(ctx.brk)
	if !ctx.hasDefault {
		out.join(ctx.entry)
	}
	return out
}

func (a *summarizer) iteration(s *state, n *cc.IterationStatement) *state {
	switch n.Case {
	case cc.IterationStatementWhile:
		return a.loop(s, n.ExpressionList, n.Statement, nil, true)
	case cc.IterationStatementDo:
		return a.loop(s, n.ExpressionList, n.Statement, nil, false)
	case cc.IterationStatementFor:
		if s.live && n.ExpressionList != nil {
			a.rv(s, n.ExpressionList)
		}
		return a.loop(s, n.ExpressionList2, n.Statement, n.ExpressionList3, true)
	default: // for with a declaration
		if s.live {
			a.declaration(s, n.Declaration)
		}
		return a.loop(s, n.ExpressionList, n.Statement, n.ExpressionList2, true)
	}
}

// loop iterates a loop body to a fixed point of the state at its head.
func (a *summarizer) loop(s *state, cond cc.ExpressionNode, body *cc.Statement, step cc.ExpressionNode, condFirst bool) *state {
	head := s.clone()
	for round := 0; ; round++ {
		if round == maxLoopRounds {
			a.fail("loop at %s did not settle in %d rounds", position(body), maxLoopRounds)
			return &state{}
		}
		ctx := &loopCtx{brk: &state{}, cont: &state{}}
		entry, exit := head.clone(), &state{}
		if condFirst {
			entry, exit = a.condOrTrue(entry, cond)
		}
		a.loops = append(a.loops, ctx)
		out := a.stmt(entry, body)
		a.loops = a.loops[:len(a.loops)-1]
		out.join(ctx.cont)
		if out.live && step != nil {
			a.rv(out, step)
		}
		if !condFirst {
			out, exit = a.condOrTrue(out, cond)
		}
		next := head.clone()
		next.join(out)
		if a.failed != "" || next.equal(head) {
			exit.join(ctx.brk)
			return exit
		}
		head = next
	}
}

func (a *summarizer) condOrTrue(s *state, e cc.ExpressionNode) (t, f *state) {
	if e == nil {
		return s, &state{}
	}
	return a.cond(s, e)
}

func (a *summarizer) jump(s *state, n *cc.JumpStatement) *state {
	if !s.live {
		return s
	}
	switch n.Case {
	case cc.JumpStatementGoto:
		name := n.Token2.SrcStr()
		if a.seen[name] {
			a.fail("backward goto %s at %s", name, position(n))
			return &state{}
		}
		if p := a.labels[name]; p != nil {
			p.join(s)
		} else {
			a.labels[name] = s.clone()
		}
	case cc.JumpStatementGotoExpr:
		a.fail("computed goto at %s", position(n))
	case cc.JumpStatementContinue:
		for i := len(a.loops) - 1; i >= 0; i-- {
			if !a.loops[i].isSwitch {
				a.loops[i].cont.join(s)
				break
			}
		}
	case cc.JumpStatementBreak:
		if len(a.loops) > 0 {
			a.loops[len(a.loops)-1].brk.join(s)
		}
	case cc.JumpStatementReturn:
		var v val
		if n.ExpressionList != nil {
			v = a.rv(s, n.ExpressionList)
		}
		a.ret(s, v)
	}
	return &state{}
}

// cond evaluates a controlling expression and returns the states in which
// it is true and false, learning which parameters are NULL on each side.
func (a *summarizer) cond(s *state, e cc.ExpressionNode) (t, f *state) {
	if !s.live {
		return s, &state{}
	}
	switch x := e.(type) {
	case *cc.LogicalAndExpression:
		if x.Case == cc.LogicalAndExpressionLAnd {
			at, af := a.cond(s, x.LogicalAndExpression)
			bt, bf := a.cond(at, x.InclusiveOrExpression)
			af.join(bf)
			return bt, af
		}
	case *cc.LogicalOrExpression:
		if x.Case == cc.LogicalOrExpressionLOr {
			at, af := a.cond(s, x.LogicalOrExpression)
			bt, bf := a.cond(af, x.LogicalAndExpression)
			at.join(bt)
			return at, bf
		}
	case *cc.UnaryExpression:
		if x.Case == cc.UnaryExpressionNot {
			t, f := a.cond(s, x.CastExpression)
			return f, t
		}
	case *cc.PrimaryExpression:
		if x.Case == cc.PrimaryExpressionExpr {
			return a.cond(s, x.ExpressionList)
		}
	case *cc.EqualityExpression:
		l, r := a.rv(s, x.EqualityExpression), a.rv(s, x.RelationalExpression)
		t, f = s, s.clone()
		lbl := nullTested(l, r) | nullTested(r, l)
		if x.Case == cc.EqualityExpressionEq {
			t.null |= lbl
		} else {
			f.null |= lbl
		}
		return t, f
	}
	v := a.rv(s, e)
	t, f = s, s.clone()
	f.null |= nullTested(v, val{null: true})
	return t, f
}

// nullTested returns the parameter label v is when v is exactly one
// parameter and other is the NULL constant.
func nullTested(v, other val) uint64 {
	if !other.null || !other.empty() || v.heap != 0 || v.objs != 0 || v.unknown != "" {
		return 0
	}
	if bits.OnesCount64(v.labels) != 1 {
		return 0
	}
	return v.labels
}
