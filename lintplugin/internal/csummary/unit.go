package csummary

import (
	"fmt"
	"runtime/debug"
	"strings"

	"modernc.org/cc/v4"
)

// MaxFileBytes is the size budget of one translation unit's main file (a
// .c file or a preamble). Parsing and type-checking runs at about 0.12 s and
// 30 MB of heap per MiB of C on the benchmark machine (BENCHMARKS.md), so a
// 256 KiB file costs about 30 ms, which keeps a package within tens of
// milliseconds. Hand-written cgo C files are far smaller; amalgamations (the
// 9 MB sqlite3-binding.c of go-sqlite3 takes 1.2 s and 270 MB) are the files
// this budget exists to skip. Functions defined only there have no summary
// (Reason OverBudget).
const MaxFileBytes = 256 << 10

// A unit is one translation unit: a preamble as cgo compiles it, or a .c file.
type unit struct {
	name    string // the Go file of a preamble, or the .c file
	text    []byte // its main source
	isPre   bool
	ast     *cc.AST
	err     error                             // parse error, over budget, internal failure
	defs    map[string]*cc.FunctionDefinition // file-scope function definitions by name
	decls   map[string][]*cc.Declaration      // file-scope declarations by declared name
	mallocs map[string]mallocInfo             // malloc attributes, indexed on first use
}

// parse translates u once. It never panics: a panic inside the C front end
// becomes u.err.
func (u *unit) parse(cfg *cc.Config, predefined string) {
	defer func() {
		if r := recover(); r != nil {
			u.ast = nil
			u.err = fmt.Errorf("internal error in the C front end: %v\n%s", r, debug.Stack())
		}
	}()
	if len(u.text) > MaxFileBytes {
		u.err = &budgetError{name: u.name, size: len(u.text)}
		return
	}
	srcs := []cc.Source{{Name: "<predefined>", Value: predefined}, {Name: "<builtin>", Value: cc.Builtin}}
	if u.isPre {
		srcs = append(srcs, cc.Source{Name: "cgo-builtin-prolog", Value: builtinProlog})
	}
	srcs = append(srcs, cc.Source{Name: u.name, Value: u.text})
	ast, err := cc.Translate(cfg, srcs)
	if err != nil {
		u.err = fmt.Errorf("%s", firstLines(err.Error(), 3))
		return
	}
	u.ast = ast
	u.index()
}

type budgetError struct {
	name string
	size int
}

func (e *budgetError) Error() string {
	return fmt.Sprintf("%s is %d bytes, over the %d-byte budget (MaxFileBytes)", e.name, e.size, MaxFileBytes)
}

// index lists the file-scope function definitions and declarations.
func (u *unit) index() {
	u.defs = map[string]*cc.FunctionDefinition{}
	u.decls = map[string][]*cc.Declaration{}
	for l := u.ast.TranslationUnit; l != nil; l = l.TranslationUnit {
		ed := l.ExternalDeclaration
		switch ed.Case {
		case cc.ExternalDeclarationFuncDef:
			fd := ed.FunctionDefinition
			u.defs[fd.Declarator.Name()] = fd
		case cc.ExternalDeclarationDecl:
			d := ed.Declaration
			for il := d.InitDeclaratorList; il != nil; il = il.InitDeclaratorList {
				if dr := il.InitDeclarator.Declarator; dr != nil {
					u.decls[dr.Name()] = append(u.decls[dr.Name()], d)
				}
			}
		}
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, "\n")
}
