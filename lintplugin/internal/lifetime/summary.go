package lifetime

import (
	"cmp"
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// paramOf returns the index of the analysed function's parameter t is
// rooted at, if it is one.
func (e *engine) paramOf(t tok) (int, bool) {
	if t.kind != tokVal && t.kind != tokPath {
		return 0, false
	}
	p, ok := t.v.(*ssa.Parameter)
	if !ok || p.Parent() != e.root.fn {
		return 0, false
	}
	i := slices.Index(e.root.fn.Params, p)
	return i, i >= 0
}

// noteUse records a use of a parameter (or a part of one) for Result.Used.
func (e *engine) noteUse(toks []tok, occ Occurrence) {
	if !e.report {
		return
	}
	for _, t := range toks {
		i, ok := e.paramOf(t)
		if !ok {
			continue
		}
		if slices.ContainsFunc(e.used, func(u ParamEvent) bool { return u.Param == i && u.Path == t.path }) {
			continue
		}
		e.used = append(e.used, ParamEvent{Param: i, Path: t.path, Occurrence: occ})
	}
}

// paramEvents returns the releases of parameters that hold at exit.
func (e *engine) paramEvents(exit *state) []ParamEvent {
	var out []ParamEvent
	for t, f := range exit.released {
		i, ok := e.paramOf(t)
		if !ok {
			continue
		}
		out = append(out, ParamEvent{Param: i, Path: t.path, Occurrence: f.occ, Guarded: e.guarded(t, f)})
	}
	slices.SortFunc(out, func(a, b ParamEvent) int {
		if c := cmp.Compare(a.Param, b.Param); c != 0 {
			return c
		}
		return cmp.Compare(a.Path, b.Path)
	})
	return out
}

// guarded reports whether the release f of t happened under a condition
// other than a nil test of the resource itself (if p != nil { free(p) }
// frees whatever p holds; if owned { free(p) } depends on the caller).
func (e *engine) guarded(t tok, f fact) bool {
	for _, c := range f.assume {
		b, ok := c.v.(*ssa.BinOp)
		if !ok || (b.Op != token.EQL && b.Op != token.NEQ) {
			return true
		}
		x := b.X
		if isNilConst(x) {
			x = b.Y
		} else if !isNilConst(b.Y) {
			return true
		}
		if !slices.ContainsFunc(e.tokens(x, e.root), func(u tok) bool {
			return u == t || (u.v == t.v && u.kind == tokVal && t.kind == tokPath && u.path == "")
		}) {
			return true
		}
	}
	return false
}

func isNilConst(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

// noteDisposed records the parameters a Dispose or Release event may hand
// on: named by its tokens, or among the values it may be (a phi).
func (e *engine) noteDisposed(toks []tok, v ssa.Value) {
	if !e.report {
		return
	}
	add := func(i int) {
		if !slices.Contains(e.disposed, i) {
			e.disposed = append(e.disposed, i)
		}
	}
	for _, t := range toks {
		if i, ok := e.paramOf(t); ok && t.path == "" {
			add(i)
		}
	}
	if v == nil {
		return
	}
	for _, r := range mayRoots(v, 0) {
		if p, ok := r.(*ssa.Parameter); ok && p.Parent() == e.root.fn {
			add(slices.Index(e.root.fn.Params, p))
		}
	}
}
