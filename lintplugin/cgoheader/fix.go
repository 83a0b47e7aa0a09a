package cgoheader

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/rawsrc"
)

// A headerFix is the suggested fix for a header store, the position to
// report at (in the file the fix edits) and the call it writes.
type headerFix struct {
	analysis.SuggestedFix
	pos  token.Pos
	call string

	file        *rawsrc.File
	reflectName string
}

// dropReflect adds the removal of the reflect import to every fix of a file
// when, together, the file's fixes remove every use of reflect in it.
// Tools that apply all fixes at once (golangci-lint --fix, go vet -fix, go
// fix) merge the identical edits into one; without it, golangci-lint would
// leave an unused import, since it does not clean imports itself. (Each
// fix alone would not remove the file's last use of reflect.)
func dropReflect(diags []analysis.Diagnostic, fixes []*headerFix) {
	byFile := make(map[*rawsrc.File][]int)
	for i, fx := range fixes {
		if fx != nil {
			byFile[fx.file] = append(byFile[fx.file], i)
		}
	}
	for f, idx := range byFile {
		var all []analysis.TextEdit
		for _, i := range idx {
			all = append(all, fixes[i].TextEdits...)
		}
		drop := f.DropImportIfUnused("reflect", fixes[idx[0]].reflectName, all)
		if drop == nil {
			continue
		}
		for _, i := range idx {
			fix := &diags[i].SuggestedFixes[0]
			fix.TextEdits = append(fix.TextEdits, drop...)
		}
	}
}

// fix rewrites the common shapes to unsafe.Slice / unsafe.String, on the
// file the user wrote (see rawsrc):
//
//	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))   b = unsafe.Slice((*T)(p), n)
//	h.Data = uintptr(p); h.Len = n; h.Cap = n
//
//	*(*[]T)(unsafe.Pointer(&reflect.SliceHeader{Data: uintptr(p), Len: n, Cap: n}))
//	                                                  unsafe.Slice((*T)(p), n)
//
//	h := reflect.StringHeader{Data: uintptr(p), Len: n}
//	s := *(*string)(unsafe.Pointer(&h))               s := unsafe.String((*byte)(p), n)
//
// Other shapes get no fix.
func (c *checker) fix(hs headerStore) (headerFix, bool) {
	if !dataFromUnsafePointer(hs.store) {
		return headerFix{}, false
	}
	f, raw, ok := c.files.At(hs.store.Pos())
	if !ok || f.Src == nil {
		return headerFix{}, false
	}
	reflectName, missing := f.ImportName("reflect")
	if missing != nil {
		return headerFix{}, false
	}
	line := f.Line(raw)
	for _, n := range f.NodesOnLine(line, func(n ast.Node) bool { _, ok := n.(*ast.AssignStmt); return ok }) {
		if fx, ok := c.pointerFix(f, hs, n.(*ast.AssignStmt), reflectName); ok {
			return fx, true
		}
	}
	lits := f.NodesSpanning(line, func(n ast.Node) bool { _, ok := n.(*ast.CompositeLit); return ok })
	for i := len(lits) - 1; i >= 0; i-- { // innermost first
		if fx, ok := c.literalFix(f, hs, lits[i].(*ast.CompositeLit), reflectName); ok {
			return fx, true
		}
	}
	return headerFix{}, false
}

// dataFromUnsafePointer reports whether the stored Data is a conversion
// uintptr(x) of an unsafe.Pointer x, so that (*T)(x) is valid.
func dataFromUnsafePointer(st *ssa.Store) bool {
	conv, ok := st.Val.(*ssa.Convert)
	if !ok {
		return false
	}
	b, ok := conv.X.Type().Underlying().(*types.Basic)
	return ok && b.Kind() == types.UnsafePointer
}

