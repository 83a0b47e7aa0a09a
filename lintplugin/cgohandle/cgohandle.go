// Package cgohandle defines an Analyzer that reports cgo.Handle misuse:
// use or Delete after Delete, handles that leak, and pointers to handles
// passed to C.
package cgohandle

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/lifetime"
	"github.com/cgoguard/cgoguard/lintplugin/internal/report"
)

const Doc = `report cgo.Handle used after Delete, leaked, or passed as &h

A handle names a Go value for C until Delete. Within a function, on some
path: Value, passing the handle to C (directly or through a Go wrapper), or
a second Delete after Delete (Delete and Value panic on a deleted handle,
and once the number is reused they find another value); a handle from
cgo.NewHandle that the function neither deletes nor lets go anywhere (a
leak: the value is never collected); &h, a Go pointer to a variable holding
a handle, passed to C instead of the handle's value, which C must not keep.
The guard's own handle type (guard.Handle) is checked the same way.`

var Analyzer = &analysis.Analyzer{
	Name:             "cgohandle",
	Doc:              Doc,
	URL:              "https://github.com/cgoguard/cgoguard#cgohandle",
	Requires:         []*analysis.Analyzer{bridge.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
}

// guardPkg holds the guard's Handle, checked like cgo.Handle.
const guardPkg = "github.com/cgoguard/cgoguard/guard"

func run(pass *analysis.Pass) (any, error) {
	res, _ := pass.ResultOf[bridge.Analyzer].(*bridge.Result)
	if res == nil || res.Pkg == nil {
		return nil, nil
	}
	c := &checker{pass: pass, res: res, r: report.New(pass, "cgohandle"), names: lifetime.NewNames(pass.Files, pass.TypesInfo)}
	for _, fn := range res.SrcFuncs {
		c.checkAddress(fn)
		c.checkLeaks(fn)
		if !lifetime.RunsInline(fn) && deletes(fn) {
			c.checkDeletes(fn)
		}
	}
	return nil, nil
}

type checker struct {
	pass  *analysis.Pass
	res   *bridge.Result
	r     *report.Reporter
	names *lifetime.Names
	cross map[ssa.Instruction][]bridge.Crossing // by call, per function indexed
	done  map[*ssa.Function]bool
}

func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }

// handleType reports whether t is cgo.Handle or guard.Handle, and how to
// name it.
func handleType(t types.Type) (string, bool) {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Name() != "Handle" {
		return "", false
	}
	switch n.Obj().Pkg().Path() {
	case "runtime/cgo":
		return "cgo.Handle", true
	case guardPkg:
		return "guard.Handle", true
	}
	return "", false
}

// handleMethod reports the Handle method call calls (Delete, Value).
func handleMethod(call *ssa.CallCommon) (string, bool) {
	if call.IsInvoke() {
		return "", false
	}
	fn := call.StaticCallee()
	if fn == nil || fn.Signature.Recv() == nil || len(call.Args) == 0 {
		return "", false
	}
	if _, ok := handleType(fn.Signature.Recv().Type()); !ok {
		return "", false
	}
	return fn.Name(), true
}

// isNewHandle reports whether call is cgo.NewHandle or guard.NewHandle.
func isNewHandle(call *ssa.CallCommon) (string, bool) {
	if call.IsInvoke() {
		return "", false
	}
	fn := call.StaticCallee()
	if fn == nil || fn.Name() != "NewHandle" || fn.Pkg == nil || fn.Signature.Recv() != nil {
		return "", false
	}
	switch fn.Pkg.Pkg.Path() {
	case "runtime/cgo":
		return "cgo.NewHandle", true
	case guardPkg:
		return "guard.NewHandle", true
	}
	return "", false
}

// deletes reports whether fn, or a closure it runs, deletes a handle.
func deletes(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			if call, ok := ins.(ssa.CallInstruction); ok {
				if m, ok := handleMethod(call.Common()); ok && m == "Delete" {
					return true
				}
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		if deletes(anon) {
			return true
		}
	}
	return false
}

