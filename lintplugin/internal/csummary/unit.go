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

// maxUnitBytes is the size budget of everything one translation unit
// reads from the disk: its package headers and, when it is read in full,
// the system headers. A unit over it is not summarised (Reason OverBudget).
// The common libc and POSIX headers together are about 600 KB; a unit that
// includes a toolkit's headers (gtk/gtk.h is over 8 MB with what it
// includes) would cost seconds. The same budget bounds the reading of one
// system header for the index.
const maxUnitBytes = 4 << 20

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

	facts   *textFacts      // the text scan of text (prelude.go), on first use
	defined map[string]bool // the names text seems to define (definesText), on first use
	mode    readMode
	full    string // why the unit was read in full rather than in prelude mode
}

// A readMode says how a unit was read.
type readMode uint8

const (
	notRead     readMode = iota
	readPrelude          // system headers served from the index (prelude.go)
	readFull             // system headers preprocessed and parsed
)

// parse translates u once, in prelude mode when st is not nil and that
// succeeds, else in full. It never panics: a panic inside the C front end
// becomes u.err.
func (u *unit) parse(pc *pkgConfig, st *prelude) {
	if len(u.text) > MaxFileBytes {
		u.err = &budgetError{msg: fmt.Sprintf("%s is %d bytes, over the %d-byte budget (MaxFileBytes)", u.name, len(u.text), MaxFileBytes)}
		return
	}
	if st != nil {
		fsys := &diskFS{overlay: pc.overlay, budget: maxUnitBytes, open: st.open, seen: st.seen}
		ast, err := u.translate(pc.prelude, pc.predefined, fsys, st.prolog, st.main)
		if err == nil && st.fail == "" {
			u.ast, u.mode = ast, readPrelude
			u.index()
			return
		}
		switch {
		case st.fail != "":
			u.full = st.fail
		case fsys.over != "":
			u.full = fsys.over
		default:
			u.full = "it does not translate in prelude mode: " + firstLines(err.Error(), 1)
		}
	}
	fsys := &diskFS{overlay: pc.overlay, budget: maxUnitBytes}
	ast, err := u.translate(pc.full, pc.predefined, fsys, builtinProlog, u.text)
	u.mode = readFull
	switch {
	case fsys.over != "":
		u.err = &budgetError{msg: u.name + ": " + fsys.over}
	case err != nil:
		u.err = err
	default:
		u.ast = ast
		u.index()
	}
}

// translate runs the C front end on u with cfg reading files through fsys.
func (u *unit) translate(cfg *cc.Config, predefined string, fsys *diskFS, prolog string, text []byte) (ast *cc.AST, err error) {
	defer func() {
		if r := recover(); r != nil {
			ast, err = nil, fmt.Errorf("internal error in the C front end: %v\n%s", r, debug.Stack())
		}
	}()
	c := *cfg
	c.FS, c.FSOnly = fsys, true
	srcs := []cc.Source{{Name: "<predefined>", Value: predefined}, {Name: "<builtin>", Value: cc.Builtin}}
	if u.isPre {
		srcs = append(srcs, cc.Source{Name: "cgo-builtin-prolog", Value: prolog})
	}
	srcs = append(srcs, cc.Source{Name: u.name, Value: text})
	ast, err = cc.Translate(&c, srcs)
	if err != nil {
		return nil, fmt.Errorf("%s", firstLines(err.Error(), 3))
	}
	return ast, nil
}

// A budgetError says that a unit was not read because of a size budget.
type budgetError struct{ msg string }

func (e *budgetError) Error() string { return e.msg }

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
