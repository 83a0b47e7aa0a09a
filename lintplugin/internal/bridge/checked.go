package bridge

import (
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// checked reports whether cgo emitted a pointer check (_cgoCheckPointer)
// for the C argument a in fn. cgo checks exactly the arguments whose C
// parameter type can point to memory holding pointers (by its own reading
// of the C types, unions included, which the Go-side types cannot tell:
// cgo spells every union as a byte array), so an unchecked argument is
// memory C sees as integers. The check is on the argument or, for &x and
// x[i:j] arguments, on the address before conversions, so the two share
// their roots.
func (s *summaries) checked(fn *ssa.Function, a ssa.Value) bool {
	roots, ok := s.checks[fn]
	if !ok {
		roots = make(map[ssa.Value]bool)
		for _, b := range fn.Blocks {
			for _, ins := range b.Instrs {
				call, ok := ins.(*ssa.Call)
				if !ok || len(call.Call.Args) == 0 {
					continue
				}
				if callee := call.Call.StaticCallee(); callee == nil || callee.Name() != "_cgoCheckPointer" {
					continue
				}
				// The value itself counts too: a struct passed by value
				// has no roots of its own (its fields were stored one
				// by one).
				roots[flow.StripConversions(call.Call.Args[0])] = true
				for _, r := range flow.Roots(call.Call.Args[0]) {
					roots[r] = true
				}
			}
		}
		s.checks[fn] = roots
	}
	if roots[flow.StripConversions(a)] {
		return true
	}
	for _, r := range flow.Roots(a) {
		if roots[r] {
			return true
		}
	}
	return false
}
