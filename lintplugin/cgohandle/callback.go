package cgohandle

import (
	"fmt"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/csummary"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
	"github.com/cgoguard/cgoguard/lintplugin/internal/resource"
)

// checkStaleCallbacks reports a handle deleted while C can still call
// back with it: a C function kept the handle (by its summary), the
// function deletes it, and then calls a C function that may call an
// //export'ed Go function that resolves handles (Value or Delete), which
// then gets a deleted handle. Only the straight-line case is reported:
// any other C call between the one that keeps the handle and the Delete
// might be the one that makes C let go of it.
func (c *checker) checkStaleCallbacks(fn *ssa.Function) {
	calls := flow.CallsInOrder(fn, func(ci ssa.CallInstruction) bool {
		switch api.Classify(ci.Common()).Kind {
		case api.CCall, api.HandleDelete:
			return true
		}
		return false
	})
	if !slices.ContainsFunc(calls, func(ci ssa.CallInstruction) bool {
		return api.Classify(ci.Common()).Kind == api.HandleDelete
	}) {
		return // nothing deleted: no summary of C to read
	}
	for i, keep := range calls {
		kept := c.keptHandles(keep)
		if len(kept) == 0 {
			continue
		}
		for j := i + 1; j < len(calls); j++ {
			del := calls[j]
			a := api.Classify(del.Common())
			if a.Kind == api.CCall {
				break // C may let go of the handle here
			}
			if a.Kind != api.HandleDelete || !sharesRoot(kept, del.Common().Args[0]) {
				continue
			}
			for _, fire := range calls[j+1:] {
				fa := api.Classify(fire.Common())
				if fa.Kind != api.CCall {
					continue
				}
				export := c.resolvingExport(fa.C)
				if export == "" {
					continue
				}
				ka := api.Classify(keep.Common())
				c.r.Report(analysis.Diagnostic{Pos: fire.Pos(),
					Message: fmt.Sprintf("%s may call back into exported %s, which resolves handles, with the handle %s kept, "+
						"but the handle was deleted by Delete above: Value then panics or finds another value; "+
						"delete the handle only once C can no longer call back with it",
						fa.Name, export, ka.Name),
					Related: []analysis.RelatedInformation{
						{Pos: keep.Pos(), Message: ka.Name + " keeps the handle here"},
						{Pos: del.Pos(), Message: "the handle is deleted here"},
					}})
				return
			}
		}
	}
}

// keptHandles returns the handle values a C call passes to parameters the
// C function keeps, by its summary.
func (c *checker) keptHandles(ci ssa.CallInstruction) []ssa.Value {
	a := api.Classify(ci.Common())
	if a.Kind != api.CCall {
		return nil
	}
	f, err := c.res.CFunc(a.C)
	if err != nil {
		return nil
	}
	var out []ssa.Value
	for i, arg := range ci.Common().Args {
		if p, ok := f.Param(i + 1); ok && p.Effects.Retain == csummary.Yes && resource.HandleLike(arg.Type()) {
			out = append(out, arg)
		}
	}
	return out
}

// resolvingExport returns an //export'ed function the C function may call
// (by its summary) that resolves handles, or "".
func (c *checker) resolvingExport(name string) string {
	f, err := c.res.CFunc(name)
	if err != nil {
		return ""
	}
	for _, x := range f.Exports {
		for fn, export := range c.res.Exports {
			if export == x.Name && resolvesHandles(fn) {
				return export
			}
		}
	}
	return ""
}

// resolvesHandles reports whether fn (or a function literal in it) calls
// a handle's Value or Delete.
func resolvesHandles(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			if ci, ok := ins.(ssa.CallInstruction); ok {
				switch api.Classify(ci.Common()).Kind {
				case api.HandleValue, api.HandleDelete:
					return true
				}
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		if resolvesHandles(anon) {
			return true
		}
	}
	return false
}

// sharesRoot reports whether v comes from one of the values vs come from.
func sharesRoot(vs []ssa.Value, v ssa.Value) bool {
	roots := flow.Roots(v)
	for _, k := range vs {
		for _, r := range flow.Roots(k) {
			if slices.Contains(roots, r) {
				return true
			}
		}
	}
	return false
}
