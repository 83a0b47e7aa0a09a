package cgoheader

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// minUnboundedLen is the array length from which a cast (*[N]T)(p) is the
// "any length" idiom rather than the type of real memory: the idiom's
// arrays run from 1 << 20 to 1 << 31 elements, while C arrays cast at
// their real size (a struct's char name[256]) are far smaller. Below it,
// the cast counts as unbounded only when the allocation is known and
// smaller.
const minUnboundedLen = 1 << 20

// checkSlicing reports slices over C memory built without a header that
// are longer than their known C allocation (unsafe.Slice, or slicing an
// array cast), and unbounded array casts grown with append.
func (c *checker) checkSlicing(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			switch x := ins.(type) {
			case *ssa.Call:
				c.checkUnsafeSlice(x)
			case *ssa.Slice:
				c.checkArraySlice(x)
			}
		}
	}
}

// checkUnsafeSlice reports unsafe.Slice(p, n) longer than p's allocation.
func (c *checker) checkUnsafeSlice(call *ssa.Call) {
	bi, ok := call.Call.Value.(*ssa.Builtin)
	if !ok || bi.Name() != "Slice" || len(call.Call.Args) != 2 {
		return
	}
	ptr := call.Call.Args[0]
	pt, ok := ptr.Type().Underlying().(*types.Pointer)
	if !ok {
		return
	}
	a, ok := c.allocOf(ptr)
	if !ok {
		return
	}
	size := c.pass.TypesSizes.Sizeof(pt.Elem())
	n, ok := c.linear(call.Call.Args[1])
	if !ok {
		return
	}
	need, ok := n.scale(size)
	if !ok || !exceeds(need, a.bytes) {
		return
	}
	text, args := c.callText(call)
	if text == "" {
		text = "unsafe.Slice"
	}
	nText := valueText(call.Call.Args[1])
	if len(args) == 2 {
		nText = args[1]
	}
	c.reportOversize(call.Pos(), text+" covers "+c.elements(nText, pt.Elem()), "the length", a, size)
}

// checkArraySlice checks (*[N]T)(unsafe.Pointer(p))[low:high:max].
func (c *checker) checkArraySlice(s *ssa.Slice) {
	conv, arr := arrayCast(s.X)
	if conv == nil {
		return
	}
	size := c.pass.TypesSizes.Sizeof(arr.Elem())
	a, known := c.allocOf(conv.X)
	if known {
		// x[low:high:max] reaches index max (or high) of the array, whatever low.
		end, field := s.Max, "the capacity"
		if end == nil {
			end, field = s.High, "the length"
		}
		if end != nil {
			if n, ok := c.linear(end); ok {
				if need, ok := n.scale(size); ok && exceeds(need, a.bytes) {
					c.reportOversize(s.Pos(), c.sliceText(s)+" reaches "+c.elements(c.endText(s, end), arr.Elem()),
						field, a, size)
					return
				}
			}
		}
	}
	if s.High == nil || s.Max != nil {
		return // [:] has len == cap; [:n:m] is limited
	}
	unbounded := arr.Len() >= minUnboundedLen
	if known && !unbounded {
		unbounded = exceeds(count{c: arr.Len() * size}, a.bytes)
	}
	if !unbounded {
		return
	}
	app := appendOf(s)
	if app == nil {
		return
	}
	c.reportUnbounded(s, conv, arr, app)
}

// arrayCast matches (*[N]T)(p) for an unsafe.Pointer p.
func arrayCast(v ssa.Value) (*ssa.Convert, *types.Array) {
	for {
		ct, ok := v.(*ssa.ChangeType)
		if !ok {
			break
		}
		v = ct.X
	}
	conv, ok := v.(*ssa.Convert)
	if !ok {
		return nil, nil
	}
	if b, ok := conv.X.Type().Underlying().(*types.Basic); !ok || b.Kind() != types.UnsafePointer {
		return nil, nil
	}
	p, ok := conv.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil, nil
	}
	arr, ok := p.Elem().Underlying().(*types.Array)
	if !ok {
		return nil, nil
	}
	return conv, arr
}

