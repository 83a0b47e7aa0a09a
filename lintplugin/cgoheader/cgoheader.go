// Package cgoheader defines an Analyzer that reports reflect.SliceHeader
// and reflect.StringHeader values laid over C memory.
package cgoheader

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
	"github.com/cgoguard/cgoguard/lintplugin/internal/rawsrc"
	"github.com/cgoguard/cgoguard/lintplugin/internal/report"
)

const Doc = `report reflect.SliceHeader or StringHeader over C memory

Building a slice or string by writing a C pointer into the Data field of a
reflect.SliceHeader or reflect.StringHeader (through a pointer to a real
slice, or in a header value converted afterwards) hides the pointer in a
uintptr: the compiler and checkers cannot follow it, a header value
converted to a slice is not a valid unsafe.Pointer conversion, and the
header types are deprecated. unsafe.Slice and unsafe.String (Go 1.17 and
1.20) build the same value from a typed pointer and a length. The check
follows C memory into same-package helpers that take the pointer as a
parameter. The suggested fix rewrites the common shapes (pointer-to-header
assignments, and header literals converted at once) to unsafe.Slice or
unsafe.String.`

var Analyzer = New(engine.Default)

// New returns the check running on the engine analyzer eng (see
// engine.New).
func New(eng *analysis.Analyzer) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:             "cgoheader",
		Doc:              Doc,
		URL:              "https://github.com/cgoguard/cgoguard#cgoheader",
		Requires:         []*analysis.Analyzer{eng},
		Run:              func(pass *analysis.Pass) (any, error) { return run(pass, engine.Of(pass, eng)) },
		RunDespiteErrors: true,
	}
}

// A headerStore is a write of a header's Data field.
type headerStore struct {
	store *ssa.Store
	kind  string // "SliceHeader" or "StringHeader"
}

func run(pass *analysis.Pass, e *engine.Result) (any, error) {
	res := e.Bridge
	if res == nil || res.Pkg == nil || !importsReflect(pass.Pkg) {
		return nil, nil
	}
	c := &checker{pass: pass, r: report.New(pass, "cgoheader", e.Config), files: rawsrc.New(pass)}
	// Header writes whose Data comes from a parameter: helpers that lay a
	// header over whatever their callers pass.
	helpers := make(map[*ssa.Function]map[int][]headerStore)
	for _, fn := range res.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, ins := range b.Instrs {
				st, ok := ins.(*ssa.Store)
				if !ok {
					continue
				}
				kind := headerKind(st)
				if kind == "" {
					continue
				}
				hs := headerStore{st, kind}
				if origin, ok := cOrigin(pass, st.Val); ok {
					c.report(hs, "to C memory ("+origin+")")
					continue
				}
				for _, r := range flow.Roots(st.Val) {
					if p, ok := r.(*ssa.Parameter); ok && p.Parent() == fn && fn.Parent() == nil {
						if helpers[fn] == nil {
							helpers[fn] = make(map[int][]headerStore)
						}
						i := paramIndex(fn, p)
						helpers[fn][i] = append(helpers[fn][i], hs)
					}
				}
			}
		}
	}
	defer c.flush()
	if len(helpers) == 0 {
		return nil, nil
	}
	for _, fn := range res.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, ins := range b.Instrs {
				call, ok := ins.(ssa.CallInstruction)
				if !ok {
					continue
				}
				callee := call.Common().StaticCallee()
				if callee == nil || helpers[callee] == nil {
					continue
				}
				for i, stores := range helpers[callee] {
					if i >= len(call.Common().Args) {
						continue
					}
					origin, ok := cOrigin(pass, call.Common().Args[i])
					if !ok {
						continue
					}
					for _, hs := range stores {
						c.report(hs, fmt.Sprintf("to parameter %s, and %s passes it C memory at %s (%s)",
							callee.Params[i].Name(), bridge.FuncLabel(fn), where(pass, call.Pos(), hs.store.Pos()), origin))
					}
				}
			}
		}
	}
	return nil, nil
}

type checker struct {
	pass  *analysis.Pass
	r     *report.Reporter
	files *rawsrc.Files
	// The diagnostics, and their fixes (nil where none), reported at the
	// end so that fixes can share the removal of the reflect import.
	diags []analysis.Diagnostic
	fixes []*headerFix
}

