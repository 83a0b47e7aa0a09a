package cgohandle

import (
	"fmt"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// checkAddress reports &h passed to C, where h is a variable holding a
// handle the function does not delete: the handle is meant to outlive the
// call, so C keeps what it was given, a Go pointer it must not keep, rather
// than the handle. When the function deletes the handle, C can only use
// it during the call, which is the void* pattern runtime/cgo documents
// (C.myprint(unsafe.Pointer(&h))): silent. So is a variable no handle was
// stored in before the call: C may be filling it in (an out parameter).
func (c *checker) checkAddress(fn *ssa.Function) {
	for _, cr := range c.res.Crossings(fn) {
		if cr.Mode != bridge.ByValue || cr.Elems {
			continue
		}
		for _, root := range flow.Roots(cr.Value) {
			switch root.(type) {
			case *ssa.Alloc, *ssa.FreeVar:
			default:
				continue
			}
			p, ok := root.Type().Underlying().(*types.Pointer)
			if !ok {
				continue
			}
			typ, ok := api.HandleType(p.Elem())
			if !ok {
				continue
			}
			contents, _ := flow.Contents(root, cr.Instr)
			top := fn // the crossing may be in cgo's closure; the Delete is in the function
			for top.Parent() != nil {
				top = top.Parent()
			}
			if len(contents) == 0 || deleted(top, contents) {
				continue
			}
			name := varName(root)
			var related []analysis.RelatedInformation
			made := ""
			for _, v := range contents {
				if call, ok := v.(*ssa.Call); ok {
					if a := api.Classify(&call.Call); a.Kind == api.HandleNew {
						made = " from " + a.Name
						related = append(related, analysis.RelatedInformation{Pos: call.Pos(), Message: "the handle is made here"})
						break
					}
				}
			}
			via := ""
			if len(cr.Via) > 0 {
				via = " via " + strings.Join(cr.Via, ", then ")
			}
			c.r.Report(analysis.Diagnostic{Pos: cr.Pos, Related: related,
				Message: fmt.Sprintf("&%s, a Go pointer to the %s%s, passed to %s%s, and the handle is not deleted in this function, so C keeps it: "+
					"C must not keep a Go pointer; pass the handle's value (C.uintptr_t(%s)), or a copy in C memory",
					name, typ, made, cr.Sink, via, name)})
			break
		}
	}
}

func varName(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.Alloc:
		if v.Comment != "" {
			return v.Comment
		}
	case *ssa.FreeVar:
		return v.Name()
	}
	return "h"
}

// deleted reports whether fn (or a closure in it) deletes a handle whose
// value is one of vals.
func deleted(fn *ssa.Function, vals []ssa.Value) bool {
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			call, ok := ins.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if api.Classify(call.Common()).Kind != api.HandleDelete {
				continue
			}
			for _, r := range flow.Roots(call.Common().Args[0]) {
				if slices.Contains(vals, r) {
					return true
				}
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		if deleted(anon, vals) {
			return true
		}
	}
	return false
}
