package cgohandle

import (
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
)

// checkAddress reports &h passed to C, where h is a variable holding a
// handle: C gets a Go pointer it must not keep, and code that reads a
// handle out of it depends on the Go variable staying put. A variable
// no handle was stored in before the call is left alone: C may be filling
// it in (an out parameter).
func (c *checker) checkAddress(fn *ssa.Function) {
	for _, cr := range c.res.Crossings(fn) {
		if cr.Mode != bridge.ByValue || cr.Elems {
			continue
		}
		for _, root := range bridge.Roots(cr.Value) {
			switch root.(type) {
			case *ssa.Alloc, *ssa.FreeVar:
			default:
				continue
			}
			p, ok := root.Type().Underlying().(*types.Pointer)
			if !ok {
				continue
			}
			typ, ok := handleType(p.Elem())
			if !ok {
				continue
			}
			contents, _ := bridge.Contents(root, cr.Instr)
			if len(contents) == 0 {
				continue
			}
			name := varName(root)
			made := ""
			for _, v := range contents {
				if call, ok := v.(*ssa.Call); ok {
					if _, ok := isNewHandle(&call.Call); ok {
						made = " made at line " + strconv.Itoa(c.line(call.Pos()))
						break
					}
				}
			}
			via := ""
			if len(cr.Via) > 0 {
				via = " via " + strings.Join(cr.Via, ", then ")
			}
			c.r.Reportf(cr.Pos, "&%s, a Go pointer to the %s%s, passed to %s%s at line %d: "+
				"C must not keep a Go pointer, and the handle is the integer itself; pass the value: C.uintptr_t(%s)",
				name, typ, made, cr.Sink, via, c.line(cr.Pos), name)
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
