package cgofinalizer

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// derivedUses returns what the function does with a pointer C returned
// from the call site (the call that got the object's field): such a
// pointer may point into the object's memory (X509_get_subject_name,
// sqlite3_db_filename), which the finalizer frees with the object. uses
// are the instructions of site's function that read it after the call
// (a C call or a copy such as C.GoBytes given it), returned the returns
// that hand it, or a struct holding it, to the caller. A pointer the
// function frees, or gives to an object whose finalizer or cleanup
// releases it, is fresh memory the C function allocated, not the object's:
// nothing is derived from it.
func derivedUses(site ssa.Instruction) (uses []ssa.Instruction, returned []*ssa.Return, wrappers map[ssa.Value]bool) {
	call, ok := site.(*ssa.Call)
	if !ok {
		return nil, nil, nil
	}
	var start []ssa.Value
	switch t := call.Type().(type) {
	case *types.Tuple:
		// r, err := C.f(...): the first result.
		if t.Len() > 0 && flow.IsPointer(t.At(0).Type()) {
			for _, ref := range *call.Referrers() {
				if ex, ok := ref.(*ssa.Extract); ok && ex.Index == 0 {
					start = append(start, ex)
				}
			}
		}
	default:
		if flow.IsPointer(t) {
			start = []ssa.Value{call}
		}
	}
	if len(start) == 0 {
		return nil, nil, nil
	}
	vals, cells := derivedValues(start)
	fn := site.Parent()
	// Structs the function builds around the pointer (&Name{name: n}).
	wrappers = make(map[ssa.Value]bool)
	for v := range vals {
		for _, ref := range *v.Referrers() {
			st, ok := ref.(*ssa.Store)
			if !ok || st.Val != v || cells[st.Addr] {
				continue
			}
			if alloc, ok := addrBase(st.Addr).(*ssa.Alloc); ok && alloc.Parent() == fn {
				wrappers[alloc] = true
			}
		}
	}
	if ownedFresh(fn, vals, wrappers) {
		return nil, nil, nil
	}
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			if ins == site {
				continue
			}
			if ret, ok := ins.(*ssa.Return); ok {
				if slices.ContainsFunc(ret.Results, func(r ssa.Value) bool { return returnsDerived(r, vals, wrappers) }) {
					returned = append(returned, ret)
				}
				continue
			}
			if st, ok := ins.(*ssa.Store); ok && wrappers[addrBase(st.Addr)] {
				continue // building a wrapper: what matters is where it goes (returned)
			}
			if usesDerived(ins, vals, cells) {
				uses = append(uses, liftUse(ins))
			}
		}
	}
	return uses, returned, wrappers
}

// derivedValues returns the values that carry the pointers start (through
// conversions, views such as unsafe.Slice, field and element addresses,
// phis and local variables), and the variables that hold them.
func derivedValues(start []ssa.Value) (vals, cells map[ssa.Value]bool) {
	vals, cells = objectValues(start)
	// objectValues does not follow views: add them, and what follows them.
	for {
		var more []ssa.Value
		for v := range vals {
			for _, ref := range *v.Referrers() {
				call, ok := ref.(*ssa.Call)
				if !ok || vals[call] {
					continue
				}
				if arg, ok := flow.PassThrough(&call.Call); ok && vals[arg] {
					more = append(more, call)
				}
			}
		}
		if len(more) == 0 {
			return vals, cells
		}
		v2, c2 := objectValues(more)
		for v := range v2 {
			vals[v] = true
		}
		for c := range c2 {
			cells[c] = true
		}
	}
}

// ownedFresh reports whether the function frees the pointer, or hands it
// (or a struct holding it) to a finalizer or cleanup registration: then
// the C function returned memory of its own.
func ownedFresh(fn *ssa.Function, vals map[ssa.Value]bool, wrappers map[ssa.Value]bool) bool {
	wvals, _ := objectValues(slices.Collect(func(yield func(ssa.Value) bool) {
		for w := range wrappers {
			if !yield(w) {
				return
			}
		}
	}))
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			ci, ok := ins.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := ci.Common()
			switch api.Classify(c).Kind {
			case api.CFree:
				if len(c.Args) > 0 && slices.ContainsFunc(flow.Roots(c.Args[0]), func(r ssa.Value) bool { return vals[r] }) {
					return true
				}
			case api.SetFinalizer, api.AddCleanup:
				for _, arg := range c.Args {
					if vals[arg] || wvals[arg] {
						return true
					}
				}
			}
		}
	}
	return false
}

// usesDerived reports whether ins reads a derived pointer (the values
// vals, or a load of a variable in cells) other than by merely carrying it
// on (a conversion, which is itself in vals).
func usesDerived(ins ssa.Instruction, vals, cells map[ssa.Value]bool) bool {
	if v, ok := ins.(ssa.Value); ok && vals[v] {
		return false
	}
	switch ins := ins.(type) {
	case *ssa.DebugRef:
		return false
	case *ssa.Store:
		return vals[ins.Val] && !cells[ins.Addr]
	case *ssa.UnOp:
		if ins.Op == token.MUL && cells[ins.X] {
			return false // reading the variable: the loaded value is in vals
		}
	case *ssa.MakeClosure:
		// A closure capturing the variable (cgo's wrapper of a C call).
		if slices.ContainsFunc(ins.Bindings, func(b ssa.Value) bool { return cells[b] }) {
			return true
		}
	}
	for _, op := range ins.Operands(nil) {
		if *op != nil && vals[*op] {
			return true
		}
	}
	return false
}

// returnsDerived reports whether the result r is a derived pointer, or a
// struct the function built around one.
func returnsDerived(r ssa.Value, vals, wrappers map[ssa.Value]bool) bool {
	for _, root := range flow.Roots(r) {
		if vals[root] || wrappers[root] {
			return true
		}
	}
	return vals[r]
}

// liftUse maps a use inside a function literal that its parent calls at
// once (cgo's wrapper of a C call) to that call.
func liftUse(ins ssa.Instruction) ssa.Instruction {
	if mc, ok := ins.(*ssa.MakeClosure); ok {
		if fn, ok := mc.Fn.(*ssa.Function); ok {
			if call := flow.ImmediateCall(fn); call != nil {
				return call
			}
		}
	}
	return ins
}
