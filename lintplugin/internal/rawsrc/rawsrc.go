// Package rawsrc gives checks the file the user wrote, so that suggested
// fixes edit it rather than what cmd/cgo made of it.
//
// Analyzers see cgo-processed files: their positions map to the user's file
// through //line directives, but their offsets are those of a generated file
// in the build cache, and golangci-lint drops every fix whose diagnostic
// lies in a file whose name does not end in ".go". A check that wants to
// offer a fix on a cgo file therefore parses the user's own file into the
// pass's FileSet (as the cgocall pass of x/tools does), builds its edits on
// that syntax tree, and reports the diagnostic there too: the diagnostic's
// file, the edits' file and the file golangci-lint or go vet -fix rewrite
// are then one and the same.
//
// For files that are not cgo-processed, a File is simply the pass's own
// syntax tree, with type information.
package rawsrc

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// A File is a file as the user wrote it.
type File struct {
	AST *ast.File
	Tok *token.File
	Src []byte
	// Info types the AST when it is the pass's own (a file cmd/cgo did not
	// process); it is nil for a re-parsed cgo file.
	Info *types.Info
}

// Files finds and caches the user's files for one pass.
type Files struct {
	pass  *analysis.Pass
	cache map[string]*File // by file name; nil entry: unavailable
}

// New returns an empty cache for pass.
func New(pass *analysis.Pass) *Files {
	return &Files{pass: pass, cache: make(map[string]*File)}
}

// At returns the user's file holding pos (a position in one of the pass's
// files, possibly a cgo-processed one) and the same line and column in it.
// ok is false when the file cannot be read or parsed, or no longer matches.
func (fs *Files) At(pos token.Pos) (f *File, raw token.Pos, ok bool) {
	if !pos.IsValid() {
		return nil, token.NoPos, false
	}
	fset := fs.pass.Fset
	tf := fset.File(pos)
	if tf == nil {
		return nil, token.NoPos, false
	}
	adj := fset.PositionFor(pos, true)
	plain := fset.PositionFor(pos, false)
	if adj.Filename == plain.Filename && adj.Line == plain.Line {
		// An ordinary file: the pass's own syntax tree.
		for _, af := range fs.pass.Files {
			if af.FileStart <= pos && pos <= af.FileEnd {
				return fs.own(tf, af), pos, true
			}
		}
		return nil, token.NoPos, false
	}
	f = fs.parse(adj.Filename)
	if f == nil || adj.Line < 1 || adj.Line > f.Tok.LineCount() {
		return nil, token.NoPos, false
	}
	start := f.Tok.LineStart(adj.Line)
	end := f.Tok.Pos(f.Tok.Size())
	if adj.Line < f.Tok.LineCount() {
		end = f.Tok.LineStart(adj.Line + 1)
	}
	raw = start + token.Pos(max(adj.Column, 1)-1)
	if raw >= end {
		raw = start
	}
	return f, raw, true
}

func (fs *Files) own(tf *token.File, af *ast.File) *File {
	if f, ok := fs.cache[tf.Name()]; ok && f != nil && f.AST == af {
		return f
	}
	src, _ := fs.pass.ReadFile(tf.Name())
	if len(src) != tf.Size() {
		src = nil // the file changed on disk, or cannot be read
	}
	f := &File{AST: af, Tok: tf, Src: src, Info: fs.pass.TypesInfo}
	fs.cache[tf.Name()] = f
	return f
}

