package csummary

import (
	"fmt"
	"strings"

	"modernc.org/cc/v4"
)

// rv evaluates e for its value and its side effects on s.
func (a *summarizer) rv(s *state, e cc.ExpressionNode) val {
	if e == nil || !s.live || a.failed != "" {
		return val{}
	}
	switch x := e.(type) {
	case *cc.ExpressionList:
		var v val
		for l := x; l != nil; l = l.ExpressionList {
			v = a.rv(s, l.AssignmentExpression)
		}
		return v
	case *cc.AssignmentExpression:
		return a.assign(s, x)
	case *cc.ConditionalExpression:
		if x.Case != cc.ConditionalExpressionCond {
			return a.rv(s, x.LogicalOrExpression)
		}
		t, f := a.cond(s, x.LogicalOrExpression)
		vt := a.rv(t, x.ExpressionList) // GNU a ?: b has no middle operand
		if x.ExpressionList == nil {
			vt = val{unknown: "the condition of ?:"}
		}
		vf := a.rv(f, x.ConditionalExpression)
		t.join(f)
		return union(vt, vf)
	case *cc.LogicalOrExpression, *cc.LogicalAndExpression:
		t, f := a.cond(s, e)
		t.join(f)
		return val{}
	case *cc.EqualityExpression:
		a.rv(s, x.EqualityExpression)
		a.rv(s, x.RelationalExpression)
		return val{}
	case *cc.RelationalExpression:
		return a.both(s, x.RelationalExpression, x.ShiftExpression)
	case *cc.ShiftExpression:
		return a.both(s, x.ShiftExpression, x.AdditiveExpression)
	case *cc.MultiplicativeExpression:
		return a.both(s, x.MultiplicativeExpression, x.CastExpression)
	case *cc.AndExpression:
		return a.both(s, x.AndExpression, x.EqualityExpression)
	case *cc.ExclusiveOrExpression:
		return a.both(s, x.ExclusiveOrExpression, x.AndExpression)
	case *cc.InclusiveOrExpression:
		return a.both(s, x.InclusiveOrExpression, x.ExclusiveOrExpression)
	case *cc.AdditiveExpression:
		l, r := a.rv(s, x.AdditiveExpression), a.rv(s, x.MultiplicativeExpression)
		if !a.carries(x.Type()) {
			return val{}
		}
		// Pointer (or uintptr_t) arithmetic stays in the same object, at
		// an offset the analysis does not track: stores through it are weak.
		v := union(l, r)
		if x.Type().Kind() == cc.Ptr {
			if x.AdditiveExpression.Type().Kind() == cc.Ptr {
				v = l
			} else {
				v = r
			}
		}
		v.path, v.null = "", false
		return v
	case *cc.CastExpression:
		if x.Case != cc.CastExpressionCast {
			return a.rv(s, x.UnaryExpression)
		}
		if isZero(x) {
			return val{null: true}
		}
		v := a.rv(s, x.CastExpression)
		if !a.carries(x.Type()) && x.Type().Kind() != cc.Void {
			return val{}
		}
		return v
	case *cc.UnaryExpression:
		return a.unary(s, x)
	case *cc.PostfixExpression:
		return a.postfix(s, x)
	case *cc.PrimaryExpression:
		return a.primary(s, x)
	}
	return val{unknown: fmt.Sprintf("an expression the analysis does not model (%T)", e)}
}

func (a *summarizer) both(s *state, l, r cc.ExpressionNode) val {
	a.rv(s, l)
	a.rv(s, r)
	return val{}
}

func isZero(e cc.ExpressionNode) bool {
	switch v := e.Value().(type) {
	case cc.Int64Value:
		return v == 0
	case cc.UInt64Value:
		return v == 0
	}
	return false
}

func (a *summarizer) assign(s *state, x *cc.AssignmentExpression) val {
	switch x.Case {
	case cc.AssignmentExpressionCond:
		return a.rv(s, x.ConditionalExpression)
	case cc.AssignmentExpressionAssign:
		r := a.rv(s, x.AssignmentExpression)
		d := a.lv(s, x.UnaryExpression)
		a.store(s, d, r)
		return r
	}
	// Compound assignment: p += n keeps p's object at an unknown offset.
	r := a.rv(s, x.AssignmentExpression)
	d := a.lv(s, x.UnaryExpression)
	v := val{}
	if x.Case == cc.AssignmentExpressionAdd || x.Case == cc.AssignmentExpressionSub {
		if a.carries(x.UnaryExpression.Type()) {
			v = a.load(s, d, x.UnaryExpression.Type())
			if x.UnaryExpression.Type().Kind() != cc.Ptr {
				v = union(v, r)
			}
			v.path = ""
		}
	}
	a.store(s, d, v)
	return v
}