// pointerFix handles h.Data = ... where h := (*reflect.XHeader)(unsafe.Pointer(&x))
// and the fields are assigned right after it.
func (c *checker) pointerFix(f *rawsrc.File, hs headerStore, as *ast.AssignStmt, reflectName string) (headerFix, bool) {
	h, field, _, ok := fieldAssign(as)
	if !ok || field != "Data" {
		return headerFix{}, false
	}
	list, idx, body, ok := f.StmtList(as)
	if !ok {
		return headerFix{}, false
	}
	d := idx - 1
	for d >= 0 && isFieldAssignTo(list[d], h) {
		d--
	}
	if d < 0 {
		return headerFix{}, false
	}
	target, ok := headerPointerDef(list[d], h, reflectName, hs.kind)
	if !ok {
		return headerFix{}, false
	}
	fields := map[string]ast.Expr{}
	e := d + 1
	for ; e < len(list); e++ {
		_, name, val, ok := fieldAssign(list[e])
		if !ok || !isFieldAssignTo(list[e], h) {
			break
		}
		if fields[name] != nil {
			return headerFix{}, false
		}
		fields[name] = val
	}
	if rawsrc.CountIdent(body, h) != e-d {
		return headerFix{}, false // h is used elsewhere
	}
	elem := ""
	if hs.kind == "SliceHeader" {
		if elem, ok = c.elemType(f, hs.store); !ok {
			return headerFix{}, false
		}
	} else if !isStringTarget(hs.store) {
		return headerFix{}, false
	}
	call, imports, ok := replacement(f, hs.kind, elem, fields)
	if !ok {
		return headerFix{}, false
	}
	edits := []analysis.TextEdit{{Pos: list[d].Pos(), End: list[e-1].End(),
		NewText: []byte(f.Text(target) + " = " + call)}}
	return c.finish(f, as.Pos(), call, edits, imports, reflectName), true
}

// literalFix handles header composite literals converted to a slice or
// string, in the same expression or in the next statement.
func (c *checker) literalFix(f *rawsrc.File, hs headerStore, lit *ast.CompositeLit, reflectName string) (headerFix, bool) {
	if !isReflectSel(lit.Type, reflectName, hs.kind) {
		return headerFix{}, false
	}
	fields, dataPos, ok := litFields(lit)
	if !ok {
		return headerFix{}, false
	}
	path := f.Path(lit)
	if len(path) < 2 {
		return headerFix{}, false
	}
	var conv *ast.StarExpr
	var edits []analysis.TextEdit
	switch p := path[1].(type) {
	case *ast.UnaryExpr:
		// *(*[]T)(unsafe.Pointer(&reflect.SliceHeader{...}))
		if len(path) < 5 {
			return headerFix{}, false
		}
		star, ok := path[4].(*ast.StarExpr)
		if !ok || !isHeaderConversion(star, p) {
			return headerFix{}, false
		}
		conv = star
	case *ast.AssignStmt, *ast.ValueSpec:
		// h := reflect.SliceHeader{...}; x := *(*[]T)(unsafe.Pointer(&h))
		var def ast.Stmt
		var h string
		switch p := p.(type) {
		case *ast.AssignStmt:
			if p.Tok != token.DEFINE || len(p.Lhs) != 1 || len(p.Rhs) != 1 || p.Rhs[0] != ast.Expr(lit) {
				return headerFix{}, false
			}
			id, ok := p.Lhs[0].(*ast.Ident)
			if !ok {
				return headerFix{}, false
			}
			def, h = p, id.Name
		case *ast.ValueSpec:
			if len(p.Names) != 1 || len(p.Values) != 1 || p.Values[0] != ast.Expr(lit) || len(path) < 4 {
				return headerFix{}, false
			}
			ds, ok := path[3].(*ast.DeclStmt)
			if !ok || len(ds.Decl.(*ast.GenDecl).Specs) != 1 {
				return headerFix{}, false
			}
			def, h = ds, p.Names[0].Name
		}
		list, idx, body, ok := f.StmtList(def)
		if !ok || idx+1 >= len(list) || rawsrc.CountIdent(body, h) != 2 {
			return headerFix{}, false
		}
		conv = findConversionOf(list[idx+1], h)
		if conv == nil {
			return headerFix{}, false
		}
		edits = append(edits, analysis.TextEdit{Pos: def.Pos(), End: list[idx+1].Pos()})
	default:
		return headerFix{}, false
	}
	elem := ""
	to := conv.X.(*ast.CallExpr).Fun.(*ast.ParenExpr).X.(*ast.StarExpr).X
	switch t := to.(type) {
	case *ast.ArrayType:
		if hs.kind != "SliceHeader" || t.Len != nil {
			return headerFix{}, false
		}
		elem = f.Text(t.Elt)
	case *ast.Ident:
		if hs.kind != "StringHeader" || t.Name != "string" {
			return headerFix{}, false
		}
	default:
		return headerFix{}, false
	}
	call, imports, ok := replacement(f, hs.kind, elem, fields)
	if !ok {
		return headerFix{}, false
	}
	edits = append(edits, analysis.TextEdit{Pos: conv.Pos(), End: conv.End(), NewText: []byte(call)})
	return c.finish(f, dataPos, call, edits, imports, reflectName), true
}

