package resource

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/csummary"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
	"github.com/cgoguard/cgoguard/lintplugin/internal/lifetime"
)

// LeakConfig returns the lifetime configuration that follows who owns C
// memory a function allocates: C.CString, C.CBytes, C.malloc and friends,
// cguard's allocators, and C functions whose summary returns fresh heap
// memory acquire it; freeing it releases it; handing it on disposes of it:
// returning it, storing it anywhere but a local variable, passing it to
// Go code (which may keep it), to C code that keeps or frees it, or to C
// code whose behaviour the analysis cannot read. Only C functions known to
// use their argument during the call (by their body or the libc table),
// cgo's checks and copies (C.GoString), and unsafe views keep it owned.
// What is still owned at a return leaks.
func (e *Events) LeakConfig() lifetime.Config {
	return lifetime.Config{Events: e.leakEvents, Harmless: harmlessMemory}
}

// Acquires reports whether fn (or a closure it runs inline) allocates C
// memory, so that there is anything to follow.
func (e *Events) Acquires(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			if call, ok := ins.(*ssa.Call); ok && e.acquires(&call.Call) != "" {
				return true
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		if e.Acquires(anon) {
			return true
		}
	}
	return false
}

// acquires names the allocator when call returns C memory its caller
// owns, and how to free it ("C.free", "C.obj_free").
func (e *Events) acquires(call *ssa.CallCommon) string {
	a := api.Classify(call)
	switch a.Kind {
	case api.CAlloc:
		if a.Guard {
			return "cguard.Free"
		}
		return "C.free"
	case api.CCall:
		if res := call.Signature().Results(); res.Len() == 0 || !pointerLike(res.At(0).Type()) {
			return "" // no pointer comes back: nothing to own
		}
		f, err := e.res.CFunc(a.C)
		if err != nil || f.Result.Fresh != csummary.Yes {
			return ""
		}
		if f.Result.Dealloc != "" {
			return "C." + f.Result.Dealloc
		}
		return "the function that releases what C." + a.C + " returns"
	}
	return ""
}

func (e *Events) leakEvents(ins ssa.Instruction) []lifetime.Event {
	dispose := func(vs ...ssa.Value) []lifetime.Event {
		var out []lifetime.Event
		for _, v := range vs {
			if mayCarry(v.Type()) {
				out = append(out, lifetime.Event{Kind: lifetime.Dispose, Value: v})
			}
		}
		return out
	}
	switch ins := ins.(type) {
	case ssa.CallInstruction:
		return e.leakCallEvents(ins, dispose)
	case *ssa.Store:
		evs := dispose(ins.Val)
		for i := range evs {
			evs[i].Into = ins.Addr
		}
		return evs
	case *ssa.MapUpdate:
		return dispose(ins.Key, ins.Value)
	case *ssa.Send:
		return dispose(ins.X)
	case *ssa.Return:
		return dispose(ins.Results...)
	case *ssa.MakeClosure:
		if flow.CalledOnTheSpot(ins) {
			return nil // cgo's wrappers and func(){...}(): run inline
		}
		var out []lifetime.Event
		for _, b := range ins.Bindings {
			out = append(out, lifetime.Event{Kind: lifetime.Dispose, Value: b, Var: true})
		}
		return out
	}
	return nil
}

func (e *Events) leakCallEvents(ci ssa.CallInstruction, dispose func(...ssa.Value) []lifetime.Event) []lifetime.Event {
	call := ci.Common()
	a := api.Classify(call)
	switch a.Kind {
	case api.CgoCheck, api.View, api.ReflectValueOf, api.ReflectPointer, api.KeepAlive, api.CCopyOut:
		return nil
	case api.CFree:
		if len(call.Args) == 1 {
			return []lifetime.Event{{Kind: lifetime.Release, Value: call.Args[0], What: "freed by " + a.Name}}
		}
		return nil
	case api.CAlloc, api.CCall:
		var out []lifetime.Event
		if c, ok := ci.(*ssa.Call); ok {
			if how := e.acquires(call); how != "" {
				out = append(out, lifetime.Event{Kind: lifetime.Acquire, Value: c, What: "allocated by " + a.Name, Cause: how})
			}
		}
		for i, arg := range call.Args {
			if !pointerLike(arg.Type()) {
				continue
			}
			if a.Kind == api.CCall && e.cUsesOnly(a.C, i) {
				continue
			}
			out = append(out, dispose(arg)...)
		}
		return out
	}
	if b, ok := call.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "append":
			return dispose(call.Args...)
		}
		return nil
	}
	// Go code: it may keep what it is given, unless its summary says it
	// only borrows the argument.
	args := call.Args
	var borrows []int
	switch v := call.Value.(type) {
	case *ssa.MakeClosure:
		if flow.CalledOnTheSpot(v) {
			return nil // run inline: its own instructions say what it does
		}
	case *ssa.Function:
		if eff, ok := e.lookup(v, CMemory); ok {
			borrows = eff.Borrows
		}
	default:
		args = append([]ssa.Value{v}, args...)
	}
	var out []lifetime.Event
	for i, a := range args {
		if !slices.Contains(borrows, i) {
			out = append(out, dispose(a)...)
		}
	}
	return out
}

// cUsesOnly reports whether the C function name only uses its argument i
// (from 0) during the call, by its summary.
func (e *Events) cUsesOnly(name string, i int) bool {
	f, err := e.res.CFunc(name)
	if err != nil {
		return false
	}
	p, ok := f.Param(i + 1)
	return ok && p.Effects.Fate() == csummary.UsedOnly && p.Contents.Fate() != csummary.Retained
}

// mayCarry reports whether values of t can carry a C pointer on.
func mayCarry(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.UnsafePointer || u.Kind() == types.Uintptr
	case *types.Pointer, *types.Slice, *types.Struct, *types.Array, *types.Interface, *types.Map, *types.Chan, *types.Signature:
		return true
	}
	_, ok := t.(*types.TypeParam)
	return ok
}