func (a *summarizer) unary(s *state, x *cc.UnaryExpression) val {
	switch x.Case {
	case cc.UnaryExpressionPostfix:
		return a.rv(s, x.PostfixExpression)
	case cc.UnaryExpressionInc, cc.UnaryExpressionDec:
		return a.incDec(s, x.UnaryExpression)
	case cc.UnaryExpressionAddrof:
		return a.addrOf(a.lv(s, x.CastExpression))
	case cc.UnaryExpressionDeref:
		if x.Type().Kind() == cc.Function {
			return a.rv(s, x.CastExpression) // (*fp)(...)
		}
		return a.load(s, a.lv(s, x), x.Type())
	case cc.UnaryExpressionSizeofExpr, cc.UnaryExpressionSizeofType, cc.UnaryExpressionAlignofExpr,
		cc.UnaryExpressionAlignofType, cc.UnaryExpressionLabelAddr:
		return val{} // unevaluated
	}
	a.rv(s, x.CastExpression)
	return val{}
}

func (a *summarizer) incDec(s *state, e cc.ExpressionNode) val {
	d := a.lv(s, e)
	v := a.load(s, d, e.Type())
	v.path, v.null = "", false
	if e.Type().Kind() != cc.Ptr {
		v = val{}
	}
	a.store(s, d, v)
	return v
}

func (a *summarizer) postfix(s *state, x *cc.PostfixExpression) val {
	switch x.Case {
	case cc.PostfixExpressionPrimary:
		return a.rv(s, x.PrimaryExpression)
	case cc.PostfixExpressionCall:
		return a.call(s, x)
	case cc.PostfixExpressionIndex, cc.PostfixExpressionSelect, cc.PostfixExpressionPSelect:
		if k := x.Type().Kind(); k == cc.Array {
			return a.addrOf(a.lv(s, x)) // an array member decays to its address
		}
		return a.load(s, a.lv(s, x), x.Type())
	case cc.PostfixExpressionInc, cc.PostfixExpressionDec:
		return a.incDec(s, x.PostfixExpression)
	case cc.PostfixExpressionComplit:
		o := a.newObject(x)
		var v val
		for l := x.InitializerList; l != nil; l = l.InitializerList {
			if l.Initializer != nil {
				v = union(v, a.initializer(s, l.Initializer))
			}
		}
		s.objs[o] = v
		if x.Type().Kind() == cc.Array {
			return val{objs: 1 << uint(o)}
		}
		return v
	}
	return val{unknown: "an expression the analysis does not model"}
}

func (a *summarizer) primary(s *state, x *cc.PrimaryExpression) val {
	switch x.Case {
	case cc.PrimaryExpressionIdent:
		return a.ident(s, x)
	case cc.PrimaryExpressionExpr:
		return a.rv(s, x.ExpressionList)
	case cc.PrimaryExpressionStmt:
		a.lastVal = val{}
		out := a.compound(s, x.CompoundStatement)
		if out != s {
			*s = *out
		}
		return a.lastVal
	case cc.PrimaryExpressionInt:
		if isZero(x) {
			return val{null: true}
		}
		return val{}
	case cc.PrimaryExpressionGeneric:
		if as := x.GenericSelection.Associated(); as != nil {
			return a.rv(s, as.AssignmentExpression)
		}
		return val{unknown: "a _Generic selection"}
	}
	return val{} // constants and string literals
}

// ident evaluates a name.
func (a *summarizer) ident(s *state, x *cc.PrimaryExpression) val {
	d, ok := x.ResolvedTo().(*cc.Declarator)
	if !ok {
		return val{} // an enumerator
	}
	if d.Type().Kind() == cc.Function {
		return val{fn: d.Name()}
	}
	if r, isGlobal := a.globalRoot(d); isGlobal {
		if d.Type().Kind() == cc.Array {
			return val{root: r, path: d.Name()}
		}
		return a.load(s, dest{root: r, path: d.Name(), whole: true}, x.Type())
	}
	if o, isObj := a.object(d); isObj {
		if d.Type().Kind() == cc.Array {
			return val{objs: 1 << uint(o)}
		}
		return s.objs[o]
	}
	return s.env[d]
}

// globalRoot returns the root of a global or static variable.
func (a *summarizer) globalRoot(d *cc.Declarator) (root, bool) {
	if d.IsParam() || d.StorageDuration() != cc.Static {
		return root{}, false
	}
	desc := "global " + d.Name()
	switch d.Linkage() {
	case cc.Internal:
		desc = "static " + d.Name()
	case cc.None:
		desc = "static " + d.Name() + " in " + a.name
	}
	if d.IsThreadLocal() {
		desc = "thread-local " + strings.TrimPrefix(desc, "global ")
	}
	return root{kind: rootGlobal, name: d.Name(), desc: desc}, true
}