// maxAppendWalk bounds the values appendOf follows from a slice: a
// function's own uses of one slice are few.
const maxAppendWalk = 64

// appendOf returns an append that grows s (or a reslicing of it that keeps
// its capacity, through phis and local variables) in the same function.
func appendOf(s *ssa.Slice) *ssa.Call {
	seen := map[ssa.Value]bool{s: true}
	work := []ssa.Value{s}
	for len(work) > 0 && len(seen) < maxAppendWalk {
		v := work[0]
		work = work[1:]
		push := func(w ssa.Value) {
			if !seen[w] {
				seen[w] = true
				work = append(work, w)
			}
		}
		for _, r := range *v.Referrers() {
			switch r := r.(type) {
			case *ssa.Call:
				if bi, ok := r.Call.Value.(*ssa.Builtin); ok && bi.Name() == "append" && r.Call.Args[0] == v {
					return r
				}
			case *ssa.Phi:
				push(r)
			case *ssa.ChangeType:
				push(r)
			case *ssa.Slice:
				if r.X == v && r.Max == nil {
					push(r)
				}
			case *ssa.Store:
				// A variable that holds only this slice: its loads are it.
				alloc, ok := r.Addr.(*ssa.Alloc)
				if !ok || r.Val != v || !onlyStores(alloc, v) {
					continue
				}
				for _, rr := range *alloc.Referrers() {
					if load, ok := rr.(*ssa.UnOp); ok && load.Op == token.MUL {
						push(load)
					}
				}
			}
		}
	}
	return nil
}

