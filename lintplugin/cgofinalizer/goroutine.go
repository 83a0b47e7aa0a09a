package cgofinalizer

import (
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// goLiteral returns the go statement that runs the function literal fn,
// when that is what fn is.
func goLiteral(fn *ssa.Function) *ssa.Go {
	parent := fn.Parent()
	if parent == nil {
		return nil
	}
	for _, b := range parent.Blocks {
		for _, ins := range b.Instrs {
			g, ok := ins.(*ssa.Go)
			if !ok {
				continue
			}
			switch v := g.Call.Value.(type) {
			case *ssa.Function:
				if v == fn {
					return g
				}
			case *ssa.MakeClosure:
				if v.Fn == fn {
					return g
				}
			}
		}
	}
	return nil
}

// droppedGo is dropped for a C call in a goroutine's function literal:
// the object (owned by the function that starts the goroutine) stays
// alive only if the goroutine itself uses it after the call, since the
// starting function does not wait for it. When the starting function
// uses the object after the go statement, whether it waits is not
// decided, and the candidate is dropped.
func (a *analyzer) droppedGo(cand *candidate, g *ssa.Go) string {
	lit := cand.outer
	goSite, parent := lift(g)
	roots := cand.roots
	var litVals []ssa.Value
	if mc, ok := g.Call.Value.(*ssa.MakeClosure); ok {
		// Roots the tracer left at a free variable: what the go
		// statement binds to it.
		var resolved []ssa.Value
		for _, r := range roots {
			fv, ok := r.(*ssa.FreeVar)
			if !ok || fv.Parent() != lit {
				resolved = append(resolved, r)
				continue
			}
			if j := slices.Index(lit.FreeVars, fv); j >= 0 && j < len(mc.Bindings) {
				resolved = append(resolved, flow.Roots(mc.Bindings[j])...)
			}
		}
		roots = resolved
		cand.roots = roots
		// The literal's own view of the object: its free variables bound
		// to the object, or to a variable holding it.
		vals, cells := objectValues(roots)
		for j, b := range mc.Bindings {
			if j >= len(lit.FreeVars) {
				break
			}
			byRef := cells[b]
			if !byRef {
				if contents, ok := flow.Contents(b, g); ok && slices.ContainsFunc(contents, func(v ssa.Value) bool { return slices.Contains(roots, v) }) {
					byRef = true
				}
			}
			if vals[b] || byRef {
				litVals = append(litVals, captured(lit.FreeVars[j], byRef)...)
			}
		}
	}
	regs := a.regsCache
	switch {
	case !owned(roots, parent, goSite, regs):
		return "the object is reachable from elsewhere (loaded from memory, a global, or not known to carry the finalizer here)"
	case clearsFinalizer(parent, roots):
		return "the function that starts the goroutine clears the finalizer or stops the cleanup"
	case len(litVals) > 0 && keptAlive(lit, cand.site, litVals):
		return "the goroutine uses the object after the call"
	case a.escapes(parent, goSite, roots):
		return "the object is stored where it outlives the goroutine's start"
	case keptAlive(parent, goSite, roots):
		return "the function that starts the goroutine uses the object after the go statement (whether it waits for the goroutine is not decided)"
	}
	cand.kind = goKind
	return ""
}
