package cgofinalizer

import (
	"go/ast"
	"go/token"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/cgoguard/cgoguard/lintplugin/internal/rawsrc"
)

// keepAliveFix builds the fix that keeps the object named name alive past
// the events at ends (positions in the pass's files: the C calls and the
// uses of what C returned): runtime.KeepAlive(name) after the statement
// holding them all when they share one that no return leaves early, or
// else after the statement of each (`defer runtime.KeepAlive(name)` before
// a return statement, or an if or switch statement whose condition makes
// the call). It works on the files the user wrote (see rawsrc).
func keepAliveFix(files *rawsrc.Files, name string, ends []token.Pos) (analysis.SuggestedFix, bool) {
	var none analysis.SuggestedFix
	var f *rawsrc.File
	var stmts []stmtPlace
	for _, pos := range ends {
		g, raw, ok := files.At(pos)
		if !ok || g.Src == nil || (f != nil && g != f) {
			return none, false
		}
		f = g
		st, ok := placeAt(f, raw)
		if !ok {
			return none, false
		}
		if !slices.ContainsFunc(stmts, func(p stmtPlace) bool { return p.stmt == st.stmt }) {
			stmts = append(stmts, st)
		}
	}
	if len(stmts) == 0 {
		return none, false
	}
	rt, imports := f.ImportName("runtime")
	keep := rt + ".KeepAlive(" + name + ")"
	var edits []analysis.TextEdit
	if last, ok := lastSibling(f, stmts); ok {
		// Straight-line code: the object is live up to a use after the
		// last event (liveness is per program point, not per path).
		e, ok := keepEdit(f, last, name, keep)
		if !ok {
			return none, false
		}
		edits = []analysis.TextEdit{e}
	} else if len(stmts) > 1 {
		if outer, ok := enclosing(f, stmts); ok {
			after := f.AfterLine(outer.End())
			edits = []analysis.TextEdit{{Pos: after, End: after, NewText: []byte("\n" + f.Indent(outer.Pos()) + keep)}}
		}
	}
	if edits == nil {
		for _, st := range stmts {
			e, ok := keepEdit(f, st, name, keep)
			if !ok {
				return none, false
			}
			edits = append(edits, e)
		}
	}
	return analysis.SuggestedFix{
		Message:   "add runtime.KeepAlive(" + name + ") after the last use",
		TextEdits: append(edits, imports...),
	}, true
}

// A stmtPlace is the statement (directly in a block or case clause) that
// holds an event, and whether a loop encloses it within its function.
type stmtPlace struct {
	stmt   ast.Stmt
	inLoop bool
	path   []ast.Node // stmt's enclosing nodes, innermost first
}

// placeAt finds the statement holding the position raw of f.
func placeAt(f *rawsrc.File, raw token.Pos) (stmtPlace, bool) {
	// A position in cgo's rewrite of a call may map to the start of the
	// line: take the line's first token.
	for off := f.Tok.Offset(raw); off < len(f.Src) && (f.Src[off] == ' ' || f.Src[off] == '\t'); off++ {
		raw++
	}
	var inner ast.Node
	ast.Inspect(f.AST, func(n ast.Node) bool {
		if n == nil || raw < n.Pos() || raw >= n.End() {
			return false
		}
		inner = n
		return true
	})
	if inner == nil {
		return stmtPlace{}, false
	}
	path := f.Path(inner)
	var st stmtPlace
	for i := 1; i < len(path); i++ {
		if _, ok := path[i].(*ast.FuncLit); ok {
			if st.stmt == nil {
				return stmtPlace{}, false // a literal inside an expression: no statement to extend
			}
			break
		}
		if _, ok := path[i].(*ast.FuncDecl); ok {
			break
		}
		switch path[i].(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if st.stmt != nil {
				st.inLoop = true
			}
		}
		if st.stmt != nil {
			continue
		}
		if s, ok := path[i-1].(ast.Stmt); ok {
			switch path[i].(type) {
			case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
				st.stmt, st.path = s, path[i-1:]
			}
		}
	}
	return st, st.stmt != nil
}

