package lifetime

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// Names finds how the source spells the operands of calls, for naming
// resources SSA keeps in registers (a handle in h is just a value there).
// Positions are those of the files analysers get (cgo-processed ones
// included), so a call is found by the position SSA gives it.
type Names struct {
	calls map[token.Pos]*ast.CallExpr
	info  *types.Info
}

// NewNames indexes the calls in files.
func NewNames(files []*ast.File, info *types.Info) *Names {
	n := &Names{calls: make(map[token.Pos]*ast.CallExpr), info: info}
	for _, f := range files {
		ast.Inspect(f, func(node ast.Node) bool {
			switch x := node.(type) {
			case *ast.CallExpr:
				n.calls[x.Lparen] = x
			case *ast.DeferStmt:
				// SSA places a defer (and go) statement at its keyword.
				n.calls[x.Defer] = x.Call
			case *ast.GoStmt:
				n.calls[x.Go] = x.Call
			}
			return true
		})
	}
	return n
}

// Operand returns the source of operand i of the call at pos (-1: the
// receiver of a method call), with conversions (C.uintptr_t(h),
// unsafe.Pointer(p)) removed; "" if it is not a plain name or selector.
func (n *Names) Operand(pos token.Pos, i int) string {
	c, ok := n.calls[pos]
	if !ok {
		return ""
	}
	var e ast.Expr
	if i < 0 {
		sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
		if !ok {
			return ""
		}
		e = sel.X
	} else if i < len(c.Args) {
		e = c.Args[i]
	} else {
		return ""
	}
	for {
		e = ast.Unparen(e)
		conv, ok := e.(*ast.CallExpr)
		if !ok || len(conv.Args) != 1 || n.info == nil {
			break
		}
		if tv, ok := n.info.Types[conv.Fun]; !ok || !tv.IsType() {
			break
		}
		e = conv.Args[0]
	}
	switch e.(type) {
	case *ast.Ident, *ast.SelectorExpr:
		s := types.ExprString(e)
		if strings.Contains(s, "_C") || strings.HasPrefix(s, "_cgo") {
			return ""
		}
		return s
	}
	return ""
}
