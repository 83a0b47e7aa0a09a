package cgoheader

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// checkGoInC reports a header that lives in C memory (a C struct laid out
// as a slice or string header) whose Data is set to Go memory: C then
// holds a Go pointer, which cgo forbids, and as a uintptr it is hidden from
// both the GC and cgo's runtime checks, so the memory may be moved or
// freed while C uses it. Only what the analysis can see is reported: the
// header's memory comes from C (C.malloc or a pointer C returned) and every
// origin of Data is a Go variable, new, make or global.
func (c *checker) checkGoInC(h *header) {
	if h.form != unknown || !bridge.IsCMemory(h.base) {
		return
	}
	for _, st := range h.data {
		roots := flow.Roots(st.Val)
		if len(roots) == 0 || !allGo(roots) {
			continue
		}
		d := analysis.Diagnostic{Pos: st.Pos()}
		d.Message = fmt.Sprintf("Data of a reflect.%s in C memory set to Go memory: C must not hold Go pointers, "+
			"and in a uintptr the pointer is hidden from the GC and from cgo's checks, so the Go memory may move or be "+
			"freed while C uses it; copy the data into C memory (C.CBytes, C.malloc), or pin it with a runtime.Pinner "+
			"for as long as C holds it", h.kind)
		c.add(kindPlain, d, nil)
	}
}
