// Package cgoheader defines an Analyzer that reports slices and strings
// built over memory in ways that can corrupt it: reflect.SliceHeader and
// StringHeader values that are not the header of a real slice or string,
// slices longer than the C allocation they cover, and unbounded array casts
// grown with append. The deprecated but correct use of a real slice's header
// is reported only on request (Options.Modernize).
package cgoheader

import (
	"cmp"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/config"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
	"github.com/cgoguard/cgoguard/lintplugin/internal/rawsrc"
	"github.com/cgoguard/cgoguard/lintplugin/internal/report"
)

const Doc = `report slice and string headers that can corrupt memory

Reported by default, because each can read or write memory it should not:
a reflect.SliceHeader or StringHeader value (a literal or a variable, not
the header of a real slice or string) converted to a slice or string, which
the unsafe.Pointer rules forbid: in a plain value Data is an integer the GC
and escape analysis do not see as a pointer; a slice whose Cap or Len
covers more than the C allocation it points into, when C.malloc or C.calloc
sizes it with constants or with the same value as the slice; and the
unbounded array cast (*[1 << 30]T)(unsafe.Pointer(p))[:n] whose result is
grown with append, which writes in place past the C buffer while len < cap
(the form limited with [:n:n] is silent); and a header in C memory (a C
struct laid out as one) whose Data is set to Go memory, a Go pointer C
holds hidden from the GC and from cgo's checks.

Setting Data, Len and Cap on the header of a real slice, as in
(*reflect.SliceHeader)(unsafe.Pointer(&b)), is correct, merely deprecated:
it is reported only with the modernize option (cgoguard -cgoheader.modernize,
or Options.Modernize), for C memory, including C memory a same-package
helper receives as a parameter.

Suggested fixes follow the file's Go version (go.mod, or a //go:build
line): unsafe.Slice from Go 1.17, unsafe.String from Go 1.20, and before
that the array form (*[1 << k]T)(p)[:n:n], with 1 << k the largest power of
two whose array of T stays under 2 GiB, so it compiles for every element
size on 64-bit and 32-bit targets (a longer slice panics instead of
overrunning). An unbounded array cast gets its capacity limit, [:n:n]. A Cap
beyond the allocation gets no fix: whether the allocation or the slice is
wrong is the author's call.

Not followed, so not reported: an append to the cast's slice in another
function (a closure or a callee), an allocation in another function than
the slice built over it, and Go memory in a C-typed header whose own memory
the analysis cannot tell is C's.`

// Analyzer is the check on the default engine: hazards only, unless the
// vet tool's -cgoheader.modernize flag turns the modernize reports on.
var Analyzer = New(engine.Default)

func init() {
	Analyzer.Flags.BoolVar(&engine.DefaultConfig.HeaderModernize, "modernize", engine.DefaultConfig.HeaderModernize,
		"also report the deprecated but correct reflect.SliceHeader/StringHeader over a real slice or string")
}

// New returns the check running on the engine analyzer eng (see
// engine.New); the engine's settings say whether to modernize
// (config.Config.HeaderModernize).
func New(eng *analysis.Analyzer) *analysis.Analyzer { return engine.Check(eng, "cgoheader", Doc, run) }

// Kinds of finding, in the order they are reported (the reporter keeps one
// finding per line).
const (
	kindPlain     = iota // (a) a header value converted to a slice or string, (d) Go memory in a header in C memory
	kindOversize         // (b) Cap or Len beyond the C allocation
	kindUnbounded        // (c) unbounded array cast grown with append
	kindModernize        // deprecated but correct, opt-in
)

type finding struct {
	kind int
	diag analysis.Diagnostic
	fix  *headerFix // nil when the finding has no fix that touches reflect
}

type checker struct {
	pass     *analysis.Pass
	cfg      *config.Config
	files    *rawsrc.Files
	findings []finding
}

func run(pass *analysis.Pass, e *engine.Result) (any, error) {
	res := e.Bridge
	if res == nil || res.Pkg == nil {
		return nil, nil
	}
	c := &checker{pass: pass, cfg: e.Config, files: rawsrc.New(pass)}
	hs := collectHeaders(res.SrcFuncs)
	for _, h := range hs {
		c.checkPlain(h)
		c.checkGoInC(h)
		c.checkOversizeHeader(h)
	}
	for _, fn := range res.SrcFuncs {
		c.checkSlicing(fn)
	}
	if e.Config.HeaderModernize {
		c.checkModernize(res, hs)
	}
	c.flush()
	return nil, nil
}

// add records a finding unless it lies in code cmd/cgo generated. Related
// positions on the finding's own line say nothing more and are dropped.
func (c *checker) add(kind int, d analysis.Diagnostic, fix *headerFix) {
	if !d.Pos.IsValid() || cgoshape.InGeneratedFile(c.pass.Fset, d.Pos) {
		return
	}
	var rel []analysis.RelatedInformation
	for _, r := range d.Related {
		if r.Pos.IsValid() && c.line(r.Pos) != c.line(d.Pos) {
			rel = append(rel, r)
		}
	}
	d.Related = rel
	c.findings = append(c.findings, finding{kind, d, fix})
}

// flush reports the findings, hazards first, after giving the fixes of a
// file the removal of the reflect import when together they remove its
// last use.
func (c *checker) flush() {
	slices.SortStableFunc(c.findings, func(a, b finding) int { return cmp.Compare(a.kind, b.kind) })
	dropReflect(c.findings)
	r := report.New(c.pass, "cgoheader", c.cfg)
	for _, f := range c.findings {
		r.Report(f.diag)
	}
}

// related is a RelatedInformation entry at the position of ins.
func related(ins ssa.Instruction, msg string) analysis.RelatedInformation {
	return analysis.RelatedInformation{Pos: ins.Pos(), Message: msg}
}
