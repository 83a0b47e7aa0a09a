package cgofree

import (
	"fmt"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
	"github.com/cgoguard/cgoguard/lintplugin/internal/lifetime"
	"github.com/cgoguard/cgoguard/lintplugin/internal/resource"
)

// checkFinalizerFrees reports an exported method that frees C memory held
// in a field of its receiver when a finalizer set on the same type frees
// it too: a caller who calls the method, as its API asks, gets the memory
// freed a second time when the object is collected. A method that clears
// the finalizer (runtime.SetFinalizer(x, nil)) or the field (x.p = nil)
// after freeing it, and a finalizer that frees only under a condition
// (if !x.closed), are fine.
func (c *checker) checkFinalizerFrees() {
	for _, reg := range c.finalizers() {
		for _, m := range methodsOf(c.sum.Bridge(), reg.typ) {
			if m == reg.fn || !m.Object().Exported() || clearsFinalizer(m) {
				continue
			}
			lr, ok := c.sum.Lifetime(m, resource.CMemory)
			if !ok {
				continue
			}
			for _, ev := range lr.Exit {
				if ev.Param != 0 || ev.Guarded || !reg.frees(ev.Path) {
					continue
				}
				name := lifetime.PathName(m.Params[0].Name(), m.Params[0].Type(), ev.Path)
				c.r.Report(analysis.Diagnostic{Pos: ev.Pos,
					Message: fmt.Sprintf("%s freed by %s, and freed again by the finalizer set in %s when the object is collected: "+
						"double free corrupts the C heap; clear the finalizer in %s (runtime.SetFinalizer(%s, nil)) or set %s to nil after freeing it",
						name, m.Name(), bridge.FuncLabel(reg.call.Parent()), m.Name(), m.Params[0].Name(), name),
					Related: []analysis.RelatedInformation{{Pos: reg.call.Pos(), Message: "the finalizer is set here"}}})
				break
			}
		}
	}
}

// A finalizerReg is a runtime.SetFinalizer call on a *T whose finalizer
// frees fields of the object.
type finalizerReg struct {
	call  *ssa.Call
	typ   *types.Named
	fn    *ssa.Function
	paths []string // fields of the object the finalizer frees (see lifetime.Event.Path)
}

func (r finalizerReg) frees(path string) bool {
	for _, p := range r.paths {
		if p == path {
			return true
		}
	}
	return false
}

// finalizers finds the package's SetFinalizer calls whose finalizer frees
// fields of the object on every path (by its summary).
func (c *checker) finalizers() []finalizerReg {
	var out []finalizerReg
	for _, fn := range c.sum.SrcFuncs() {
		for _, b := range fn.Blocks {
			for _, ins := range b.Instrs {
				call, ok := ins.(*ssa.Call)
				if !ok || api.Classify(&call.Call).Kind != api.SetFinalizer || len(call.Call.Args) != 2 {
					continue
				}
				obj := flow.StripConversions(call.Call.Args[0])
				ptr, ok := obj.Type().Underlying().(*types.Pointer)
				if !ok {
					continue
				}
				named, ok := types.Unalias(ptr.Elem()).(*types.Named)
				if !ok {
					continue
				}
				fin := flow.FuncValue(call.Call.Args[1])
				if fin == nil || len(fin.Params) == 0 {
					continue
				}
				eff, ok := c.sum.Effects(fin, resource.CMemory)
				if !ok {
					continue
				}
				reg := finalizerReg{call: call, typ: named, fn: fin}
				for _, r := range eff.Releases {
					if r.Param == 0 && r.Path != "" {
						reg.paths = append(reg.paths, r.Path)
					}
				}
				if len(reg.paths) > 0 {
					out = append(out, reg)
				}
			}
		}
	}
	return out
}

// methodsOf returns the SSA functions of the methods of *T declared in the
// package.
func methodsOf(res *bridge.Result, named *types.Named) []*ssa.Function {
	if res.Pkg == nil || named.Obj().Pkg() != res.Pkg.Pkg {
		return nil
	}
	var out []*ssa.Function
	mset := res.Pkg.Prog.MethodSets.MethodSet(types.NewPointer(named))
	for sel := range mset.Methods() {
		if fn := res.Pkg.Prog.MethodValue(sel); fn != nil && fn.Synthetic == "" && len(fn.Params) > 0 {
			out = append(out, fn)
		}
	}
	return out
}

// clearsFinalizer reports whether fn calls runtime.SetFinalizer(x, nil).
func clearsFinalizer(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			call, ok := ins.(*ssa.Call)
			if !ok || api.Classify(&call.Call).Kind != api.SetFinalizer || len(call.Call.Args) != 2 {
				continue
			}
			if c, ok := flow.StripConversions(call.Call.Args[1]).(*ssa.Const); ok && c.IsNil() {
				return true
			}
		}
	}
	return false
}