func (c *checker) checkDeletes(fn *ssa.Function) {
	res := lifetime.Analyze(fn, lifetime.Config{Events: c.events, Harmless: harmless})
	for _, f := range res.Findings {
		first, then := f.Release, f.Then
		name := first.Name
		if name == "" {
			name = "the handle"
		}
		n := lifetime.Narrate(c.pass.Fset, f, name, "deleted", "Delete")
		deleted, subject, when := n.First, n.Through, n.When
		switch f.Problem {
		case lifetime.UseAfterRelease:
			why := "Value panics on a deleted handle (or, once the number is reused, returns another value); delete the handle after its last use"
			if then.What != "Value called" {
				why = "C will hand back a handle that no longer exists; delete it only when C is done with it"
			}
			c.r.Reportf(then.Pos, "%s, used at line %d%s (%s)%s: %s", deleted, c.line(then.Pos), subject, then.What, when, why)
		case lifetime.DoubleRelease:
			if then.Deferred && !first.Deferred {
				c.r.Reportf(first.Pos, "%s deleted at line %d, deleted again when the function returns, by the Delete deferred at line %d: "+
					"Delete panics on a deleted handle; drop this Delete or the deferred one", name, c.line(first.Pos), c.line(then.Defer))
				continue
			}
			c.r.Reportf(then.Pos, "%s, deleted again at line %d%s%s: Delete panics on a deleted handle; delete once on every path",
				deleted, c.line(then.Pos), subject, when)
		}
	}
}

// events: Delete releases a handle; Value and handing it to C use it.
func (c *checker) events(ins ssa.Instruction) []lifetime.Event {
	ci, ok := ins.(ssa.CallInstruction)
	if !ok {
		return nil
	}
	call := ci.Common()
	if m, ok := handleMethod(call); ok {
		switch m {
		case "Delete":
			return []lifetime.Event{{Kind: lifetime.Release, Value: call.Args[0], What: "deleted",
				Name: c.names.Operand(ci.Pos(), -1)}}
		case "Value":
			return []lifetime.Event{{Kind: lifetime.Use, Value: call.Args[0], What: "Value called",
				Name: c.names.Operand(ci.Pos(), -1)}}
		}
		return nil
	}
	var out []lifetime.Event
	for _, cr := range c.crossingsAt(ci) {
		if !handleLike(cr.Value.Type()) {
			continue
		}
		what := "passed to " + cr.Sink
		if len(cr.Via) > 0 {
			what = "passed to " + bridge.FuncLabel(call.StaticCallee()) + ", which hands it to " + cr.Sink
		}
		out = append(out, lifetime.Event{Kind: lifetime.Use, Value: cr.Value, What: what,
			Name: c.names.Operand(ci.Pos(), slices.Index(call.Args, cr.Value))})
	}
	return out
}

// crossingsAt returns the crossings into C at the call instruction.
func (c *checker) crossingsAt(ci ssa.CallInstruction) []bridge.Crossing {
	if c.cross == nil {
		c.cross, c.done = make(map[ssa.Instruction][]bridge.Crossing), make(map[*ssa.Function]bool)
	}
	if fn := ci.Parent(); !c.done[fn] {
		c.done[fn] = true
		for _, cr := range c.res.Crossings(fn) {
			if cr.Mode == bridge.ByValue && !cr.Elems {
				c.cross[cr.Instr] = append(c.cross[cr.Instr], cr)
			}
		}
	}
	return c.cross[ci]
}

// handleLike reports whether values of t can carry a handle: integers
// (C.uintptr_t, uintptr, the Handle itself).
func handleLike(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// harmless: the handle functions do not assign the caller's variables.
func harmless(call *ssa.CallCommon) bool {
	if _, ok := handleMethod(call); ok {
		return true
	}
	_, ok := isNewHandle(call)
	return ok
}
