package cgoheader

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// cOrigin reports whether every value v may come from is C memory: the
// result of a C function (C.malloc included), or a value of a C pointer
// type. It describes the first origin for a message ("the result of
// C.buffer", "p, a *C.char") and returns the C call, if it is one.
func (c *checker) cOrigin(v ssa.Value) (string, *ssa.Call, bool) {
	roots := flow.Roots(v)
	if len(roots) == 0 {
		return "", nil, false
	}
	desc := ""
	var call *ssa.Call
	for _, r := range roots {
		d := ""
		if rc, ok := r.(*ssa.Call); ok {
			if name, ok := cgoshape.CCall(rc.Common()); ok && api.Classify(rc.Common()).Kind != api.CCopyOut {
				d = "the result of C." + name
				if call == nil {
					call = rc
				}
			}
		}
		if d == "" && isCPointer(r.Type()) {
			d = "a " + cgoshape.TypeString(r.Type(), c.pass.Pkg)
			if p, ok := r.(*ssa.Parameter); ok {
				d = p.Name() + ", a " + cgoshape.TypeString(r.Type(), c.pass.Pkg)
			}
		}
		if d == "" {
			return "", nil, false
		}
		if desc == "" {
			desc = d
		}
	}
	return desc, call, true
}

// describe says what a Data value points at, for related information.
func (c *checker) describe(v ssa.Value) string {
	if d, _, ok := c.cOrigin(v); ok {
		return "C memory (" + d + ")"
	}
	roots := flow.Roots(v)
	if len(roots) > 0 && allGo(roots) {
		return "Go memory"
	}
	return "an address"
}

// allGo reports whether every root is Go memory the analysis can see: a
// variable, a new or make, or an element or field of one.
func allGo(roots []ssa.Value) bool {
	for _, r := range roots {
		switch r := r.(type) {
		case *ssa.Alloc, *ssa.MakeSlice, *ssa.Global:
		case *ssa.IndexAddr:
			if !allGo(flow.Roots(r.X)) {
				return false
			}
		case *ssa.FieldAddr:
			if !allGo(flow.Roots(r.X)) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func isCPointer(t types.Type) bool {
	p, ok := t.Underlying().(*types.Pointer)
	return ok && cgoshape.IsCType(p.Elem())
}
