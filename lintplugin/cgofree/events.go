package cgofree

import (
	"fmt"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/lifetime"
)

// cguardPkg's Malloc/Free mirror C.malloc/C.free.
const cguardPkg = "github.com/cgoguard/cgoguard/guard/cguard"

// isFree reports whether call is C.free or cguard.Free.
func isFree(call *ssa.CallCommon) bool {
	if name, ok := cgoshape.CCall(call); ok {
		return name == "free"
	}
	return isCguard(call, "Free")
}

func isCguard(call *ssa.CallCommon, name string) bool {
	if call.IsInvoke() {
		return false
	}
	fn := call.StaticCallee()
	return fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == cguardPkg && fn.Name() == name
}

// harmless: cguard's functions do not assign the caller's variables.
func harmless(call *ssa.CallCommon) bool {
	fn := call.StaticCallee()
	return fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == cguardPkg
}

// events says what an instruction does to C memory: frees it, or uses it
// (hands it to C, directly or through a wrapper; reads or writes through
// it; copies from or into it).
func (c *checker) events(ins ssa.Instruction) []lifetime.Event {
	switch ins := ins.(type) {
	case ssa.CallInstruction:
		evs := c.callEvents(ins.Common())
		for i := range evs {
			if k := slices.Index(ins.Common().Args, evs[i].Value); k >= 0 {
				evs[i].Name = c.names.Operand(ins.Pos(), k)
			}
		}
		return evs
	case *ssa.UnOp:
		if ins.Op.String() == "*" {
			return []lifetime.Event{{Kind: lifetime.Use, Value: ins.X, Addr: true, What: "read"}}
		}
	case *ssa.Store:
		return []lifetime.Event{{Kind: lifetime.Use, Value: ins.Addr, Addr: true, What: "written"}}
	case *ssa.Return:
		// The caller gets freed memory, unless it also gets an error
		// and, by convention, ignores the rest.
		if returnsError(ins) {
			return nil
		}
		var out []lifetime.Event
		for _, v := range ins.Results {
			if pointerLike(v.Type()) {
				out = append(out, lifetime.Event{Kind: lifetime.Use, Value: v, What: "returned"})
			}
		}
		return out
	case *ssa.Convert:
		if _, ok := ins.X.Type().Underlying().(*types.Slice); ok {
			if isString(ins.Type()) {
				return []lifetime.Event{{Kind: lifetime.Use, Value: ins.X, What: "converted to a string"}}
			}
		}
	}
	return nil
}

func (c *checker) callEvents(call *ssa.CallCommon) []lifetime.Event {
	if cgoshape.IsCheckPointer(call) {
		return nil
	}
	if isFree(call) {
		if len(call.Args) != 1 || c.goMem[call] {
			return nil
		}
		return []lifetime.Event{{Kind: lifetime.Release, Value: call.Args[0], What: "freed"}}
	}
	if name, ok := cgoshape.CCall(call); ok {
		var out []lifetime.Event
		for _, a := range call.Args {
			if pointerLike(a.Type()) {
				out = append(out, lifetime.Event{Kind: lifetime.Use, Value: a, What: "passed to C." + name})
			}
		}
		return out
	}
	if b, ok := call.Value.(*ssa.Builtin); ok {
		if b.Name() == "copy" {
			var out []lifetime.Event
			for _, a := range call.Args {
				out = append(out, lifetime.Event{Kind: lifetime.Use, Value: a, What: "copied"})
			}
			return out
		}
		return nil
	}
	if call.IsInvoke() {
		return nil
	}
	// A Go function that hands its parameter to C.
	callee := call.StaticCallee()
	var out []lifetime.Event
	for _, r := range c.res.Reaches(callee) {
		if r.Mode != bridge.ByValue || r.Elems || r.Index >= len(call.Args) {
			continue
		}
		a := call.Args[r.Index]
		if !pointerLike(a.Type()) {
			continue
		}
		via := ""
		if len(r.Via) > 0 {
			via = " via " + strings.Join(r.Via, ", ")
		}
		out = append(out, lifetime.Event{Kind: lifetime.Use, Value: a,
			What: fmt.Sprintf("passed to %s, which hands it to %s%s", bridge.FuncLabel(callee), r.Sink, via)})
	}
	return out
}

// pointerLike reports whether values of t can carry a pointer C would
// dereference: pointers, unsafe.Pointer, uintptr, slices.
func pointerLike(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Slice:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer || u.Kind() == types.Uintptr
	}
	return false
}

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

// returnsError reports whether ret returns an error that may be non-nil.
func returnsError(ret *ssa.Return) bool {
	for _, v := range ret.Results {
		if !types.Identical(v.Type(), types.Universe.Lookup("error").Type()) {
			continue
		}
		if c, ok := v.(*ssa.Const); ok && c.IsNil() {
			continue
		}
		return true
	}
	return false
}
