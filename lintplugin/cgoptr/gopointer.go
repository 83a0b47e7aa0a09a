package cgoptr

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// goPointer returns the root of v that is certainly a Go pointer, or nil.
// A value is a Go pointer when it leads to memory Go allocated: new(T),
// &x, a composite literal, make, a function literal, a string built at
// run time (strings are Go memory unless constant), or the result of a
// function of this package that always returns one. Like the runtime, a
// pointer to a package-level variable without pointers is not counted
// (the garbage collector neither scans nor moves such data), and neither
// are zero-sized objects. Parameters, results of other packages'
// functions and loads from memory the analysis does not model are not
// known to be Go pointers: the check stays silent on them.
func (c *checker) goPointer(v ssa.Value, depth int) ssa.Value {
	if depth > 4 {
		return nil
	}
	for _, root := range flow.Roots(v) {
		if c.isGoMemory(root, depth) {
			return root
		}
	}
	return nil
}

func (c *checker) isGoMemory(root ssa.Value, depth int) bool {
	switch r := root.(type) {
	case *ssa.Alloc:
		return !c.zeroSized(deref(r.Type()))
	case *ssa.MakeSlice:
		return !isZeroConst(r.Cap)
	case *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeClosure:
		return true
	case *ssa.Global:
		return hasPointers(deref(r.Type()))
	case *ssa.FieldAddr, *ssa.IndexAddr, *ssa.FreeVar:
		places := c.res.Places(r)
		for _, p := range places {
			if c.isGoMemory(p.Obj, depth+1) {
				return true
			}
		}
		if len(places) > 0 {
			return false
		}
		// Inside memory the memory model does not track, such as the
		// array of a []byte(s) conversion: Go memory if its base is.
		switch r := r.(type) {
		case *ssa.FieldAddr:
			return c.goPointer(r.X, depth+1) != nil
		case *ssa.IndexAddr:
			return c.goPointer(r.X, depth+1) != nil
		}
	case *ssa.BinOp:
		return r.Op == token.ADD && isString(r.Type())
	case *ssa.Convert:
		// string(b), []byte(s), []rune(s): a fresh copy in Go memory.
		_, fromSlice := r.X.Type().Underlying().(*types.Slice)
		_, toSlice := r.Type().Underlying().(*types.Slice)
		return isString(r.Type()) && fromSlice || toSlice && isString(r.X.Type())
	case *ssa.Call:
		if name, ok := cgoshape.CCall(r.Common()); ok {
			return name == "GoString" || name == "GoStringN" || name == "GoBytes"
		}
		if isString(r.Type()) {
			return true // a string a Go function built
		}
		if fn := r.Call.StaticCallee(); fn != nil && fn.Pkg == c.res.Pkg && fn.Blocks != nil && !fn.Signature.Variadic() {
			return c.returnsGo(fn, depth+1)
		}
	}
	return false
}

// returnsGo reports whether every return of fn hands back a Go pointer.
func (c *checker) returnsGo(fn *ssa.Function, depth int) bool {
	switch c.rets[fn] {
	case 1:
		return false
	case 2:
		return true
	}
	c.rets[fn] = 1
	if fn.Signature.Results().Len() != 1 {
		return false
	}
	any := false
	for _, b := range fn.Blocks {
		if n := len(b.Instrs); n > 0 {
			if ret, ok := b.Instrs[n-1].(*ssa.Return); ok && len(ret.Results) == 1 {
				if c.goPointer(ret.Results[0], depth) == nil {
					return false
				}
				any = true
			}
		}
	}
	if any {
		c.rets[fn] = 2
	}
	return any
}

// zeroSized reports whether values of type t may take no memory (such
// objects all share one address, not Go memory the collector manages);
// a type parameter may be instantiated so, and claims nothing either.
func (c *checker) zeroSized(t types.Type) bool {
	return zeroSizedSeen(t, make(map[types.Type]bool))
}

func zeroSizedSeen(t types.Type, seen map[types.Type]bool) bool {
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch u := t.Underlying().(type) {
	case *types.Struct:
		for i := range u.NumFields() {
			if !zeroSizedSeen(u.Field(i).Type(), seen) {
				return false
			}
		}
		return true
	case *types.Array:
		return u.Len() == 0 || zeroSizedSeen(u.Elem(), seen)
	}
	return false
}

func isZeroConst(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.Value != nil && k.Value.Kind() == constant.Int && constant.Sign(k.Value) == 0
}

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// hasPointers reports whether memory of type t can hold pointers, as the
// garbage collector sees it.
func hasPointers(t types.Type) bool {
	return hasPointersSeen(t, make(map[types.Type]bool))
}

func hasPointersSeen(t types.Type, seen map[types.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.UnsafePointer || u.Info()&types.IsString != 0
	case *types.Array:
		return u.Len() > 0 && hasPointersSeen(u.Elem(), seen)
	case *types.Struct:
		for i := range u.NumFields() {
			if hasPointersSeen(u.Field(i).Type(), seen) {
				return true
			}
		}
		return false
	case *types.TypeParam:
		return true
	}
	return true // pointers, slices, maps, chans, funcs, interfaces
}

// pinnable reports whether a runtime.Pinner can make a value of type t
// legal in C: pointers yes; strings, slices, maps, channels, funcs and
// interfaces carry Go pointers C may not keep at all.
func pinnable(t types.Type) bool { return flow.IsPointer(t) }

func kindName(t types.Type) string {
	switch u := t.Underlying().(type) {
	case *types.Slice:
		return "the Go slice"
	case *types.Map:
		return "the Go map"
	case *types.Chan:
		return "the Go channel"
	case *types.Signature:
		return "the Go func"
	case *types.Interface:
		return "the Go interface value"
	case *types.Basic:
		if u.Info()&types.IsString != 0 {
			return "the Go string"
		}
	}
	return "the Go pointer"
}

func kindFix(t types.Type) string {
	switch u := t.Underlying().(type) {
	case *types.Slice:
		return "a slice cannot be pinned; copy the elements into C memory (C.malloc) and pass a pointer and a length"
	case *types.Basic:
		if u.Info()&types.IsString != 0 {
			return "a string cannot be pinned; pass a copy made with C.CString, which C frees"
		}
	case *types.Interface:
		return "an interface value cannot be pinned; pass C data, or a cgo.Handle for the value"
	case *types.Map:
		return "a map cannot be pinned; copy the entries into C memory, or pass a cgo.Handle"
	case *types.Chan:
		return "a channel cannot be pinned; pass a cgo.Handle instead"
	case *types.Signature:
		return "a func value cannot be pinned; pass a cgo.Handle instead"
	}
	return "it cannot be pinned; pass a cgo.Handle instead"
}
