package cgoheader

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// checkModernize reports the deprecated but correct pattern: Data of a
// real slice's or string's header (or of a header of unknown origin) set to
// C memory, directly or through a same-package helper whose parameter its
// callers give C memory.
func (c *checker) checkModernize(res *bridge.Result, hs []*header) {
	// Header writes whose Data comes from a parameter: helpers that lay a
	// header over whatever their callers pass.
	type param struct {
		h  *header
		st *ssa.Store
		i  int
	}
	helpers := make(map[*ssa.Function][]param)
	for _, h := range hs {
		if h.form == plain {
			continue // reported as a hazard
		}
		for _, st := range h.data {
			if desc, call, ok := c.cOrigin(st.Val); ok {
				var rel []analysis.RelatedInformation
				if call != nil {
					rel = append(rel, related(call, "the C memory comes from here"))
				}
				c.modernize(h, st, "C memory ("+desc+")", rel)
				continue
			}
			fn := h.fn
			for _, r := range flow.Roots(st.Val) {
				if p, ok := r.(*ssa.Parameter); ok && p.Parent() == fn && fn.Parent() == nil {
					helpers[fn] = append(helpers[fn], param{h, st, paramIndex(fn, p)})
				}
			}
		}
	}
	if len(helpers) == 0 {
		return
	}
	for _, fn := range res.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, ins := range b.Instrs {
				call, ok := ins.(ssa.CallInstruction)
				if !ok {
					continue
				}
				callee := call.Common().StaticCallee()
				for _, p := range helpers[callee] {
					if p.i < 0 || p.i >= len(call.Common().Args) {
						continue
					}
					desc, _, ok := c.cOrigin(call.Common().Args[p.i])
					if !ok {
						continue
					}
					c.modernize(p.h, p.st, fmt.Sprintf("parameter %s, which %s passes C memory (%s)",
						callee.Params[p.i].Name(), bridge.FuncLabel(fn), desc),
						[]analysis.RelatedInformation{related(call, bridge.FuncLabel(fn)+" passes C memory here")})
				}
			}
		}
	}
}

func (c *checker) modernize(h *header, st *ssa.Store, target string, rel []analysis.RelatedInformation) {
	d := analysis.Diagnostic{Pos: st.Pos(), Related: rel}
	if !d.Pos.IsValid() {
		d.Pos = st.Val.Pos()
	}
	want := c.suggestion(h.kind, h.elem(), d.Pos)
	fix, ok := c.fixHeader(h, st)
	if ok {
		d.Pos, want = fix.pos, fix.call
		d.SuggestedFixes = []analysis.SuggestedFix{fix.SuggestedFix}
	}
	of := ""
	if n := h.name(); n != "" && h.form == real {
		of = " of " + n
	}
	d.Message = fmt.Sprintf("reflect.%s%s set to %s: correct, but the header types are deprecated "+
		"and the uintptr hides the pointer from the compiler and vet; use %s", h.kind, of, target, want)
	if ok {
		c.add(kindModernize, d, &fix)
	} else {
		c.add(kindModernize, d, nil)
	}
}

func paramIndex(fn *ssa.Function, p *ssa.Parameter) int {
	for i, q := range fn.Params {
		if q == p {
			return i
		}
	}
	return -1
}
