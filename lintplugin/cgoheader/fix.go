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

// A headerFix is the suggested fix for a header, the position to report
// at (in the file the fix edits) and the expression it writes.
type headerFix struct {
	analysis.SuggestedFix
	pos  token.Pos
	call string

	file        *rawsrc.File
	reflectName string
}

// dropReflect adds the removal of the reflect import to every header fix
// of a file when, together, the file's fixes remove every use of reflect
// in it. Tools that apply all fixes at once (golangci-lint --fix, go vet
// -fix, go fix) merge the identical edits into one; without it,
// golangci-lint would leave an unused import, since it does not clean
// imports itself. (Each fix alone would not remove the file's last use.)
func dropReflect(fs []finding) {
	byFile := make(map[*rawsrc.File][]int)
	for i, f := range fs {
		if f.fix != nil {
			byFile[f.fix.file] = append(byFile[f.fix.file], i)
		}
	}
	for file, idx := range byFile {
		var all []analysis.TextEdit
		for _, i := range idx {
			all = append(all, fs[i].fix.TextEdits...)
		}
		drop := file.DropImportIfUnused("reflect", fs[idx[0]].fix.reflectName, all)
		if drop == nil {
			continue
		}
		for _, i := range idx {
			fix := &fs[i].diag.SuggestedFixes[0]
			fix.TextEdits = append(fix.TextEdits, drop...)
		}
	}
}

// fixHeader rewrites the common shapes of header code, on the file the user
// wrote (see rawsrc), into a slice or string built from a typed pointer
// (unsafe.Slice or unsafe.String where the file's Go version has them,
// the array form before):
//
//	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))   b = unsafe.Slice((*T)(p), n)
//	h.Data = uintptr(p); h.Len = n; h.Cap = n
//
//	*(*reflect.SliceHeader)(unsafe.Pointer(&b)) = reflect.SliceHeader{Data: uintptr(p), Len: n, Cap: n}
//	                                                  b = unsafe.Slice((*T)(p), n)
//
//	*(*[]T)(unsafe.Pointer(&reflect.SliceHeader{Data: uintptr(p), Len: n, Cap: n}))
//	                                                  unsafe.Slice((*T)(p), n)
//
//	h := reflect.StringHeader{Data: uintptr(p)}       (removed)
//	h.Len = n                                         (removed)
//	s := *(*string)(unsafe.Pointer(&h))               s := unsafe.String((*byte)(p), n)
//
// st is a store of Data. Other shapes get no fix.
func (c *checker) fixHeader(h *header, st *ssa.Store) (headerFix, bool) {
	if len(h.data) != 1 || !dataFromUnsafePointer(st) {
		return headerFix{}, false
	}
	f, raw, ok := c.files.At(st.Pos())
	if !ok || f.Src == nil {
		return headerFix{}, false
	}
	reflectName, missing := f.ImportName("reflect")
	if missing != nil {
		return headerFix{}, false
	}
	b := &fixBuilder{c: c, h: h, f: f, reflectName: reflectName, version: c.fileVersion(st.Pos())}
	line := f.Line(raw)
	for _, n := range f.NodesOnLine(line, func(n ast.Node) bool { _, ok := n.(*ast.AssignStmt); return ok }) {
		if fx, ok := b.fromAssign(n.(*ast.AssignStmt)); ok {
			return fx, true
		}
	}
	lits := f.NodesSpanning(line, func(n ast.Node) bool { _, ok := n.(*ast.CompositeLit); return ok })
	for i := len(lits) - 1; i >= 0; i-- { // innermost first
		if fx, ok := b.fromLiteral(lits[i].(*ast.CompositeLit)); ok {
			return fx, true
		}
	}
	return headerFix{}, false
}

type fixBuilder struct {
	c           *checker
	h           *header
	f           *rawsrc.File
	reflectName string
	version     string
}

// fromAssign handles h.Data = ... where h is a pointer to a real header or
// a header variable, its fields assigned in the statements around it.
func (b *fixBuilder) fromAssign(as *ast.AssignStmt) (headerFix, bool) {
	hn, ok := fieldAssignTo(as, "")
	if !ok || !assigns(as, "Data") {
		return headerFix{}, false
	}
	list, idx, body, ok := b.f.StmtList(as)
	if !ok {
		return headerFix{}, false
	}
	d := idx - 1
	for d >= 0 && isFieldAssign(list[d], hn) {
		d--
	}
	if d < 0 {
		return headerFix{}, false
	}
	if target, ok := headerPointerDef(list[d], hn, b.reflectName, b.h.kind); ok {
		return b.pointerFix(list, d, body, hn, target)
	}
	if init, ok := b.valueDef(list[d], hn); ok {
		return b.valueFix(list, d, body, hn, init)
	}
	return headerFix{}, false
}