// finish assembles the fix: the edits and the import of unsafe if needed.
// (The reflect import is dealt with in dropReflect, once every fix of the
// file is known.)
func (c *checker) finish(f *rawsrc.File, pos token.Pos, call string, edits, imports []analysis.TextEdit, reflectName string) headerFix {
	return headerFix{
		SuggestedFix: analysis.SuggestedFix{Message: "replace the header with " + call, TextEdits: append(edits, imports...)},
		pos:          pos,
		call:         call,
		file:         f,
		reflectName:  reflectName,
	}
}

// replacement builds unsafe.Slice((*T)(p), n) or unsafe.String((*byte)(p), n)
// from the header's fields (Data must be uintptr(p)).
func replacement(f *rawsrc.File, kind, elem string, fields map[string]ast.Expr) (string, []analysis.TextEdit, bool) {
	data, ok := fields["Data"].(*ast.CallExpr)
	if !ok || len(data.Args) != 1 || !isIdent(data.Fun, "uintptr") || fields["Len"] == nil {
		return "", nil, false
	}
	unsafeName, imports := f.ImportName("unsafe")
	ptr, n := f.Text(data.Args[0]), f.Text(fields["Len"])
	if ptr == "" || n == "" {
		return "", nil, false
	}
	if kind == "StringHeader" {
		if len(fields) != 2 {
			return "", nil, false
		}
		return fmt.Sprintf("%s.String((*byte)(%s), %s)", unsafeName, ptr, n), imports, true
	}
	if fields["Cap"] == nil || len(fields) != 3 {
		return "", nil, false
	}
	call := fmt.Sprintf("%s.Slice((*%s)(%s), %s)", unsafeName, elem, ptr, n)
	if capacity := f.Text(fields["Cap"]); capacity != n {
		call = fmt.Sprintf("%s.Slice((*%s)(%s), %s)[:%s]", unsafeName, elem, ptr, capacity, n)
	}
	return call, imports, true
}

// elemType spells T for a header laid over a *[]T, as the file can write it.
func (c *checker) elemType(f *rawsrc.File, st *ssa.Store) (string, bool) {
	t := headerTarget(st)
	if t == nil {
		return "", false
	}
	s, ok := t.Underlying().(*types.Slice)
	if !ok {
		return "", false
	}
	failed := false
	str := types.TypeString(s.Elem(), func(p *types.Package) string {
		if p == c.pass.Pkg {
			return ""
		}
		for _, spec := range f.AST.Imports {
			if strings.Trim(spec.Path.Value, `"`) == p.Path() {
				if spec.Name != nil {
					return spec.Name.Name
				}
				return p.Name()
			}
		}
		failed = true
		return p.Name()
	})
	if failed || strings.Contains(str, "_Cgo_") {
		return "", false
	}
	return strings.ReplaceAll(str, "_Ctype_", "C."), true
}

func isStringTarget(st *ssa.Store) bool {
	t := headerTarget(st)
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.String
}

// headerTarget returns the type of the variable a header pointer was
// converted from: []T for (*reflect.SliceHeader)(unsafe.Pointer(&b)).
func headerTarget(st *ssa.Store) types.Type {
	v := st.Addr.(*ssa.FieldAddr).X
	for {
		conv, ok := v.(*ssa.Convert)
		if !ok {
			break
		}
		v = conv.X
	}
	p, ok := v.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	return p.Elem()
}

// fieldAssign matches h.F = v.
func fieldAssign(s ast.Stmt) (h, field string, val ast.Expr, ok bool) {
	as, ok := s.(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return "", "", nil, false
	}
	sel, ok := as.Lhs[0].(*ast.SelectorExpr)
	if !ok {
		return "", "", nil, false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return "", "", nil, false
	}
	switch sel.Sel.Name {
	case "Data", "Len", "Cap":
		return id.Name, sel.Sel.Name, as.Rhs[0], true
	}
	return "", "", nil, false
}

func isFieldAssignTo(s ast.Stmt, h string) bool {
	name, _, _, ok := fieldAssign(s)
	return ok && name == h
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
	call, ok := rhs.(*ast.CallExpr)
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

// litFields returns a header literal's fields by name, and the position
// of its Data element.
func litFields(lit *ast.CompositeLit) (map[string]ast.Expr, token.Pos, bool) {
	names := []string{"Data", "Len", "Cap"}
	out := map[string]ast.Expr{}
	data := lit.Pos()
	for i, e := range lit.Elts {
		name := ""
		val := e
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			id, ok := kv.Key.(*ast.Ident)
			if !ok {
				return nil, 0, false
			}
			name, val = id.Name, kv.Value
		} else if i < len(names) {
			name = names[i]
		} else {
			return nil, 0, false
		}
		out[name] = val
		if name == "Data" {
			data = e.Pos()
		}
	}
	return out, data, true
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