func (fs *Files) parse(name string) *File {
	if f, ok := fs.cache[name]; ok {
		return f
	}
	fs.cache[name] = nil
	if !strings.HasSuffix(name, ".go") {
		return nil
	}
	src, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	af, err := parser.ParseFile(fs.pass.Fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	f := &File{AST: af, Tok: fs.pass.Fset.File(af.FileStart), Src: src}
	fs.cache[name] = f
	return f
}

// Text returns the source text of n, or "" if the file's text is unknown.
func (f *File) Text(n ast.Node) string {
	if f.Src == nil || n == nil {
		return ""
	}
	start, end := f.Tok.Offset(n.Pos()), f.Tok.Offset(n.End())
	if start < 0 || end > len(f.Src) || start > end {
		return ""
	}
	return string(f.Src[start:end])
}

// Line returns the line of pos.
func (f *File) Line(pos token.Pos) int { return f.Tok.Line(pos) }

// Indent returns the white space that starts the line of pos.
func (f *File) Indent(pos token.Pos) string {
	if f.Src == nil {
		return "\t"
	}
	off := f.Tok.Offset(f.Tok.LineStart(f.Tok.Line(pos)))
	end := off
	for end < len(f.Src) && (f.Src[end] == ' ' || f.Src[end] == '\t') {
		end++
	}
	return string(f.Src[off:end])
}

// AfterLine returns the position at which to insert a new line after the
// node ending at end: the end of its line when only white space or a //
// comment follows it there, end otherwise.
func (f *File) AfterLine(end token.Pos) token.Pos {
	if f.Src == nil {
		return end
	}
	off := f.Tok.Offset(end)
	eol := off
	for eol < len(f.Src) && f.Src[eol] != '\n' {
		eol++
	}
	rest := strings.TrimSpace(string(f.Src[off:eol]))
	if rest == "" || strings.HasPrefix(rest, "//") {
		return f.Tok.Pos(eol)
	}
	return end
}

// ImportName returns the name under which f can refer to the package with
// the given path, and the edits that add an import of it when f has none
// (or only a blank or dot import).
func (f *File) ImportName(path string) (string, []analysis.TextEdit) {
	for _, spec := range f.AST.Imports {
		if p, err := strconv.Unquote(spec.Path.Value); err != nil || p != path {
			continue
		}
		if spec.Name == nil {
			return path[strings.LastIndex(path, "/")+1:], nil
		}
		if n := spec.Name.Name; n != "_" && n != "." {
			return n, nil
		}
	}
	name := path[strings.LastIndex(path, "/")+1:]
	quoted := strconv.Quote(path)
	// Into an existing import ( ... ) block other than cgo's.
	for _, decl := range f.AST.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT || !gd.Lparen.IsValid() || isCImport(gd) {
			continue
		}
		return name, []analysis.TextEdit{{Pos: gd.Lparen + 1, End: gd.Lparen + 1, NewText: []byte("\n\t" + quoted)}}
	}
	// Turn a single import other than cgo's into a block.
	for _, decl := range f.AST.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT || len(gd.Specs) != 1 || isCImport(gd) {
			continue
		}
		spec := f.Text(gd.Specs[0])
		if spec == "" {
			break
		}
		lines := []string{quoted, spec}
		if p := gd.Specs[0].(*ast.ImportSpec).Path.Value; p < quoted {
			lines[0], lines[1] = spec, quoted
		}
		return name, []analysis.TextEdit{{Pos: gd.Pos(), End: gd.End(),
			NewText: []byte("import (\n\t" + lines[0] + "\n\t" + lines[1] + "\n)")}}
	}
	// After the last import declaration, or after the package clause.
	at := f.AST.Name.End()
	for _, decl := range f.AST.Decls {
		if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			at = gd.End()
		}
	}
	return name, []analysis.TextEdit{{Pos: at, End: at, NewText: []byte("\n\nimport " + quoted)}}
}

func isCImport(gd *ast.GenDecl) bool {
	for _, s := range gd.Specs {
		if is, ok := s.(*ast.ImportSpec); ok && is.Path.Value == `"C"` {
			return true
		}
	}
	return false
}

// NodesOnLine returns the nodes of f (in depth-first order) that start on
// line and satisfy keep.
func (f *File) NodesOnLine(line int, keep func(ast.Node) bool) []ast.Node {
	var out []ast.Node
	ast.Inspect(f.AST, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		if f.Line(n.End()) < line || f.Line(n.Pos()) > line {
			return false
		}
		if f.Line(n.Pos()) == line && keep(n) {
			out = append(out, n)
		}
		return true
	})
	return out
}