// fromLiteral handles the header literals: converted at once, assigned to
// a real header, or defining a header variable converted afterwards.
func (b *fixBuilder) fromLiteral(lit *ast.CompositeLit) (headerFix, bool) {
	if !isReflectSel(lit.Type, b.reflectName, b.h.kind) {
		return headerFix{}, false
	}
	fields, ok := litFields(lit)
	if !ok {
		return headerFix{}, false
	}
	path := b.f.Path(lit)
	if len(path) < 2 {
		return headerFix{}, false
	}
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
		call, imports, ok := b.expr(fields, b.convElem(star))
		if !ok {
			return headerFix{}, false
		}
		edits := []analysis.TextEdit{{Pos: star.Pos(), End: star.End(), NewText: []byte(call)}}
		return b.finish(star.Pos(), call, edits, imports), true
	case *ast.AssignStmt:
		if p.Tok == token.ASSIGN && len(p.Lhs) == 1 && len(p.Rhs) == 1 && p.Rhs[0] == ast.Expr(lit) {
			// *(*reflect.SliceHeader)(unsafe.Pointer(&b)) = reflect.SliceHeader{...}
			target, ok := headerDeref(p.Lhs[0], b.reflectName, b.h.kind)
			if !ok || b.h.form != real {
				return headerFix{}, false
			}
			call, imports, ok := b.realExpr(fields)
			if !ok {
				return headerFix{}, false
			}
			text := b.f.Text(target) + " = " + call
			edits := []analysis.TextEdit{{Pos: p.Pos(), End: p.End(), NewText: []byte(text)}}
			return b.finish(p.Pos(), call, edits, imports), true
		}
		if p.Tok != token.DEFINE || len(p.Lhs) != 1 || len(p.Rhs) != 1 || p.Rhs[0] != ast.Expr(lit) {
			return headerFix{}, false
		}
		id, ok := p.Lhs[0].(*ast.Ident)
		if !ok {
			return headerFix{}, false
		}
		list, idx, body, ok := b.f.StmtList(p)
		if !ok {
			return headerFix{}, false
		}
		return b.valueFix(list, idx, body, id.Name, fields)
	case *ast.ValueSpec:
		if len(p.Names) != 1 || len(p.Values) != 1 || p.Values[0] != ast.Expr(lit) || len(path) < 4 {
			return headerFix{}, false
		}
		ds, ok := path[3].(*ast.DeclStmt)
		if !ok {
			return headerFix{}, false
		}
		list, idx, body, ok := b.f.StmtList(ds)
		if !ok {
			return headerFix{}, false
		}
		return b.valueFix(list, idx, body, p.Names[0].Name, fields)
	}
	return headerFix{}, false
}

// pointerFix replaces list[d] (h := (*reflect.XHeader)(unsafe.Pointer(&x)))
// and the field assignments after it with x = <slice or string>.
func (b *fixBuilder) pointerFix(list []ast.Stmt, d int, body *ast.BlockStmt, hn string, target ast.Expr) (headerFix, bool) {
	if b.h.form != real {
		return headerFix{}, false
	}
	fields, e, ok := collectAssigns(list, d+1, hn, map[string]ast.Expr{})
	if !ok || rawsrc.CountIdent(body, hn) != countIdents(list[d:e], hn) {
		return headerFix{}, false // h is used elsewhere
	}
	call, imports, ok := b.realExpr(fields)
	if !ok {
		return headerFix{}, false
	}
	x := b.f.Text(target)
	text := x + " = " + call
	if b.h.kind == "StringHeader" && !allows(b.version, goString) {
		// Before unsafe.String: a []byte over the memory, read as a string
		// (a string is a prefix of a slice header; unsafe.Pointer rule 1).
		text = hn + " := " + call + "\n" + b.f.Indent(list[d].Pos()) +
			x + " = *(*string)(" + b.unsafeName() + ".Pointer(&" + hn + "))"
	}
	edits := []analysis.TextEdit{{Pos: list[d].Pos(), End: list[e-1].End(), NewText: []byte(text)}}
	pos := list[d].Pos()
	for _, s := range list[d+1 : e] {
		if assigns(s, "Data") {
			pos = s.Pos()
		}
	}
	return b.finish(pos, call, edits, imports), true
}

