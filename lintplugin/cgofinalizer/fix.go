package cgofinalizer

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/cgoguard/cgoguard/lintplugin/internal/rawsrc"
)

// keepAliveFix builds the fix for a field obj.field passed to C on the line
// of pos: runtime.KeepAlive(obj) after the statement, or, where the call is
// part of a return statement or a condition, `defer runtime.KeepAlive(obj)`
// before it. It works on the file the user wrote (see rawsrc) and returns
// the position to report at in that file and the object's name as written
// there (obj may be "" when the analysis does not know it).
func keepAliveFix(files *rawsrc.Files, pos token.Pos, obj, field string) (token.Pos, string, analysis.SuggestedFix, bool) {
	var none analysis.SuggestedFix
	f, raw, ok := files.At(pos)
	if !ok || f.Src == nil {
		return 0, "", none, false
	}
	sel, name, _ := findSelector(f, f.Line(raw), raw, obj, field)
	if sel == nil && obj != "" {
		// The line spells the object through an alias (d := c; d.buf):
		// take the one selector of the field there.
		var n int
		if sel, name, n = findSelector(f, f.Line(raw), raw, "", field); n != 1 {
			sel = nil
		}
	}
	var anchor ast.Node
	if sel != nil {
		anchor = sel
	} else if obj != "" {
		// The field was read into a local earlier (p := c.buf): anchor on
		// the call at pos.
		for _, n := range f.NodesOnLine(f.Line(raw), func(n ast.Node) bool { _, ok := n.(*ast.CallExpr); return ok }) {
			if n.Pos() <= raw && raw < n.End() {
				anchor, name = n, obj // the innermost comes last
			}
		}
	}
	if anchor == nil {
		return 0, "", none, false
	}
	path := f.Path(anchor)
	var stmt ast.Stmt
	inLoop := false
	for i := 1; i < len(path); i++ {
		if _, ok := path[i].(*ast.FuncLit); ok {
			if stmt == nil {
				return 0, "", none, false // a literal inside an expression: no statement to extend
			}
			break
		}
		if _, ok := path[i].(*ast.FuncDecl); ok {
			break
		}
		switch path[i].(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if stmt != nil {
				inLoop = true
			}
		}
		if stmt != nil {
			continue
		}
		if s, ok := path[i-1].(ast.Stmt); ok {
			switch path[i].(type) {
			case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
				stmt = s
			}
		}
	}
	if stmt == nil {
		return 0, "", none, false
	}
	rt, imports := f.ImportName("runtime")
	keep := rt + ".KeepAlive(" + name + ")"
	indent := f.Indent(stmt.Pos())
	var edit analysis.TextEdit
	after := f.AfterLine(stmt.End())
	switch s := stmt.(type) {
	case *ast.ExprStmt, *ast.IncDecStmt, *ast.SendStmt, *ast.DeclStmt:
		edit = analysis.TextEdit{Pos: after, End: after, NewText: []byte("\n" + indent + keep)}
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE && defines(s, name) {
			return 0, "", none, false
		}
		edit = analysis.TextEdit{Pos: after, End: after, NewText: []byte("\n" + indent + keep)}
	case *ast.ReturnStmt:
		// Deferred calls run after the results are computed.
		edit = analysis.TextEdit{Pos: s.Pos(), End: s.Pos(), NewText: []byte("defer " + keep + "\n" + indent)}
	case *ast.IfStmt, *ast.SwitchStmt:
		if inLoop {
			return 0, "", none, false // a defer per iteration would pile up
		}
		edit = analysis.TextEdit{Pos: s.Pos(), End: s.Pos(), NewText: []byte("defer " + keep + "\n" + indent)}
	default:
		return 0, "", none, false
	}
	fix := analysis.SuggestedFix{
		Message:   "add runtime.KeepAlive(" + name + ") after the C call",
		TextEdits: append([]analysis.TextEdit{edit}, imports...),
	}
	return anchor.Pos(), name, fix, true
}

// findSelector finds obj.field (any identifier for obj when obj is "") on
// the given line, nearest to near, and says how many there are.
func findSelector(f *rawsrc.File, line int, near token.Pos, obj, field string) (*ast.SelectorExpr, string, int) {
	var best *ast.SelectorExpr
	bestName := ""
	count := 0
	dist := func(p token.Pos) token.Pos {
		if p > near {
			return p - near
		}
		return near - p
	}
	for _, n := range f.NodesOnLine(line, func(n ast.Node) bool { _, ok := n.(*ast.SelectorExpr); return ok }) {
		sel := n.(*ast.SelectorExpr)
		text := strings.Join(strings.Fields(f.Text(sel)), "")
		id := baseIdent(sel)
		if id == nil || (obj != "" && id.Name != obj) || text != id.Name+"."+field {
			continue
		}
		count++
		if best == nil || dist(sel.Pos()) < dist(best.Pos()) {
			best, bestName = sel, id.Name
		}
	}
	return best, bestName, count
}

func baseIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.SelectorExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.Ident:
			return x
		default:
			return nil
		}
	}
}

func defines(s *ast.AssignStmt, name string) bool {
	for _, l := range s.Lhs {
		if id, ok := l.(*ast.Ident); ok && id.Name == name {
			return true
		}
	}
	return false
}
