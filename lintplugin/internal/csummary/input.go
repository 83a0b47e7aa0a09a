package csummary

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Input describes one cgo package as an analyzer sees it.
type Input struct {
	// Dir is the package directory: #include "x.h", relative -I flags and
	// ${SRCDIR} resolve against it.
	Dir string
	// GoFiles are the user's Go files on disk (not cgo's output). Those
	// that import "C" give the preambles, the #cgo flags, the //export'ed
	// names and the C names the Go side uses.
	GoFiles []string
	// OtherFiles are the package's non-Go files (pass.OtherFiles): each .c
	// file is a translation unit; headers are read through #include;
	// anything else (.s, .S, .cc, .m) is not read, with the reason recorded.
	OtherFiles []string
	Settings   Settings
}

// InputFromPass builds the Input of pass's package. The pass's Go files are
// cgo's output; their //line directives name the user's files, which is what
// Input wants (as rawsrc does for fixes).
func InputFromPass(pass *analysis.Pass, s Settings) Input {
	in := Input{OtherFiles: slices.Clone(pass.OtherFiles), Settings: s}
	seen := map[string]bool{}
	for _, f := range pass.Files {
		name := pass.Fset.PositionFor(f.Package, true).Filename
		if name == "" || seen[name] || !strings.HasSuffix(name, ".go") {
			continue
		}
		seen[name] = true
		in.GoFiles = append(in.GoFiles, name)
		if in.Dir == "" {
			in.Dir = filepath.Dir(name)
		}
	}
	return in
}

// A goFile is what one user Go file that imports "C" tells about the C side.
type goFile struct {
	path     string
	preamble string   // the import "C" comments as cgo compiles them (#cgo lines blanked)
	flags    []string // the #cgo CFLAGS/CPPFLAGS lines, unparsed
	exports  []export // its //export'ed functions
	uses     []string // C names it calls (C.foo(...)), sorted
}

// An export is one //export'ed Go function and its C prototype.
type export struct {
	name  string
	proto string // "extern int name(void* p);" or "" when a type has no C spelling here
}

// readGoFile reads one user Go file; ok is false when it does not import "C".
func readGoFile(path string) (gf goFile, ok bool, err error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return gf, false, err
	}
	gf.path = path
	var pre strings.Builder
	for _, d := range f.Decls {
		gd, isGen := d.(*ast.GenDecl)
		if !isGen || gd.Tok != token.IMPORT {
			continue
		}
		for _, s := range gd.Specs {
			is := s.(*ast.ImportSpec)
			if is.Path.Value != `"C"` {
				continue
			}
			ok = true
			cg := is.Doc
			if cg == nil && len(gd.Specs) == 1 {
				cg = gd.Doc
			}
			if cg != nil {
				writePreamble(&pre, &gf, fset.Position(cg.Pos()).Line, path, cg)
			}
		}
	}
	if !ok {
		return gf, false, nil
	}
	gf.preamble = pre.String()
	uses := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			// C.f(...): a call (or a conversion, which no function answers).
			if sel, isSel := n.Fun.(*ast.SelectorExpr); isSel {
				if id, isID := sel.X.(*ast.Ident); isID && id.Name == "C" {
					uses[sel.Sel.Name] = true
				}
			}
		case *ast.FuncDecl:
			if name := exportName(n); name != "" {
				gf.exports = append(gf.exports, export{name: name, proto: exportProto(name, n.Type)})
			}
		}
		return true
	})
	for u := range uses {
		gf.uses = append(gf.uses, u)
	}
	slices.Sort(gf.uses)
	return gf, true, nil
}

// writePreamble appends cg's text as cgo does (commentText), preceded by a
// #line directive so that positions name the Go file, and with the #cgo
// lines blanked (cgo removes them; blanking keeps the line numbers).
func writePreamble(b *strings.Builder, gf *goFile, line int, path string, cg *ast.CommentGroup) {
	b.WriteString("#line ")
	b.WriteString(itoa(line))
	b.WriteString(" " + quoteC(path) + "\n")
	var text strings.Builder
	for _, c := range cg.List {
		t := c.Text
		if t[1] == '/' {
			t = t[2:] + "\n"
		} else {
			t = t[2 : len(t)-2]
		}
		text.WriteString(t)
	}
	for l := range strings.SplitAfterSeq(text.String(), "\n") {
		if d, isCgo := strings.CutPrefix(strings.TrimSpace(l), "#cgo"); isCgo && (d == "" || d[0] == ' ' || d[0] == '\t') {
			gf.flags = append(gf.flags, strings.TrimSpace(d))
			if strings.HasSuffix(l, "\n") {
				b.WriteString("\n")
			}
			continue
		}
		b.WriteString(l)
	}
	b.WriteString("\n")
}

// exportName returns the C name of an //export'ed function, or "".
func exportName(fd *ast.FuncDecl) string {
	if fd.Doc == nil || fd.Recv != nil {
		return ""
	}
	for _, c := range fd.Doc.List {
		if rest, ok := strings.CutPrefix(c.Text, "//export "); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				return f[0]
			}
		}
	}
	return ""
}