// A dest is where a store goes: the targets an lvalue may denote.
type dest struct {
	decl    *cc.Declarator // a scalar local or parameter (strong update)
	objs    uint64
	heap    uint64
	root    root
	path    string
	whole   bool // the lvalue is a whole variable
	unknown string
}

// lv evaluates an lvalue.
func (a *summarizer) lv(s *state, e cc.ExpressionNode) dest {
	switch x := e.(type) {
	case *cc.PrimaryExpression:
		switch x.Case {
		case cc.PrimaryExpressionIdent:
			d, ok := x.ResolvedTo().(*cc.Declarator)
			if !ok {
				break
			}
			if r, isGlobal := a.globalRoot(d); isGlobal {
				return dest{root: r, path: d.Name(), whole: true}
			}
			if o, isObj := a.object(d); isObj {
				return dest{objs: 1 << uint(o), whole: true}
			}
			return dest{decl: d, whole: true}
		case cc.PrimaryExpressionExpr:
			return a.lv(s, x.ExpressionList)
		}
	case *cc.UnaryExpression:
		switch x.Case {
		case cc.UnaryExpressionDeref:
			return a.destOf(a.rv(s, x.CastExpression))
		case cc.UnaryExpressionPostfix:
			return a.lv(s, x.PostfixExpression)
		}
	case *cc.CastExpression:
		if x.Case == cc.CastExpressionUnary {
			return a.lv(s, x.UnaryExpression)
		}
	case *cc.PostfixExpression:
		switch x.Case {
		case cc.PostfixExpressionPrimary:
			return a.lv(s, x.PrimaryExpression)
		case cc.PostfixExpressionSelect:
			d := a.lv(s, x.PostfixExpression)
			d.path, d.whole = fieldPath(d.path, x.Token2.SrcStr()), false
			return d
		case cc.PostfixExpressionPSelect:
			d := a.destOf(a.rv(s, x.PostfixExpression))
			d.path = fieldPath(d.path, x.Token2.SrcStr())
			return d
		case cc.PostfixExpressionIndex:
			d := a.destOf(a.rv(s, x.PostfixExpression))
			a.rv(s, x.ExpressionList)
			d.path = indexPath(d.path, x.ExpressionList)
			return d
		case cc.PostfixExpressionComplit:
			a.postfix(s, x)
			return dest{objs: 1 << uint(a.newObject(x))}
		}
	}
	a.rv(s, e)
	return dest{unknown: fmt.Sprintf("an lvalue the analysis does not model at %s", position(e))}
}

// destOf turns a pointer value into the targets of a store through it.
func (a *summarizer) destOf(v val) dest {
	d := dest{objs: v.objs, heap: v.heap, root: v.root, path: v.path, unknown: v.unknown}
	if d.root.kind == rootNone && v.labels != 0 {
		// An integer parameter (a handle) used as a pointer.
		for i := range maxParams {
			if v.labels&(selfLabel(i)|contentsLabel(i)) != 0 {
				d.root = root{kind: rootParam, name: a.params[i].Name(), param: i}
				break
			}
		}
	}
	if d.objs == 0 && d.heap == 0 && d.root.kind == rootNone && d.unknown == "" {
		d.unknown = "a pointer of unknown origin"
	}
	return d
}

// addrOf returns the value &lvalue.
func (a *summarizer) addrOf(d dest) val {
	if d.decl != nil {
		// Not modelled as an object although its address is taken: be
		// conservative.
		return val{unknown: "the address of " + d.decl.Name()}
	}
	return val{objs: d.objs, heap: d.heap, root: d.root, path: d.path, unknown: d.unknown}
}

// load reads a value of type t from d.
func (a *summarizer) load(s *state, d dest, t cc.Type) val {
	if !a.carries(t) {
		return val{}
	}
	var v val
	if d.decl != nil {
		v = s.env[d.decl]
	}
	for m := d.objs; m != 0; m &= m - 1 {
		v = union(v, s.objs[trailing(m)])
	}
	for m := d.heap; m != 0; m &= m - 1 {
		v = union(v, s.heap[trailing(m)])
	}
	if d.root.kind != rootNone {
		lv := val{root: d.root, path: derefPath(d.path)}
		if d.root.kind == rootParam {
			lv.labels = contentsLabel(d.root.param)
		}
		if sl, ok := s.slots[slotKey(d.root, d.path)]; ok {
			lv.labels |= sl.v.labels
			lv.heap |= sl.v.heap
			lv.objs |= sl.v.objs
		}
		v = union(v, lv)
	}
	if d.unknown != "" && v.unknown == "" {
		v.unknown = "loaded through " + d.unknown
	}
	return v
}