// lastSibling returns the last of the statements when all are in one
// statement list.
func lastSibling(f *rawsrc.File, stmts []stmtPlace) (stmtPlace, bool) {
	list, _ := listed(f, stmts[0].stmt)
	last := stmts[0]
	for _, st := range stmts[1:] {
		if l, _ := listed(f, st.stmt); l != list || list == nil {
			return stmtPlace{}, false
		}
		if st.stmt.Pos() > last.stmt.Pos() {
			last = st
		}
	}
	return last, list != nil
}

// enclosing returns the innermost statement, directly in a block, that
// holds all the statements, when nothing in it returns or jumps out
// early (a KeepAlive after it then runs after every event).
func enclosing(f *rawsrc.File, stmts []stmtPlace) (ast.Stmt, bool) {
	for _, n := range stmts[0].path {
		s, ok := n.(ast.Stmt)
		if !ok {
			continue
		}
		if _, isFn := n.(*ast.BlockStmt); isFn {
			continue
		}
		if !slices.ContainsFunc(stmts, func(p stmtPlace) bool { return p.stmt.Pos() < s.Pos() || p.stmt.End() > s.End() }) {
			if _, inList := listed(f, s); !inList || leavesEarly(s) {
				return nil, false
			}
			if _, ok := s.(*ast.ReturnStmt); ok {
				return nil, false
			}
			return s, true
		}
	}
	return nil, false
}

// listed reports whether s is directly in a block or case clause.
func listed(f *rawsrc.File, s ast.Stmt) (ast.Node, bool) {
	path := f.Path(s)
	if len(path) < 2 {
		return nil, false
	}
	switch path[1].(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		return path[1], true
	}
	return nil, false
}

// leavesEarly reports whether s holds a return, goto or labelled jump
// (outside function literals) or a break or continue of an enclosing loop.
func leavesEarly(s ast.Stmt) bool {
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			found = true
		case *ast.BranchStmt:
			if n.Tok == token.GOTO || n.Label != nil {
				found = true
			}
			if _, isLoop := s.(*ast.ForStmt); !isLoop {
				if _, isRange := s.(*ast.RangeStmt); !isRange && (n.Tok == token.BREAK || n.Tok == token.CONTINUE) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// keepEdit is the edit keeping the object alive past the statement of st.
func keepEdit(f *rawsrc.File, st stmtPlace, name, keep string) (analysis.TextEdit, bool) {
	indent := f.Indent(st.stmt.Pos())
	after := f.AfterLine(st.stmt.End())
	switch s := st.stmt.(type) {
	case *ast.ExprStmt, *ast.IncDecStmt, *ast.SendStmt, *ast.DeclStmt:
		return analysis.TextEdit{Pos: after, End: after, NewText: []byte("\n" + indent + keep)}, true
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE && defines(s, name) {
			return analysis.TextEdit{}, false
		}
		return analysis.TextEdit{Pos: after, End: after, NewText: []byte("\n" + indent + keep)}, true
	case *ast.ReturnStmt:
		// Deferred calls run after the results are computed.
		return analysis.TextEdit{Pos: s.Pos(), End: s.Pos(), NewText: []byte("defer " + keep + "\n" + indent)}, true
	case *ast.IfStmt, *ast.SwitchStmt:
		if st.inLoop {
			return analysis.TextEdit{}, false // a defer per iteration would pile up
		}
		return analysis.TextEdit{Pos: s.Pos(), End: s.Pos(), NewText: []byte("defer " + keep + "\n" + indent)}, true
	}
	return analysis.TextEdit{}, false
}

func defines(s *ast.AssignStmt, name string) bool {
	for _, l := range s.Lhs {
		if id, ok := l.(*ast.Ident); ok && id.Name == name {
			return true
		}
	}
	return false
}
