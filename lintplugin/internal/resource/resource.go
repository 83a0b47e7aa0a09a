// Package resource says what each instruction does to the two resources
// whose lifetimes cgoguard follows: C memory (allocated by C or the
// guard, released by C.free, cguard.Free, C.realloc, or a function whose
// summary frees it) and handles (cgo.Handle and guard.Handle, released by
// Delete). The engine's summaries and the cgofree and cgohandle checks run
// the lifetime analysis with these events, so a free done in a helper or a
// Close method counts at the call exactly as a C.free there would.
package resource

import (
	"fmt"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/csummary"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
	"github.com/cgoguard/cgoguard/lintplugin/internal/lifetime"
)

// Kind is a resource.
type Kind uint8

const (
	CMemory Kind = iota
	Handle
	// Ownership: who owns the C memory a function allocates (leaks).
	Ownership
)

func (k Kind) String() string {
	switch k {
	case Handle:
		return "handle"
	case Ownership:
		return "ownership of C memory"
	}
	return "C memory"
}

// An Effect is what a function does to one of its parameters, or to a
// part of one (Path, as lifetime.Event.Path), as its callers see it.
type Effect struct {
	Param int
	Path  string
	// What it does, for messages: "C.free", "C.free via freeAll",
	// "C.use", "Delete".
	What string
}

// Effects is what a function does to one resource through its
// parameters: releases that hold when it returns, and uses.
type Effects struct {
	Releases []Effect
	Uses     []Effect
	// Borrows lists the parameters (indices) that can carry C memory and
	// that the function neither frees nor hands on: it only uses them
	// during the call, so a caller still owns what it passes.
	Borrows []int
}

// Lookup returns a Go function's effects on a resource, when known.
type Lookup func(fn *ssa.Function, k Kind) (Effects, bool)

// Events says what instructions do to resources in one package.
type Events struct {
	pass   *analysis.Pass
	res    *bridge.Result
	lookup Lookup
	names  *lifetime.Names
	goMem  map[*ssa.CallCommon]bool
}

// New prepares the events of a package; lookup gives callees' effects.
func New(pass *analysis.Pass, res *bridge.Result, lookup Lookup) *Events {
	return &Events{pass: pass, res: res, lookup: lookup,
		names: lifetime.NewNames(pass.Files, pass.TypesInfo), goMem: make(map[*ssa.CallCommon]bool)}
}

// Config returns the lifetime configuration for resource k.
func (e *Events) Config(k Kind) lifetime.Config {
	switch k {
	case Handle:
		return lifetime.Config{Events: e.handleEvents, Harmless: harmlessHandle}
	case Ownership:
		return e.LeakConfig()
	}
	return lifetime.Config{Events: e.memoryEvents, Harmless: harmlessMemory}
}

// Touches reports whether fn is worth the lifetime analysis for resource
// k. Most Go code never sees C memory or handles: only functions that call
// C, free or delete, call a function whose summary does, or take
// parameters that can carry C memory or a handle (for ownership: that
// allocate C memory). The events themselves are not scanned: they may
// read the C side, the costly part, and a function that turns out to have
// none costs one cheap lifetime run.
func (e *Events) Touches(fn *ssa.Function, k Kind) bool {
	if k == Ownership {
		return e.Acquires(fn)
	}
	for _, p := range fn.Params {
		if carries(p.Type(), k) {
			return true
		}
	}
	return e.callsRelevant(fn, k)
}

func (e *Events) callsRelevant(fn *ssa.Function, k Kind) bool {
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			ci, ok := ins.(ssa.CallInstruction)
			if !ok {
				continue
			}
			call := ci.Common()
			switch api.Classify(call).Kind {
			case api.CFree, api.CCall, api.CAlloc, api.CCopyOut, api.View:
				if k == CMemory {
					return true
				}
				if k == Handle && api.Classify(call).Kind == api.CCall {
					return true
				}
			case api.HandleDelete, api.HandleValue, api.HandleNew:
				if k == Handle {
					return true
				}
			}
			if callee, _ := e.res.Callee(call); callee != nil && e.lookup != nil && e.res.Pkg != nil && callee != fn {
				if eff, ok := e.lookup(callee, k); ok && len(eff.Releases)+len(eff.Uses) > 0 {
					return true
				}
			}
			if len(e.res.Reaches(call.StaticCallee())) > 0 {
				return true
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		if e.callsRelevant(anon, k) {
			return true
		}
	}
	return false
}

