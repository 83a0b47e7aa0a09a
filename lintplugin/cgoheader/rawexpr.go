package cgoheader

import (
	"go/ast"
	"go/constant"
	"go/token"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// The user's words for the values in a message: the source text of the
// expressions, read from the file the user wrote (see rawsrc), since the
// analysis sees cgo's rewrite of it.

// nodeAt returns the source text of the first node in the user's file,
// at the line and column of pos, that pick accepts.
func (c *checker) nodeAt(pos token.Pos, pick func(n ast.Node, raw token.Pos) ast.Node) string {
	f, raw, ok := c.files.At(pos)
	if !ok || f.Src == nil {
		return ""
	}
	var found ast.Node
	ast.Inspect(f.AST, func(n ast.Node) bool {
		if n == nil || found != nil || raw < n.Pos() || raw > n.End() {
			return false
		}
		found = pick(n, raw)
		return found == nil
	})
	if found == nil {
		return ""
	}
	return f.Text(found)
}

// callText returns the source of a call and of its arguments.
func (c *checker) callText(call *ssa.Call) (string, []string) {
	f, raw, ok := c.files.At(call.Pos())
	if !ok || f.Src == nil {
		return "", nil
	}
	var ce *ast.CallExpr
	ast.Inspect(f.AST, func(n ast.Node) bool {
		if x, ok := n.(*ast.CallExpr); ok && x.Lparen == raw {
			ce = x
		}
		return ce == nil
	})
	if ce == nil {
		return "", nil
	}
	args := make([]string, len(ce.Args))
	for i, a := range ce.Args {
		args[i] = f.Text(a)
	}
	return f.Text(ce), args
}

// storedText returns the source of the value a field store writes: the
// right-hand side of h.F = v (pos at F), or v in a literal F: v (pos at the
// colon) or an untagged element (pos at it).
func (c *checker) storedText(pos token.Pos) string {
	return c.nodeAt(pos, func(n ast.Node, raw token.Pos) ast.Node {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Pos() == raw && i < len(n.Rhs) && len(n.Lhs) == len(n.Rhs) {
					return n.Rhs[i]
				}
			}
		case *ast.KeyValueExpr:
			if n.Colon == raw {
				return n.Value
			}
		case *ast.CompositeLit:
			for _, e := range n.Elts {
				if _, kv := e.(*ast.KeyValueExpr); !kv && e.Pos() == raw {
					return e
				}
			}
		}
		return nil
	})
}

// sourceAt names the count v stored at pos: its source, else its
// constant value, else "the count".
func (c *checker) sourceAt(pos token.Pos, v ssa.Value) string {
	if s := c.storedText(pos); s != "" {
		return s
	}
	return valueText(v)
}

func valueText(v ssa.Value) string {
	if k, ok := v.(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.Int {
		return k.Value.ExactString()
	}
	if p, ok := v.(*ssa.Parameter); ok {
		return p.Name()
	}
	return "the count"
}

// allocText names the allocation: C.malloc(size) as written, or C.malloc.
func (c *checker) allocText(a allocation) string {
	if text, _ := c.callText(a.call); strings.HasPrefix(text, "C.") {
		return text
	}
	return "C." + a.name
}

// allocBytesText says how many bytes the allocation has, in the user's
// words: "C.size_t(n) bytes", "n × 4 bytes".
func (c *checker) allocBytesText(a allocation) string {
	_, args := c.callText(a.call)
	args2 := make([]string, len(a.call.Call.Args))
	for i, arg := range a.call.Call.Args {
		if i < len(args) && args[i] != "" {
			args2[i] = args[i]
		} else {
			args2[i] = valueText(arg)
		}
	}
	if a.bytes.v == nil {
		return constant.MakeInt64(a.bytes.c).String() + " bytes"
	}
	return strings.Join(args2, " × ") + " bytes"
}