// onlyStores reports whether the variable a holds nothing but v and its
// growths: it is only loaded and stored (not captured or passed on, where
// the analysis would lose it), and every store writes v or an append to
// what it holds.
func onlyStores(a *ssa.Alloc, v ssa.Value) bool {
	for _, r := range *a.Referrers() {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return false
			}
		case *ssa.Store:
			if r.Addr != a {
				return false
			}
			if r.Val == v {
				continue
			}
			call, ok := r.Val.(*ssa.Call)
			if !ok {
				return false
			}
			bi, ok := call.Call.Value.(*ssa.Builtin)
			if !ok || bi.Name() != "append" {
				return false
			}
			if load, ok := call.Call.Args[0].(*ssa.UnOp); !ok || load.X != a {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// reportUnbounded reports an unbounded array cast grown with append, with
// the capacity limit as the fix.
func (c *checker) reportUnbounded(s *ssa.Slice, conv *ssa.Convert, arr *types.Array, app *ssa.Call) {
	mem := "the memory behind it"
	if _, _, ok := c.cOrigin(conv.X); ok {
		mem = "the C buffer behind it"
	}
	d := analysis.Diagnostic{
		Pos:     s.Pos(),
		Related: []analysis.RelatedInformation{related(app, "append grows it here")},
	}
	limit := "[low:n:n]"
	if fix, pos, lim, ok := c.limitFix(s); ok {
		d.Pos, limit = pos, lim
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	d.Message = fmt.Sprintf("%s has the capacity of the %d-element array, not of %s, and append grows it in place "+
		"while len < cap: past the end of the buffer; limit the capacity with %s so that append copies to Go memory",
		c.sliceText(s), arr.Len(), mem, limit)
	c.add(kindUnbounded, d, nil)
}

// limitFix adds the capacity limit: x[lo:n] becomes x[lo:n:n], when n has
// no side effects (it is written twice).
func (c *checker) limitFix(s *ssa.Slice) (analysis.SuggestedFix, token.Pos, string, bool) {
	f, raw, ok := c.files.At(s.Pos())
	if !ok || f.Src == nil {
		return analysis.SuggestedFix{}, 0, "", false
	}
	var se *ast.SliceExpr
	ast.Inspect(f.AST, func(n ast.Node) bool {
		if x, ok := n.(*ast.SliceExpr); ok && x.Lbrack == raw {
			se = x
		}
		return se == nil
	})
	if se == nil || se.Slice3 || se.High == nil || !pure(se.High) || !noCalls(s.High, 0) {
		return analysis.SuggestedFix{}, 0, "", false
	}
	high := f.Text(se.High)
	lo := f.Text(se.Low)
	limit := "[" + lo + ":" + high + ":" + high + "]"
	return analysis.SuggestedFix{
		Message:   "limit the capacity: " + limit,
		TextEdits: []analysis.TextEdit{{Pos: se.High.End(), End: se.High.End(), NewText: []byte(":" + high)}},
	}, se.Pos(), limit, true
}

// pure reports whether evaluating e twice is the same as once: names,
// constants, field selections, conversions and arithmetic of those, len
// and cap.
func pure(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident, *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return pure(e.X)
	case *ast.SelectorExpr:
		return pure(e.X)
	case *ast.BinaryExpr:
		return pure(e.X) && pure(e.Y)
	case *ast.UnaryExpr:
		return e.Op != token.ARROW && e.Op != token.AND && pure(e.X)
	case *ast.CallExpr:
		// T(x) conversions and len/cap; any other call may have effects.
		if len(e.Args) != 1 || !pure(e.Args[0]) {
			return false
		}
		switch fun := e.Fun.(type) {
		case *ast.Ident:
			_, isType := types.Universe.Lookup(fun.Name).(*types.TypeName)
			return isType || fun.Name == "len" || fun.Name == "cap"
		case *ast.SelectorExpr:
			// C.int(n) is a conversion, C.f(n) a call: noCalls tells them
			// apart on the SSA form.
			id, ok := fun.X.(*ast.Ident)
			return ok && id.Name == "C"
		}
	}
	return false
}

// noCalls reports whether computing v calls no function other than len
// and cap (conversions and arithmetic of values already computed).
func noCalls(v ssa.Value, depth int) bool {
	if depth > maxLinearDepth {
		return false
	}
	switch x := v.(type) {
	case *ssa.Call:
		bi, ok := x.Call.Value.(*ssa.Builtin)
		if !ok || bi.Name() != "len" && bi.Name() != "cap" {
			return false
		}
		return noCalls(x.Call.Args[0], depth+1)
	case *ssa.Convert:
		return noCalls(x.X, depth+1)
	case *ssa.ChangeType:
		return noCalls(x.X, depth+1)
	case *ssa.BinOp:
		return noCalls(x.X, depth+1) && noCalls(x.Y, depth+1)
	case *ssa.UnOp:
		return x.Op != token.ARROW && noCalls(x.X, depth+1)
	}
	return true
}

// sliceText returns the slice expression as written, or a description.
func (c *checker) sliceText(s *ssa.Slice) string {
	text := c.nodeAt(s.Pos(), func(n ast.Node, raw token.Pos) ast.Node {
		if x, ok := n.(*ast.SliceExpr); ok && x.Lbrack == raw {
			return x
		}
		return nil
	})
	if text == "" {
		return "the slice of " + types.TypeString(s.X.Type(), nil)
	}
	return text
}

// endText returns the source of the slice bound end (high or max).
func (c *checker) endText(s *ssa.Slice, end ssa.Value) string {
	f, raw, ok := c.files.At(s.Pos())
	if ok && f.Src != nil {
		var se *ast.SliceExpr
		ast.Inspect(f.AST, func(n ast.Node) bool {
			if x, ok := n.(*ast.SliceExpr); ok && x.Lbrack == raw {
				se = x
			}
			return se == nil
		})
		if se != nil {
			if end == s.Max && se.Max != nil {
				return f.Text(se.Max)
			}
			if end == s.High && se.High != nil {
				return f.Text(se.High)
			}
		}
	}
	return valueText(end)
}
