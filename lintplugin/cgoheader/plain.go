package cgoheader

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
)

// checkPlain reports a header value (not the header of a real slice or
// string) converted to a slice or string. The unsafe.Pointer rules allow
// the header types only as *reflect.SliceHeader over a real slice: in a
// plain value Data is an integer, so neither the GC nor escape analysis
// sees the pointer (Go memory it points to may be freed or, on the stack,
// moved), whatever the memory is.
func (c *checker) checkPlain(h *header) {
	if h.form != plain || len(h.data) == 0 {
		return
	}
	conv := h.convs[0]
	name := "literal"
	if n := h.name(); n != "" {
		name = "value " + n
	}
	built := cgoshape.TypeString(h.built, c.pass.Pkg)
	d := analysis.Diagnostic{Pos: conv.Pos()}
	for _, st := range h.data {
		d.Related = append(d.Related, related(st, "Data set to "+c.describe(st.Val)))
	}
	for _, other := range h.convs[1:] {
		d.Related = append(d.Related, related(other, "converted again"))
	}
	want := c.suggestion(h.kind, h.elem(), conv.Pos())
	fix, ok := c.fixHeader(h, h.data[0])
	if ok {
		d.Pos, want = fix.pos, fix.call
		d.SuggestedFixes = []analysis.SuggestedFix{fix.SuggestedFix}
	}
	d.Message = fmt.Sprintf("reflect.%s %s is converted to a %s, but a header is valid only as *reflect.%s "+
		"over a real %s: in a plain value Data is an integer that neither the GC nor escape analysis sees as a pointer; "+
		"build the %s with %s",
		h.kind, name, built, h.kind, what(h.kind), what(h.kind), want)
	if ok {
		c.add(kindPlain, d, &fix)
	} else {
		c.add(kindPlain, d, nil)
	}
}

func what(kind string) string {
	if kind == "StringHeader" {
		return "string"
	}
	return "slice"
}
