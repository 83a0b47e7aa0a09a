// Package cgofree defines an Analyzer that reports C memory used after
// C.free, freed twice, freed by a defer while it escapes, or Go memory
// passed to C.free.
package cgofree

import (
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/lifetime"
	"github.com/cgoguard/cgoguard/lintplugin/internal/report"
)

const Doc = `report C memory used after C.free or freed twice

Within a function, on some path: a pointer (or an alias of it, through
conversions, unsafe.Slice and variables) dereferenced or handed to C after
C.free; C.free of memory already freed, including by a deferred C.free
when the function returns; a deferred C.free of memory that escapes the
function (returned, or stored where it outlives the call), so the caller
gets freed memory; C.free of Go memory (a variable, composite literal or
Go slice), which the C allocator does not own. cguard.Free counts as
C.free. A variable assigned between the free and the use, and memory
allocated afresh on each loop iteration, end the tracking; where the
analysis cannot tell two pointers are the same, it stays silent.`

var Analyzer = &analysis.Analyzer{
	Name:             "cgofree",
	Doc:              Doc,
	URL:              "https://github.com/cgoguard/cgoguard#cgofree",
	Requires:         []*analysis.Analyzer{bridge.Analyzer},
	Run:              run,
	RunDespiteErrors: true,
}

func run(pass *analysis.Pass) (any, error) {
	res, _ := pass.ResultOf[bridge.Analyzer].(*bridge.Result)
	if res == nil || res.Pkg == nil {
		return nil, nil
	}
	c := &checker{pass: pass, res: res, r: report.New(pass, "cgofree"), goMem: make(map[*ssa.CallCommon]bool),
		names: lifetime.NewNames(pass.Files, pass.TypesInfo)}
	for _, fn := range res.SrcFuncs {
		c.findGoMemory(fn)
	}
	for _, fn := range res.SrcFuncs {
		if !lifetime.RunsInline(fn) && c.frees(fn) {
			c.check(fn)
		}
	}
	return nil, nil
}

type checker struct {
	pass  *analysis.Pass
	res   *bridge.Result
	r     *report.Reporter
	goMem map[*ssa.CallCommon]bool // frees of Go memory, reported once and not tracked
	names *lifetime.Names
}

func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }

// frees reports whether fn, or a closure it runs, frees memory: only
// then is there anything to follow.
func (c *checker) frees(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			if call, ok := ins.(ssa.CallInstruction); ok && isFree(call.Common()) {
				return true
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		if c.frees(anon) {
			return true
		}
	}
	return false
}

func (c *checker) check(fn *ssa.Function) {
	res := lifetime.Analyze(fn, lifetime.Config{Events: c.events, Harmless: harmless})
	for _, f := range res.Findings {
		c.reportFinding(f)
	}
	for _, rel := range res.Releases {
		if rel.Defer != nil && rel.Root != nil {
			c.checkEscape(fn, rel)
		}
	}
}

func (c *checker) reportFinding(f lifetime.Finding) {
	first, then := f.Release, f.Then
	if first.Deferred && then.What == "returned" {
		return // a deferred free of what the function returns: checkEscape says it better
	}
	name := first.Name
	if name == "" {
		name = then.Name
	}
	if name == "" {
		name = "the memory"
	}
	// The second event: "passed to C.use at line 15", naming an alias
	// when the code reaches the memory under another name.
	n := lifetime.Narrate(c.pass.Fset, f, name, "freed", "C.free")
	freed, subject, when := n.First, n.Through, n.When
	switch f.Problem {
	case lifetime.UseAfterRelease:
		c.r.Reportf(then.Pos, "%s, used at line %d%s (%s)%s: use after free; free it after its last use",
			freed, c.line(then.Pos), subject, then.What, when)
	case lifetime.DoubleRelease:
		if then.Deferred && !first.Deferred {
			// Report at the explicit C.free: one of the two must go.
			c.r.Reportf(first.Pos, "%s freed at line %d, freed again when the function returns, by the C.free deferred at line %d: "+
				"double free corrupts the C heap; drop this C.free or the deferred one", name, c.line(first.Pos), c.line(then.Defer))
			return
		}
		c.r.Reportf(then.Pos, "%s, freed again at line %d%s%s: double free corrupts the C heap; "+
			"free once on every path (return after freeing, or set the pointer to nil after C.free)",
			freed, c.line(then.Pos), subject, when)
	}
}