// store writes v to d.
func (a *summarizer) store(s *state, d dest, v val) {
	if d.decl != nil {
		s.env[d.decl] = v
	}
	single := d.objs != 0 && d.objs&(d.objs-1) == 0
	for m := d.objs; m != 0; m &= m - 1 {
		o := trailing(m)
		if single && d.whole && d.heap == 0 && d.root.kind == rootNone {
			s.objs[o] = v
		} else {
			s.objs[o] = union(s.objs[o], v)
		}
	}
	for m := d.heap; m != 0; m &= m - 1 {
		h := trailing(m)
		s.heap[h] = union(s.heap[h], v)
	}
	if d.root.kind != rootNone {
		a.storeSlot(s, d.root, d.path, v)
	}
	if d.unknown != "" {
		a.lose(s, v, "stored through "+d.unknown)
	}
}

// storeSlot writes v into global or parameter memory. A store to a path
// the analysis knows exactly replaces what was there (so clearing a static
// before returning undoes the store); any other store adds.
func (a *summarizer) storeSlot(s *state, r root, path string, v val) {
	strong := path != "" && r.kind != rootMulti && !strings.Contains(path, "?")
	key := slotKey(r, path)
	if !strong {
		key = slotKey(r, "~")
		if v.empty() {
			return
		}
		old := s.slots[key]
		s.slots[key] = slot{place: placeFor(r, path), v: union(old.v, v)}
		return
	}
	for k := range s.slots {
		if strings.HasPrefix(k, key+".") || strings.HasPrefix(k, key+"[") {
			delete(s.slots, k)
		}
	}
	s.slots[key] = slot{place: placeFor(r, path), v: v}
}

func slotKey(r root, path string) string {
	switch r.kind {
	case rootParam:
		return fmt.Sprintf("param%d|%s", r.param, path)
	case rootMulti:
		return "multi|" + path
	}
	return "global|" + path
}

// Paths name objects canonically, so that two spellings of one lvalue
// (g->f and (*g).f) give one key.

func fieldPath(base, f string) string {
	if base == "" {
		return ""
	}
	if p, ok := strings.CutPrefix(base, "*"); ok {
		return p + "->" + f
	}
	return base + "." + f
}

func derefPath(p string) string {
	if p == "" {
		return ""
	}
	if strings.ContainsAny(p, ".-[*") {
		return "*(" + p + ")"
	}
	return "*" + p
}

func indexPath(base string, idx cc.ExpressionNode) string {
	if base == "" {
		return ""
	}
	i := "?"
	switch v := idx.Value().(type) {
	case cc.Int64Value:
		i = fmt.Sprint(int64(v))
	case cc.UInt64Value:
		i = fmt.Sprint(uint64(v))
	}
	if p, ok := strings.CutPrefix(base, "*"); ok && !strings.HasPrefix(p, "(") {
		return p + "[" + i + "]"
	}
	return base + "[" + i + "]"
}

// placeFor describes a global or parameter memory location for people.
func placeFor(r root, path string) Place {
	switch r.kind {
	case rootParam:
		pl := Place{Kind: PlaceParam, Param: r.param + 1}
		switch {
		case path == "*"+r.name:
			pl.Desc = fmt.Sprintf("*%s (parameter %d)", r.name, r.param+1)
		case strings.HasPrefix(path, r.name+"->") && !strings.ContainsAny(path[len(r.name)+2:], ".-[*"):
			pl.Desc = fmt.Sprintf("field %s of *%s (parameter %d)", path[len(r.name)+2:], r.name, r.param+1)
		case path == "" || strings.Contains(path, "?"):
			pl.Desc = fmt.Sprintf("memory reachable from parameter %d (%s)", r.param+1, r.name)
		default:
			pl.Desc = fmt.Sprintf("%s (reachable from parameter %d)", path, r.param+1)
		}
		return pl
	case rootGlobal, rootMulti:
		pl := Place{Kind: PlaceGlobal}
		switch {
		case r.kind == rootMulti:
			pl.Desc = "memory reachable from " + r.desc + " or another global"
		case path == r.name:
			pl.Desc = r.desc
		case strings.HasPrefix(path, r.name+".") && !strings.ContainsAny(path[len(r.name)+1:], ".-[*"):
			pl.Desc = "field " + path[len(r.name)+1:] + " of " + r.desc
		case strings.HasPrefix(path, r.name+"[") && strings.Count(path, "[") == 1 && strings.HasSuffix(path, "]"):
			pl.Desc = "an element of " + r.desc
		case path == "" || strings.Contains(path, "?"):
			pl.Desc = "memory reachable from " + r.desc
		default:
			pl.Desc = path + " (reachable from " + r.desc + ")"
		}
		return pl
	}
	return Place{}
}