// carries reports whether a parameter of type t can carry resource k: C
// memory comes as unsafe.Pointer or a pointer to a C type, a handle as a
// Handle; a pointer to a struct, or a struct, may hold one in a field.
func carries(t types.Type, k Kind) bool {
	if word(t, k) {
		return true
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if st, ok := t.Underlying().(*types.Struct); ok {
		for i := range st.NumFields() {
			if word(st.Field(i).Type(), k) {
				return true
			}
		}
	}
	return false
}

func word(t types.Type, k Kind) bool {
	if k == Handle {
		_, ok := api.HandleType(t)
		return ok
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	case *types.Pointer:
		return cgoshape.IsCType(u.Elem())
	}
	return false
}

// summaryEvents turns a callee's effects on resource k into events at the
// call. An interface call counts when its receiver has one concrete type
// (var c io.Closer = w; c.Close()).
func (e *Events) summaryEvents(ci ssa.CallInstruction, k Kind) []lifetime.Event {
	call := ci.Common()
	fn, offset := e.res.Callee(call)
	if fn == nil || e.lookup == nil {
		return nil
	}
	eff, ok := e.lookup(fn, k)
	if !ok {
		return nil
	}
	arg := func(i int) ssa.Value {
		switch {
		case offset == 1 && i == 0:
			return call.Value
		case i-offset >= 0 && i-offset < len(call.Args):
			return call.Args[i-offset]
		}
		return nil
	}
	var out []lifetime.Event
	label := e.callLabel(ci, fn)
	for _, r := range eff.Releases {
		if a := arg(r.Param); a != nil {
			out = append(out, lifetime.Event{Kind: lifetime.Release, Value: a, Path: r.Path,
				What: releasedBy(k) + " by " + label + via(r.What), Cause: r.What})
		}
	}
	for _, u := range eff.Uses {
		if a := arg(u.Param); a != nil {
			out = append(out, lifetime.Event{Kind: lifetime.Use, Value: a, Path: u.Path,
				What: "used by " + label + via(u.What), Cause: u.What})
		}
	}
	return out
}

// callLabel names the callee of a call as the source spells the call:
// "b.Close" for a method called on b, "lib.Free" for another package's
// function, "freeAll" for this package's.
func (e *Events) callLabel(ci ssa.CallInstruction, fn *ssa.Function) string {
	if fn.Signature.Recv() != nil && !ci.Common().IsInvoke() {
		if recv := e.names.Operand(ci.Pos(), -1); recv != "" {
			return recv + "." + fn.Name()
		}
	}
	label := bridge.FuncLabel(fn)
	if fn.Pkg != nil && fn.Pkg.Pkg != e.pass.Pkg && fn.Signature.Recv() == nil && fn.Parent() == nil {
		label = fn.Pkg.Pkg.Name() + "." + label
	}
	return label
}

func releasedBy(k Kind) string {
	if k == Handle {
		return "deleted"
	}
	return "freed"
}

// via words what a callee does for messages: " (C.free)".
func via(what string) string {
	if what == "" {
		return ""
	}
	return " (" + what + ")"
}

// named fills in how the source names each event's resource at a call:
// the operand, and the fields of an event about a part of it ("b.data").
func (e *Events) named(ci ssa.CallInstruction, evs []lifetime.Event) []lifetime.Event {
	call := ci.Common()
	for i := range evs {
		ev := &evs[i]
		if ev.Name != "" {
			continue
		}
		k := slices.Index(call.Args, ev.Value)
		if k < 0 {
			continue
		}
		if call.Signature().Recv() != nil && !call.IsInvoke() {
			k-- // a method's receiver is Args[0] and the source's receiver operand
		}
		if n := e.names.Operand(ci.Pos(), k); n != "" {
			ev.Name = lifetime.PathName(n, ev.Value.Type(), ev.Path)
		}
	}
	return evs
}

// memoryEvents says what an instruction does to C memory: frees it, or
// uses it (hands it to C, directly or through a wrapper; reads or writes
// through it; copies from or into it; returns it).
func (e *Events) memoryEvents(ins ssa.Instruction) []lifetime.Event {
	switch ins := ins.(type) {
	case ssa.CallInstruction:
		return e.named(ins, e.memoryCallEvents(ins))
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
		if _, ok := ins.X.Type().Underlying().(*types.Slice); ok && isString(ins.Type()) {
			return []lifetime.Event{{Kind: lifetime.Use, Value: ins.X, What: "converted to a string"}}
		}
	}
	return nil
}

func (e *Events) memoryCallEvents(ci ssa.CallInstruction) []lifetime.Event {
	call := ci.Common()
	a := api.Classify(call)
	switch a.Kind {
	case api.CgoCheck:
		return nil
	case api.CFree:
		if len(call.Args) != 1 || e.IsGoMemoryFree(call) {
			return nil
		}
		return []lifetime.Event{{Kind: lifetime.Release, Value: call.Args[0], What: "freed by " + a.Name, Cause: a.Name}}
	case api.CAlloc, api.CCopyOut, api.CCall:
		var out []lifetime.Event
		for i, arg := range call.Args {
			if !pointerLike(arg.Type()) {
				continue
			}
			if c, ok := flow.Lift(ci).(*ssa.Call); ok && a.C == "realloc" && i == 0 {
				// C.realloc(p, n) frees p when it returns a new
				// pointer: past a branch that finds the result (as
				// the user's code gets it, out of cgo's wrapper) nil,
				// p is still live (Event.Unless).
				out = append(out, lifetime.Event{Kind: lifetime.Release, Value: arg, Unless: c,
					What: "freed by C.realloc", Cause: a.Name})
				continue
			}
			if a.Kind == api.CCall && !isGoMemory(arg) && e.cFrees(a.C, i) {
				// A C function that frees its argument (x_destroy(p)).
				out = append(out, lifetime.Event{Kind: lifetime.Release, Value: arg,
					What: "freed by " + a.Name, Cause: a.Name})
				continue
			}
			out = append(out, lifetime.Event{Kind: lifetime.Use, Value: arg, What: "passed to " + a.Name, Cause: a.Name})
		}
		return out
	}
	if b, ok := call.Value.(*ssa.Builtin); ok {
		if b.Name() == "copy" {
			var out []lifetime.Event
			for _, arg := range call.Args {
				out = append(out, lifetime.Event{Kind: lifetime.Use, Value: arg, What: "copied"})
			}
			return out
		}
		return nil
	}
	if call.IsInvoke() {
		return released(e.summaryEvents(ci, CMemory))
	}
	// A Go function that hands its parameter to C, possibly in another
	// package (the bridge's facts), then what its summary says.
	var out []lifetime.Event
	callee := call.StaticCallee()
	for _, r := range e.res.Reaches(callee) {
		if r.Mode != bridge.ByValue || r.Elems || r.Index >= len(call.Args) {
			continue
		}
		arg := call.Args[r.Index]
		if !pointerLike(arg.Type()) {
			continue
		}
		v := ""
		if len(r.Via) > 0 {
			v = " via " + strings.Join(r.Via, ", ")
		}
		out = append(out, lifetime.Event{Kind: lifetime.Use, Value: arg, Cause: r.Sink.String(),
			What: fmt.Sprintf("passed to %s, which hands it to %s%s", bridge.FuncLabel(callee), r.Sink, v)})
	}
	return released(append(out, e.uncovered(out, e.summaryEvents(ci, CMemory))...))
}

// harmlessMemory: the guard's allocator functions do not assign the
// caller's variables.
func harmlessMemory(call *ssa.CallCommon) bool {
	fn := call.StaticCallee()
	return fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == api.CguardPkg
}

// handleEvents: Delete releases a handle; Value and handing it to C use it.
func (e *Events) handleEvents(ins ssa.Instruction) []lifetime.Event {
	ci, ok := ins.(ssa.CallInstruction)
	if !ok {
		return nil
	}
	call := ci.Common()
	switch a := api.Classify(call); a.Kind {
	case api.HandleDelete:
		return []lifetime.Event{{Kind: lifetime.Release, Value: call.Args[0], What: "deleted by Delete", Cause: "Delete",
			Name: e.names.Operand(ci.Pos(), -1)}}
	case api.HandleValue:
		return []lifetime.Event{{Kind: lifetime.Use, Value: call.Args[0], What: "used by Value", Cause: "Value",
			Name: e.names.Operand(ci.Pos(), -1)}}
	case api.HandleNew:
		return nil
	}
	var out []lifetime.Event
	for _, cr := range e.crossingsAt(ci) {
		if !HandleLike(cr.Value.Type()) {
			continue
		}
		what := "passed to " + cr.Sink.String()
		if len(cr.Via) > 0 {
			what = "passed to " + bridge.FuncLabel(call.StaticCallee()) + ", which hands it to " + cr.Sink.String()
		}
		out = append(out, lifetime.Event{Kind: lifetime.Use, Value: cr.Value, What: what, Cause: cr.Sink.String(),
			Name: e.names.Operand(ci.Pos(), slices.Index(call.Args, cr.Value))})
	}
	return released(append(out, e.named(ci, e.uncovered(out, e.summaryEvents(ci, Handle)))...))
}

// released drops the uses of values the same call releases: a helper
// that frees its parameter hands it to C.free, which is the release, not
// a use before it.
func released(evs []lifetime.Event) []lifetime.Event {
	return slices.DeleteFunc(evs, func(u lifetime.Event) bool {
		return u.Kind == lifetime.Use && slices.ContainsFunc(evs, func(r lifetime.Event) bool {
			return r.Kind == lifetime.Release && r.Value == u.Value && r.Path == u.Path
		})
	})
}

// uncovered returns the summary events evs that say more than the events
// have already do: a use of a value already known to be handed to C is
// worded by the crossing.
func (e *Events) uncovered(have, evs []lifetime.Event) []lifetime.Event {
	var out []lifetime.Event
	for _, ev := range evs {
		if ev.Kind == lifetime.Use && ev.Path == "" && slices.ContainsFunc(have, func(o lifetime.Event) bool { return o.Value == ev.Value }) {
			continue
		}
		out = append(out, ev)
	}
	return out
}

// crossingsAt returns the crossings into C, by value, at the call.
func (e *Events) crossingsAt(ci ssa.CallInstruction) []bridge.Crossing {
	var out []bridge.Crossing
	for _, cr := range e.res.CrossingsAt(ci) {
		if cr.Mode == bridge.ByValue && !cr.Elems {
			out = append(out, cr)
		}
	}
	return out
}

// harmlessHandle: the handle functions do not assign the caller's
// variables.
func harmlessHandle(call *ssa.CallCommon) bool {
	switch api.Classify(call).Kind {
	case api.HandleNew, api.HandleValue, api.HandleDelete:
		return true
	}
	return false
}

// HandleLike reports whether values of t can carry a handle: integers
// (C.uintptr_t, uintptr, the Handle itself).
func HandleLike(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
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

// cFrees reports whether the C function name frees its argument i (from
// 0) on every path, by its summary: its body, the libc table, a malloc
// attribute's deallocator, or the free-functions setting.
func (e *Events) cFrees(name string, i int) bool {
	f, err := e.res.CFunc(name)
	if err != nil {
		return false
	}
	p, ok := f.Param(i + 1)
	return ok && p.Effects.Fate() == csummary.Freed
}

// isGoMemory reports whether v surely points to Go memory, which no C
// function frees: the C side need not be read for it.
func isGoMemory(v ssa.Value) bool {
	_, ok := GoMemory(v)
	return ok
}

// CarriesC reports whether a value of type t can be a C pointer: a
// pointer to a C type, or unsafe.Pointer.
func CarriesC(t types.Type) bool { return word(t, CMemory) }
