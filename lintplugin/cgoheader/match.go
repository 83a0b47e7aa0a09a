package cgoheader

import (
	"go/ast"
	"go/token"

	"github.com/cgoguard/cgoguard/lintplugin/internal/rawsrc"
)

// Matchers for the shapes of header code in the user's syntax tree, which
// has no type information for cgo files (see rawsrc): they go by names and
// forms, and the fixes that use them check the SSA form for the types.

// fieldAssignTo matches h.F = v and h.F, h.G = v, w (fields of one
// header h, named hn unless hn is ""), and returns h.
func fieldAssignTo(s ast.Stmt, hn string) (string, bool) {
	as, ok := s.(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
		return "", false
	}
	for _, lhs := range as.Lhs {
		sel, ok := lhs.(*ast.SelectorExpr)
		if !ok {
			return "", false
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok || hn != "" && id.Name != hn {
			return "", false
		}
		hn = id.Name
		switch sel.Sel.Name {
		case "Data", "Len", "Cap":
		default:
			return "", false
		}
	}
	return hn, true
}

func isFieldAssign(s ast.Stmt, hn string) bool {
	_, ok := fieldAssignTo(s, hn)
	return ok
}

// assigns reports whether the field assignment s sets the named field.
func assigns(s ast.Stmt, field string) bool {
	for _, lhs := range s.(*ast.AssignStmt).Lhs {
		if lhs.(*ast.SelectorExpr).Sel.Name == field {
			return true
		}
	}
	return false
}

func countIdents(stmts []ast.Stmt, name string) int {
	n := 0
	for _, s := range stmts {
		n += rawsrc.CountIdent(s, name)
	}
	return n
}

// headerPointerDef matches h := (*reflect.XHeader)(unsafe.Pointer(&x)) (or
// the var form) and returns x.
func headerPointerDef(s ast.Stmt, h, reflectName, kind string) (ast.Expr, bool) {
	var rhs ast.Expr
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE || len(s.Lhs) != 1 || len(s.Rhs) != 1 || !isIdent(s.Lhs[0], h) {
			return nil, false
		}
		rhs = s.Rhs[0]
	case *ast.DeclStmt:
		gd := s.Decl.(*ast.GenDecl)
		if gd.Tok != token.VAR || len(gd.Specs) != 1 {
			return nil, false
		}
		vs := gd.Specs[0].(*ast.ValueSpec)
		if len(vs.Names) != 1 || vs.Names[0].Name != h || len(vs.Values) != 1 {
			return nil, false
		}
		rhs = vs.Values[0]
	default:
		return nil, false
	}
	return headerPointer(rhs, reflectName, kind)
}

// headerPointer matches (*reflect.XHeader)(unsafe.Pointer(&x)) and returns x.
func headerPointer(e ast.Expr, reflectName, kind string) (ast.Expr, bool) {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return nil, false
	}
	paren, ok := call.Fun.(*ast.ParenExpr)
	if !ok {
		return nil, false
	}
	star, ok := paren.X.(*ast.StarExpr)
	if !ok || !isReflectSel(star.X, reflectName, kind) {
		return nil, false
	}
	up, ok := call.Args[0].(*ast.CallExpr)
	if !ok || len(up.Args) != 1 || !isUnsafePointer(up.Fun) {
		return nil, false
	}
	addr, ok := up.Args[0].(*ast.UnaryExpr)
	if !ok || addr.Op != token.AND {
		return nil, false
	}
	return addr.X, true
}

// headerDeref matches *(*reflect.XHeader)(unsafe.Pointer(&x)) and returns x.
func headerDeref(e ast.Expr, reflectName, kind string) (ast.Expr, bool) {
	star, ok := e.(*ast.StarExpr)
	if !ok {
		return nil, false
	}
	return headerPointer(star.X, reflectName, kind)
}

// litFields returns a header literal's fields by name.
func litFields(lit *ast.CompositeLit) (map[string]ast.Expr, bool) {
	names := []string{"Data", "Len", "Cap"}
	out := map[string]ast.Expr{}
	for i, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			id, ok := kv.Key.(*ast.Ident)
			if !ok {
				return nil, false
			}
			out[id.Name] = kv.Value
		} else if i < len(names) {
			out[names[i]] = e
		} else {
			return nil, false
		}
	}
	return out, true
}

// isHeaderConversion reports whether star is *(*X)(unsafe.Pointer(addr)).
func isHeaderConversion(star *ast.StarExpr, addr *ast.UnaryExpr) bool {
	call, ok := star.X.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return false
	}
	paren, ok := call.Fun.(*ast.ParenExpr)
	if !ok {
		return false
	}
	if _, ok := paren.X.(*ast.StarExpr); !ok {
		return false
	}
	up, ok := call.Args[0].(*ast.CallExpr)
	return ok && len(up.Args) == 1 && isUnsafePointer(up.Fun) && up.Args[0] == ast.Expr(addr) && addr.Op == token.AND
}

// findConversionOf finds *(*X)(unsafe.Pointer(&h)) in s.
func findConversionOf(s ast.Stmt, h string) *ast.StarExpr {
	var found *ast.StarExpr
	ast.Inspect(s, func(n ast.Node) bool {
		star, ok := n.(*ast.StarExpr)
		if !ok || found != nil {
			return found == nil
		}
		call, ok := star.X.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return true
		}
		up, ok := call.Args[0].(*ast.CallExpr)
		if !ok || len(up.Args) != 1 {
			return true
		}
		if addr, ok := up.Args[0].(*ast.UnaryExpr); ok && isIdent(addr.X, h) && isHeaderConversion(star, addr) {
			found = star
		}
		return true
	})
	return found
}

func isReflectSel(e ast.Expr, reflectName, kind string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	return ok && isIdent(sel.X, reflectName) && sel.Sel.Name == kind
}

func isUnsafePointer(e ast.Expr) bool {
	sel, ok := e.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Pointer" && isIdent(sel.X, "unsafe")
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