func (c *checker) flush() {
	dropReflect(c.diags, c.fixes)
	for _, d := range c.diags {
		c.r.Report(d)
	}
}

// report reports a header store whose Data is C memory; target says
// where the value comes from ("to C memory (...)").
func (c *checker) report(hs headerStore, target string) {
	pos := hs.store.Pos()
	if !pos.IsValid() {
		pos = hs.store.Val.Pos()
	}
	if !pos.IsValid() || cgoshape.InGeneratedFile(c.pass.Fset, pos) {
		return
	}
	want := "unsafe.Slice((*T)(p), n)"
	if hs.kind == "StringHeader" {
		want = "unsafe.String((*byte)(p), n)"
	}
	d := analysis.Diagnostic{Pos: pos}
	var fixp *headerFix
	if fix, ok := c.fix(hs); ok {
		d.Pos, want = fix.pos, fix.call
		d.SuggestedFixes = []analysis.SuggestedFix{fix.SuggestedFix}
		fixp = &fix
	}
	d.Message = fmt.Sprintf("reflect.%s.Data set at line %d %s: the header hides the pointer in a uintptr "+
		"and builds a %s the compiler cannot check, and reflect.%s is deprecated; use %s",
		hs.kind, c.pass.Fset.Position(d.Pos).Line, target, what(hs.kind), hs.kind, want)
	c.diags = append(c.diags, d)
	c.fixes = append(c.fixes, fixp)
}

func what(kind string) string {
	if kind == "StringHeader" {
		return "string"
	}
	return "slice"
}

// headerKind reports whether st writes the Data field of a
// reflect.SliceHeader or reflect.StringHeader.
func headerKind(st *ssa.Store) string {
	fa, ok := st.Addr.(*ssa.FieldAddr)
	if !ok || fa.Field != 0 {
		return ""
	}
	p, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return ""
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "reflect" {
		return ""
	}
	switch n.Obj().Name() {
	case "SliceHeader", "StringHeader":
		return n.Obj().Name()
	}
	return ""
}

// cOrigin reports whether every value v may come from is C memory: the
// result of a C function (C.malloc included), or a value of a C pointer
// type. It describes the origin for the message.
func cOrigin(pass *analysis.Pass, v ssa.Value) (string, bool) {
	roots := flow.Roots(v)
	if len(roots) == 0 {
		return "", false
	}
	desc := ""
	for _, r := range roots {
		d := ""
		if call, ok := r.(*ssa.Call); ok {
			if name, ok := cgoshape.CCall(call.Common()); ok && api.Classify(call.Common()).Kind != api.CCopyOut {
				d = fmt.Sprintf("the result of C.%s at line %d", name, pass.Fset.Position(call.Pos()).Line)
			}
		}
		if d == "" && isCPointer(r.Type()) {
			d = "a " + cgoshape.TypeString(r.Type(), pass.Pkg)
			if p, ok := r.(*ssa.Parameter); ok {
				d = p.Name() + ", a " + cgoshape.TypeString(r.Type(), pass.Pkg)
			}
		}
		if d == "" {
			return "", false
		}
		if desc == "" {
			desc = d
		}
	}
	return desc, true
}

func isCPointer(t types.Type) bool {
	p, ok := t.Underlying().(*types.Pointer)
	return ok && cgoshape.IsCType(p.Elem())
}

func importsReflect(pkg *types.Package) bool {
	for _, imp := range pkg.Imports() {
		if imp.Path() == "reflect" {
			return true
		}
	}
	return false
}

func paramIndex(fn *ssa.Function, p *ssa.Parameter) int {
	for i, q := range fn.Params {
		if q == p {
			return i
		}
	}
	return -1
}

// where describes pos for a message about a finding at at: "line 12", or
// "agent.go:12" when the two lie in different files.
func where(pass *analysis.Pass, pos, at token.Pos) string {
	p, q := pass.Fset.Position(pos), pass.Fset.Position(at)
	if p.Filename == q.Filename {
		return fmt.Sprintf("line %d", p.Line)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
