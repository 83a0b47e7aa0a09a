package resource

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// GoMemoryFree reports whether the free call's argument is Go memory on
// every path (a variable, a composite literal, a Go slice ...), and what
// that memory is and where it was made. Such a free is a bug of its own
// (cgofree reports it) and not a release of C memory.
func (e *Events) GoMemoryFree(call *ssa.CallCommon) (what string, at token.Pos, ok bool) {
	if api.Classify(call).Kind != api.CFree || len(call.Args) != 1 {
		return "", token.NoPos, false
	}
	roots := flow.Roots(call.Args[0])
	if len(roots) == 0 {
		return "", token.NoPos, false
	}
	for _, r := range roots {
		w, ok := goMemory(r, 0)
		if !ok {
			return "", token.NoPos, false
		}
		if what == "" {
			what, at = w, r.Pos()
		}
	}
	return what, at, true
}

// IsGoMemoryFree reports GoMemoryFree's verdict, memoised.
func (e *Events) IsGoMemoryFree(call *ssa.CallCommon) bool {
	v, ok := e.goMem[call]
	if !ok {
		_, _, v = e.GoMemoryFree(call)
		e.goMem[call] = v
	}
	return v
}

// GoMemory reports whether v points to memory Go allocated on every path
// (a variable, a composite literal, new(T), a Go slice, a package
// variable ...), and what that memory is.
func GoMemory(v ssa.Value) (string, bool) {
	return goMemoryOf(v, 0)
}

// goMemory reports whether the root r of a pointer is memory Go
// allocated, and what it is.
func goMemory(r ssa.Value, depth int) (string, bool) {
	if depth > 4 {
		return "", false
	}
	switch r := r.(type) {
	case *ssa.Alloc:
		switch r.Comment {
		case "complit":
			return "a composite literal", true
		case "new", "":
			return "new(" + cgoshape.TypeString(deref(r.Type()), r.Parent().Pkg.Pkg) + ")", true
		case "varargs", "slicelit", "makeslice":
			return "a Go slice", true
		}
		if token.IsIdentifier(r.Comment) {
			return "the variable " + r.Comment, true
		}
		return "a Go variable", true
	case *ssa.MakeSlice:
		return "a slice from make", true
	case *ssa.FreeVar:
		// A variable captured by cgo's wrapper closure: &x.
		if b := binding(r); b != nil {
			return goMemory(b, depth+1)
		}
	case *ssa.Global:
		return "the package variable " + r.Name(), true
	case *ssa.FieldAddr:
		return goMemoryOf(r.X, depth)
	case *ssa.IndexAddr:
		return goMemoryOf(r.X, depth)
	case *ssa.Convert:
		if isString(r.X.Type()) {
			return "a byte slice converted from a string", true
		}
	case *ssa.Call:
		if b, ok := r.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" {
			return "a slice from append", true
		}
	case *ssa.Const:
		if r.Value != nil && r.Value.Kind() == constant.String {
			return "a string constant", true
		}
	}
	return "", false
}

// goMemoryOf: every root of the base pointer or slice x is Go memory.
func goMemoryOf(x ssa.Value, depth int) (string, bool) {
	roots := flow.Roots(x)
	if len(roots) == 0 {
		return "", false
	}
	var what string
	for _, r := range roots {
		w, ok := goMemory(r, depth+1)
		if !ok {
			return "", false
		}
		if what == "" {
			what = w
		}
	}
	return what, true
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// binding returns the one value a closure's free variable is bound to,
// through enclosing closures, when the closure is made once.
func binding(fv *ssa.FreeVar) ssa.Value {
	bs := flow.Bindings(fv)
	if len(bs) != 1 {
		return nil
	}
	if inner, ok := bs[0].(*ssa.FreeVar); ok {
		return binding(inner)
	}
	return bs[0]
}
