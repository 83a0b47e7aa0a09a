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
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
	"github.com/cgoguard/cgoguard/lintplugin/internal/rawsrc"
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
		return "a map"
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
	case *ssa.UnOp:
		// A variable's value: its name, unless cgo made the variable.
		var name string
		switch x := v.X.(type) {
		case *ssa.Alloc:
			name = x.Comment
		case *ssa.FreeVar:
			name = x.Name()
		}
		if v.Op == token.MUL && token.IsIdentifier(name) && !strings.HasPrefix(name, "_cgo") {
			return name
		}
		if r := flow.Roots(v); len(r) == 1 && r[0] != v {
			return describe(r[0], pkg)
		}
		if v.Op == token.MUL {
			return strings.TrimPrefix(describe(v.X, pkg), "&")
		}
	case *ssa.ChangeType, *ssa.MakeInterface, *ssa.Phi, *ssa.Slice:
		if r := flow.Roots(v); len(r) == 1 && r[0] != v {
			return describe(r[0], pkg)
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

// typeOfObj is the type of the memory an object is.
func typeOfObj(obj ssa.Value) types.Type {
	if ms, ok := obj.(*ssa.MakeSlice); ok {
		return ms.Type()
	}
	return deref(obj.Type())
}

// pathSuffix renders a place's path from its object: ".p", "[i]".
func pathSuffix(pl bridge.Place) string {
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

// name renders v as the user wrote it: from the user's own file where the
// value comes from an expression there (cgo's rewriting of a call's
// arguments, such as &(*_cgoIndex0)[0] for &names[0], is not what the user
// wrote), from the cgo-processed file otherwise, from SSA as a last resort.
func (c *checker) name(v ssa.Value) string {
	if c.raw == nil {
		c.raw = rawsrc.New(c.pass)
		c.rawIdx = make(map[*ast.File]srcIndex)
		c.src = newSrcIndex(c.pass.Files)
	}
	addr := ""
	switch v := v.(type) {
	case *ssa.IndexAddr, *ssa.FieldAddr:
		addr = "&"
	case *ssa.Alloc:
		if v.Comment == "complit" {
			addr = "&"
		}
	}
	if f, raw, ok := c.raw.At(v.Pos()); ok && v.Pos().IsValid() {
		idx, ok := c.rawIdx[f.AST]
		if !ok {
			idx = newSrcIndex([]*ast.File{f.AST})
			c.rawIdx[f.AST] = idx
		}
		if e, ok := idx[raw]; ok && spells(v, e) {
			if s, ok := userString(stripConversions(e)); ok {
				return addr + s
			}
		}
	}
	if e, ok := c.src[v.Pos()]; ok && v.Pos().IsValid() && spells(v, e) {
		if s, ok := userString(stripConversions(e)); ok {
			return addr + s
		}
	}
	return describe(v, c.pass.Pkg)
}

// spells reports whether e is the kind of expression the SSA value v is
// made from, and so whose position v carries: a position alone may fall on
// another expression of the line (cgo's generated code maps onto the
// user's line column by column).
func spells(v ssa.Value, e ast.Expr) bool {
	call, isCall := e.(*ast.CallExpr)
	builtin := func(name string) bool {
		id, ok := ast.Unparen(call.Fun).(*ast.Ident)
		return isCall && ok && id.Name == name
	}
	switch v := v.(type) {
	case *ssa.IndexAddr:
		_, ok := e.(*ast.IndexExpr)
		return ok
	case *ssa.FieldAddr:
		_, ok := e.(*ast.SelectorExpr)
		return ok
	case *ssa.Alloc:
		switch v.Comment {
		case "complit", "slicelit":
			_, ok := e.(*ast.CompositeLit)
			return ok
		case "new":
			return builtin("new")
		case "makeslice":
			return builtin("make")
		}
	case *ssa.MakeSlice, *ssa.MakeChan:
		return builtin("make")
	case *ssa.MakeMap:
		_, lit := e.(*ast.CompositeLit)
		return lit || builtin("make")
	case *ssa.Call, *ssa.Convert:
		return isCall
	case *ssa.BinOp:
		_, ok := e.(*ast.BinaryExpr)
		return ok
	}
	return false
}

// userString prints e, with cgo's names for C types and functions as the
// user spells them; it fails on names only cgo's rewriting introduces.
func userString(e ast.Expr) (string, bool) {
	s := types.ExprString(e)
	s = strings.ReplaceAll(strings.ReplaceAll(s, "_Ctype_", "C."), "_Cfunc_", "C.")
	if strings.Contains(s, "_cgo") || strings.Contains(s, "_C") || len(s) > 60 {
		return "", false
	}
	return s, true
}

// stripConversions removes the pointer conversions around an address the
// user passes: unsafe.Pointer(&x), (*C.char)(p), C.PV(p).
func stripConversions(e ast.Expr) ast.Expr {
	for {
		call, ok := e.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return e
		}
		switch fun := ast.Unparen(call.Fun).(type) {
		case *ast.StarExpr:
		case *ast.SelectorExpr:
			x, ok := fun.X.(*ast.Ident)
			unsafePointer := ok && x.Name == "unsafe" && fun.Sel.Name == "Pointer"
			cType := ok && x.Name == "C"
			if !unsafePointer && !cType {
				return e
			}
		case *ast.Ident:
			if !strings.HasPrefix(fun.Name, "_Ctype_") {
				return e
			}
		default:
			return e
		}
		e = call.Args[0]
	}
}
