package cgoptr

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
)

// describe renders a value roughly as the user wrote it.
func describe(v ssa.Value, pkg *types.Package) string {
	ts := func(t types.Type) string { return cgoshape.TypeString(t, pkg) }
	switch v := v.(type) {
	case *ssa.Alloc:
		switch v.Comment {
		case "new":
			return "new(" + ts(deref(v.Type())) + ")"
		case "complit":
			return "&" + ts(deref(v.Type())) + "{…}"
		case "slicelit":
			if a, ok := deref(v.Type()).Underlying().(*types.Array); ok {
				return "[]" + ts(a.Elem()) + "{…}"
			}
		case "", "varargs", "makeslice":
			return "new(" + ts(deref(v.Type())) + ")"
		}
		return "&" + v.Comment
	case *ssa.FreeVar:
		return "&" + v.Name()
	case *ssa.Global:
		return "&" + v.Name()
	case *ssa.FieldAddr:
		return "&" + base(v.X, pkg) + "." + fieldName(v.X.Type(), v.Field)
	case *ssa.IndexAddr:
		return "&" + base(v.X, pkg) + "[" + index(v.Index) + "]"
	case *ssa.MakeSlice:
		return "make(" + ts(v.Type()) + ", ...)"
	case *ssa.MakeMap:
		return "a map made at line " + line(v)
	case *ssa.MakeChan:
		return "make(" + ts(v.Type()) + ")"
	case *ssa.MakeClosure:
		return "a func literal"
	case *ssa.Parameter:
		return v.Name()
	case *ssa.Call:
		if fn := v.Call.StaticCallee(); fn != nil {
			if name, ok := cgoshape.CFuncName(fn); ok {
				return "C." + name + "(...)"
			}
			if fn.Pkg != nil && fn.Pkg.Pkg != pkg && fn.Signature.Recv() == nil {
				return fn.Pkg.Pkg.Name() + "." + fn.Name() + "(...)"
			}
			return bridge.FuncLabel(fn) + "(...)"
		}
	case *ssa.BinOp:
		return "a string built with +"
	case *ssa.Convert:
		return ts(v.Type()) + "(...)"
	case *ssa.ChangeType, *ssa.MakeInterface, *ssa.Phi, *ssa.UnOp, *ssa.Slice:
		if r := bridge.Roots(v); len(r) == 1 && r[0] != v {
			return describe(r[0], pkg)
		}
		if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
			return strings.TrimPrefix(describe(u.X, pkg), "&")
		}
	}
	return "a Go pointer"
}

// base renders the struct or array an address x leads to.
func base(x ssa.Value, pkg *types.Package) string {
	if u, ok := x.(*ssa.UnOp); ok && u.Op == token.MUL {
		// A pointer loaded from a variable: p.f for (*p).f.
		switch c := u.X.(type) {
		case *ssa.Alloc:
			if c.Comment != "" && !strings.ContainsAny(c.Comment, " ") && c.Comment != "new" && c.Comment != "complit" {
				return c.Comment
			}
		case *ssa.FreeVar:
			return c.Name()
		}
	}
	d := describe(x, pkg)
	if strings.HasPrefix(d, "&") && !strings.Contains(d, "{") {
		return d[1:]
	}
	return "(" + d + ")"
}

func fieldName(ptr types.Type, i int) string {
	if st, ok := deref(ptr).Underlying().(*types.Struct); ok && i < st.NumFields() {
		return st.Field(i).Name()
	}
	return "?"
}

func index(v ssa.Value) string {
	if c, ok := v.(*ssa.Const); ok {
		return c.Value.ExactString()
	}
	return "i"
}

func line(v ssa.Value) string {
	if fn := v.Parent(); fn != nil && v.Pos().IsValid() {
		return fmt.Sprint(fn.Prog.Fset.Position(v.Pos()).Line)
	}
	return "?"
}

// typeOfObj is the type of the memory an object is.
func typeOfObj(obj ssa.Value) types.Type {
	if ms, ok := obj.(*ssa.MakeSlice); ok {
		return ms.Type()
	}
	return deref(obj.Type())
}

// pathSuffix renders a place's path from its object: ".p", "[i]".
func pathSuffix(pl bridge.Place, pkg *types.Package) string {
	return pathString(typeOfObj(pl.Obj), pl.Path)
}

func pathString(t types.Type, path bridge.Path) string {
	var b strings.Builder
	for _, s := range path {
		switch u := t.Underlying().(type) {
		case *types.Struct:
			if s.Field >= 0 && s.Field < u.NumFields() {
				b.WriteString("." + u.Field(s.Field).Name())
				t = u.Field(s.Field).Type()
				continue
			}
		case *types.Array:
			t = u.Elem()
		case *types.Slice:
			t = u.Elem()
		case *types.Pointer:
			t = u.Elem()
		}
		if s.Field < 0 && s.Index >= 0 {
			fmt.Fprintf(&b, "[%d]", s.Index)
		} else {
			b.WriteString("[i]")
		}
	}
	return b.String()
}

// where says where in memory of type t the path leads: "at .p", "at [1]",
// or nothing for the memory itself.
func where(t types.Type, path bridge.Path, pkg *types.Package) string {
	if len(path) == 0 {
		return ""
	}
	return "at " + pathString(t, path)
}

// srcIndex maps positions to the expressions that SSA values carry as
// their position, so that a value can be named as the user wrote it.
type srcIndex map[token.Pos]ast.Expr

func newSrcIndex(files []*ast.File) srcIndex {
	idx := make(srcIndex)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.IndexExpr:
				idx[n.Lbrack] = n
			case *ast.CompositeLit:
				idx[n.Lbrace] = n
			case *ast.CallExpr:
				idx[n.Lparen] = n
			case *ast.SelectorExpr:
				idx[n.Sel.Pos()] = n
			case *ast.BinaryExpr:
				idx[n.OpPos] = n
			}
			return true
		})
	}
	return idx
}

// name renders v as the user wrote it, from the source where the value
// comes from an expression of the user's, from SSA otherwise.
func (c *checker) name(v ssa.Value) string {
	if c.src == nil {
		c.src = newSrcIndex(c.pass.Files)
	}
	if e, ok := c.src[v.Pos()]; ok && v.Pos().IsValid() {
		s := types.ExprString(e)
		addr := ""
		switch v.(type) {
		case *ssa.IndexAddr, *ssa.FieldAddr:
			addr = "&"
		case *ssa.Alloc:
			if _, ok := e.(*ast.CompositeLit); ok && v.(*ssa.Alloc).Comment != "slicelit" {
				addr = "&"
			}
		}
		s = strings.ReplaceAll(strings.ReplaceAll(s, "_Ctype_", "C."), "_Cfunc_", "C.")
		if !strings.Contains(s, "_cgo") && !strings.Contains(s, "_C") && len(s) <= 60 {
			return addr + s
		}
	}
	return describe(v, c.pass.Pkg)
}