// valueFix handles a header variable defined by list[d], its fields
// (init, then the assignments after it) set, and converted in the next
// statement: the definition and assignments go, the conversion becomes the
// slice or string. Before Go 1.20, a string header becomes a []byte the
// conversion reads as a string.
func (b *fixBuilder) valueFix(list []ast.Stmt, d int, body *ast.BlockStmt, hn string, init map[string]ast.Expr) (headerFix, bool) {
	if b.h.form != plain {
		return headerFix{}, false
	}
	fields, e, ok := collectAssigns(list, d+1, hn, init)
	if !ok || e >= len(list) {
		return headerFix{}, false
	}
	conv := findConversionOf(list[e], hn)
	if conv == nil || rawsrc.CountIdent(body, hn) != countIdents(list[d:e], hn)+1 {
		return headerFix{}, false
	}
	if b.h.kind == "StringHeader" && !allows(b.version, goString) {
		bytes, imports, ok := b.bytesExpr(fields)
		if !ok || !isStringConv(conv) {
			return headerFix{}, false
		}
		text := hn + " := " + bytes
		edits := []analysis.TextEdit{{Pos: list[d].Pos(), End: list[e-1].End(), NewText: []byte(text)}}
		return b.finish(conv.Pos(), bytes, edits, imports), true
	}
	call, imports, ok := b.expr(fields, b.convElem(conv))
	if !ok {
		return headerFix{}, false
	}
	edits := []analysis.TextEdit{
		{Pos: list[d].Pos(), End: list[e].Pos()},
		{Pos: conv.Pos(), End: conv.End(), NewText: []byte(call)},
	}
	return b.finish(conv.Pos(), call, edits, imports), true
}

// valueDef matches the definition of a header variable:
// h := reflect.XHeader{...}, var h reflect.XHeader, var h = reflect.XHeader{...}.
func (b *fixBuilder) valueDef(s ast.Stmt, hn string) (map[string]ast.Expr, bool) {
	var typ, val ast.Expr
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE || len(s.Lhs) != 1 || len(s.Rhs) != 1 || !isIdent(s.Lhs[0], hn) {
			return nil, false
		}
		val = s.Rhs[0]
	case *ast.DeclStmt:
		gd := s.Decl.(*ast.GenDecl)
		if gd.Tok != token.VAR || len(gd.Specs) != 1 {
			return nil, false
		}
		vs := gd.Specs[0].(*ast.ValueSpec)
		if len(vs.Names) != 1 || vs.Names[0].Name != hn || len(vs.Values) > 1 {
			return nil, false
		}
		typ = vs.Type
		if len(vs.Values) == 1 {
			val = vs.Values[0]
		}
	default:
		return nil, false
	}
	if typ != nil && !isReflectSel(typ, b.reflectName, b.h.kind) {
		return nil, false
	}
	if val == nil {
		return map[string]ast.Expr{}, typ != nil
	}
	lit, ok := val.(*ast.CompositeLit)
	if !ok || !isReflectSel(lit.Type, b.reflectName, b.h.kind) {
		return nil, false
	}
	return litFields(lit)
}

// collectAssigns reads the field assignments to hn from list[i] on into a
// copy of fields, and returns the index of the first other statement.
func collectAssigns(list []ast.Stmt, i int, hn string, fields map[string]ast.Expr) (map[string]ast.Expr, int, bool) {
	out := make(map[string]ast.Expr, len(fields))
	for k, v := range fields {
		out[k] = v
	}
	assigned := make(map[string]bool)
	for ; i < len(list) && isFieldAssign(list[i], hn); i++ {
		as := list[i].(*ast.AssignStmt)
		for j, lhs := range as.Lhs {
			name := lhs.(*ast.SelectorExpr).Sel.Name
			if assigned[name] {
				return nil, 0, false // assigned twice: not a simple build
			}
			assigned[name] = true
			out[name] = as.Rhs[j]
		}
	}
	return out, i, true
}

// expr is the slice or string the fields describe, for a conversion to a
// slice of elem (spelled as the file does) or to a string (elem "").
func (b *fixBuilder) expr(fields map[string]ast.Expr, elem string) (string, []analysis.TextEdit, bool) {
	if b.h.kind == "StringHeader" {
		return b.stringExpr(fields)
	}
	if elem == "" {
		return "", nil, false
	}
	return b.sliceExpr(fields, elem)
}

// realExpr is expr for the header of a real slice or string, whose element
// type comes from the variable's type.
func (b *fixBuilder) realExpr(fields map[string]ast.Expr) (string, []analysis.TextEdit, bool) {
	if b.h.kind == "StringHeader" {
		if !allows(b.version, goString) {
			return b.bytesExpr(fields)
		}
		return b.stringExpr(fields)
	}
	elem, ok := b.elemText()
	if !ok {
		return "", nil, false
	}
	return b.sliceExpr(fields, elem)
}