// NodesSpanning returns the nodes of f (in depth-first order) whose
// extent includes line and that satisfy keep.
func (f *File) NodesSpanning(line int, keep func(ast.Node) bool) []ast.Node {
	var out []ast.Node
	ast.Inspect(f.AST, func(n ast.Node) bool {
		if n == nil || f.Line(n.End()) < line || f.Line(n.Pos()) > line {
			return false
		}
		if keep(n) {
			out = append(out, n)
		}
		return true
	})
	return out
}

// Path returns the nodes enclosing n, innermost first (n included), or
// nil if n is not in f.
func (f *File) Path(n ast.Node) []ast.Node {
	var stack, out []ast.Node
	ast.Inspect(f.AST, func(m ast.Node) bool {
		if out != nil {
			return false
		}
		if m == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if m.Pos() > n.Pos() || m.End() < n.End() {
			return false
		}
		stack = append(stack, m)
		if m == n {
			out = make([]ast.Node, len(stack))
			for i, s := range stack {
				out[len(stack)-1-i] = s
			}
			return false
		}
		return true
	})
	return out
}

// IsCgo reports whether f was re-parsed from disk because the pass sees a
// cgo-processed version of it.
func (f *File) IsCgo() bool { return f.Info == nil }

// StmtList returns the statement list (of a block or case clause) that
// holds stmt, stmt's index in it, and the body of the innermost function
// enclosing it; ok is false when stmt is not directly in a list.
func (f *File) StmtList(stmt ast.Stmt) (list []ast.Stmt, idx int, body *ast.BlockStmt, ok bool) {
	path := f.Path(stmt)
	if len(path) < 2 {
		return nil, 0, nil, false
	}
	switch p := path[1].(type) {
	case *ast.BlockStmt:
		list = p.List
	case *ast.CaseClause:
		list = p.Body
	case *ast.CommClause:
		list = p.Body
	default:
		return nil, 0, nil, false
	}
	idx = -1
	for i, s := range list {
		if s == stmt {
			idx = i
		}
	}
	for _, n := range path[1:] {
		switch fn := n.(type) {
		case *ast.FuncDecl:
			body = fn.Body
		case *ast.FuncLit:
			body = fn.Body
		}
		if body != nil {
			break
		}
	}
	return list, idx, body, idx >= 0 && body != nil
}

// CountIdent counts the identifiers named name in n.
func CountIdent(n ast.Node, name string) int {
	count := 0
	ast.Inspect(n, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok && id.Name == name {
			count++
		}
		return true
	})
	return count
}

// DropImportIfUnused returns the edit deleting the import of path when the
// file refers to it (as name.X) only inside the ranges the caller's other
// edits replace; nil otherwise.
func (f *File) DropImportIfUnused(path, name string, replaced []analysis.TextEdit) []analysis.TextEdit {
	var spec *ast.ImportSpec
	var decl *ast.GenDecl
	for _, d := range f.AST.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for _, s := range gd.Specs {
			is := s.(*ast.ImportSpec)
			if p, err := strconv.Unquote(is.Path.Value); err == nil && p == path {
				if spec != nil {
					return nil // imported twice
				}
				spec, decl = is, gd
			}
		}
	}
	if spec == nil {
		return nil
	}
	used := false
	ast.Inspect(f.AST, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok || used {
			return !used
		}
		if id, ok := sel.X.(*ast.Ident); ok && id.Name == name {
			for _, e := range replaced {
				if e.Pos <= sel.Pos() && sel.End() <= e.End {
					return true
				}
			}
			used = true
		}
		return true
	})
	if used {
		return nil
	}
	var from, to token.Pos
	if len(decl.Specs) > 1 {
		from, to = spec.Pos(), spec.End()
	} else {
		from, to = decl.Pos(), decl.End()
	}
	// Whole lines: from the line's start to the next line's.
	from = f.Tok.LineStart(f.Line(from))
	if l := f.Line(to); l < f.Tok.LineCount() {
		to = f.Tok.LineStart(l + 1)
	}
	return []analysis.TextEdit{{Pos: from, End: to}}
}
