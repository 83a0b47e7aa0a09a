package cgohandle

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/csummary"
)

// checkLeaks reports handles made in fn that fn never deletes and that go
// nowhere a Delete could happen later: not returned, stored, captured,
// handed to C or to any other function. Such a handle keeps its value
// alive for the life of the program.
func (c *checker) checkLeaks(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			call, ok := ins.(*ssa.Call)
			if !ok {
				continue
			}
			a := api.Classify(&call.Call)
			if a.Kind != api.HandleNew {
				continue
			}
			what := a.Name
			if c.fate(call, make(map[ssa.Value]bool), 0) != stays {
				continue
			}
			c.r.Reportf(call.Pos(), "handle from %s is never deleted and never leaves the function: "+
				"it keeps its value alive for the life of the program; call Delete when done (defer h.Delete())", what)
		}
	}
}

// A handle's fate in its function.
type handleFate uint8

const (
	stays  handleFate = iota // only looked at (Value, comparisons)
	leaves                   // deleted, or gone where it may be deleted
)

const maxFate = 16

// fate follows the handle value v through conversions, phis and local
// variables to its uses.
func (c *checker) fate(v ssa.Value, seen map[ssa.Value]bool, depth int) handleFate {
	if seen[v] {
		return stays
	}
	seen[v] = true
	if depth > maxFate {
		return leaves
	}
	refs := v.Referrers()
	if refs == nil {
		return stays
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.BinOp:
			if r.Op != token.EQL && r.Op != token.NEQ {
				return leaves // arithmetic on a handle: the analysis stops here
			}
		case *ssa.ChangeType, *ssa.Convert, *ssa.MultiConvert, *ssa.Phi:
			if c.fate(r.(ssa.Value), seen, depth+1) != stays {
				return leaves
			}
		case ssa.CallInstruction:
			call := r.Common()
			a := api.Classify(call)
			if a.Kind == api.HandleValue && call.Args[0] == v {
				continue
			}
			if a.Kind == api.CCall && c.cUsesOnly(a.C, call.Args, v) {
				continue // C uses the handle during the call and keeps nothing
			}
			return leaves // deleted, or passed on
		case *ssa.Store:
			a, ok := r.Addr.(*ssa.Alloc)
			if !ok || r.Val != v {
				return leaves
			}
			if c.variableFate(a, seen, depth+1) != stays {
				return leaves
			}
		default:
			return leaves
		}
	}
	return stays
}

// variableFate follows a handle stored in a local variable: stays only if
// the variable's address goes nowhere and every load of it is stays.
func (c *checker) variableFate(a *ssa.Alloc, seen map[ssa.Value]bool, depth int) handleFate {
	for _, r := range *a.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if r.Addr != a {
				return leaves
			}
		case *ssa.UnOp:
			if c.fate(r, seen, depth+1) != stays {
				return leaves
			}
		default:
			return leaves
		}
	}
	return stays
}

// cUsesOnly reports whether the C function name, called with args, only
// uses the handle v during the call (by the summary of its body or the
// libc table): it does not keep it anywhere a Delete could later follow.
func (c *checker) cUsesOnly(name string, args []ssa.Value, v ssa.Value) bool {
	f, err := c.res.CFunc(name)
	if err != nil {
		return false
	}
	for i, a := range args {
		if a != v {
			continue
		}
		p, ok := f.Param(i + 1)
		if !ok || p.Effects.Fate() != csummary.UsedOnly {
			return false
		}
	}
	return true
}