func (b *fixBuilder) sliceExpr(fields map[string]ast.Expr, elem string) (string, []analysis.TextEdit, bool) {
	ptr, ok := dataPointer(b.f, fields)
	n, c := b.f.Text(fields["Len"]), b.f.Text(fields["Cap"])
	if !ok || n == "" || c == "" || len(fields) != 3 {
		return "", nil, false
	}
	return b.slice(elem, b.h.elem(), ptr, n, c)
}

// slice writes the slice of length n and capacity c of elem at ptr.
func (b *fixBuilder) slice(elem string, elemType types.Type, ptr, n, c string) (string, []analysis.TextEdit, bool) {
	if allows(b.version, goSlice) {
		unsafeName, imports := b.f.ImportName("unsafe")
		call := fmt.Sprintf("%s.Slice((*%s)(%s), %s)", unsafeName, elem, ptr, n)
		if c != n {
			call = fmt.Sprintf("%s.Slice((*%s)(%s), %s)[:%s]", unsafeName, elem, ptr, c, n)
		}
		return call, imports, true
	}
	if elemType == nil {
		return "", nil, false
	}
	k, ok := b.c.arrayShift(elemType)
	if !ok {
		return "", nil, false
	}
	return arrayForm(k, elem, ptr, n, c), nil, true
}

func (b *fixBuilder) stringExpr(fields map[string]ast.Expr) (string, []analysis.TextEdit, bool) {
	if !allows(b.version, goString) {
		return "", nil, false
	}
	ptr, ok := dataPointer(b.f, fields)
	n := b.f.Text(fields["Len"])
	if !ok || n == "" || len(fields) != 2 {
		return "", nil, false
	}
	unsafeName, imports := b.f.ImportName("unsafe")
	return fmt.Sprintf("%s.String((*byte)(%s), %s)", unsafeName, ptr, n), imports, true
}

// bytesExpr is the []byte a string header's fields describe.
func (b *fixBuilder) bytesExpr(fields map[string]ast.Expr) (string, []analysis.TextEdit, bool) {
	ptr, ok := dataPointer(b.f, fields)
	n := b.f.Text(fields["Len"])
	if !ok || n == "" || len(fields) != 2 {
		return "", nil, false
	}
	return b.slice("byte", byteType, ptr, n, n)
}

func (b *fixBuilder) unsafeName() string {
	name, _ := b.f.ImportName("unsafe")
	return name
}

// convElem spells T for a conversion *(*[]T)(...), or "" for *(*string)(...).
func (b *fixBuilder) convElem(conv *ast.StarExpr) string {
	to := conv.X.(*ast.CallExpr).Fun.(*ast.ParenExpr).X.(*ast.StarExpr).X
	if t, ok := to.(*ast.ArrayType); ok && t.Len == nil {
		return b.f.Text(t.Elt)
	}
	return ""
}

func isStringConv(conv *ast.StarExpr) bool {
	to := conv.X.(*ast.CallExpr).Fun.(*ast.ParenExpr).X.(*ast.StarExpr).X
	return isIdent(to, "string")
}

// finish assembles the fix: the edits and the import of unsafe if needed.
// (The reflect import is dealt with in dropReflect, once every fix of the
// file is known.)
func (b *fixBuilder) finish(pos token.Pos, call string, edits, imports []analysis.TextEdit) headerFix {
	return headerFix{
		SuggestedFix: analysis.SuggestedFix{Message: "replace the header with " + call, TextEdits: append(edits, imports...)},
		pos:          pos,
		call:         call,
		file:         b.f,
		reflectName:  b.reflectName,
	}
}

// dataPointer returns p for a Data field uintptr(p).
func dataPointer(f *rawsrc.File, fields map[string]ast.Expr) (string, bool) {
	data, ok := fields["Data"].(*ast.CallExpr)
	if !ok || len(data.Args) != 1 || !isIdent(data.Fun, "uintptr") {
		return "", false
	}
	p := f.Text(data.Args[0])
	return p, p != ""
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

// elemText spells T for the header of a real []T, as the file can write it.
func (b *fixBuilder) elemText() (string, bool) {
	elem := b.h.elem()
	if elem == nil {
		return "", false
	}
	failed := false
	str := types.TypeString(elem, func(p *types.Package) string {
		if p == b.c.pass.Pkg {
			return ""
		}
		for _, spec := range b.f.AST.Imports {
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
