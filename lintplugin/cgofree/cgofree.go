// Package cgofree defines an Analyzer that reports C memory used after
// C.free, freed twice, freed by a defer while it escapes, or Go memory
// passed to C.free.
package cgofree

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
	"github.com/cgoguard/cgoguard/lintplugin/internal/lifetime"
	"github.com/cgoguard/cgoguard/lintplugin/internal/report"
	"github.com/cgoguard/cgoguard/lintplugin/internal/resource"
	"github.com/cgoguard/cgoguard/lintplugin/internal/summary"
)

const Doc = `report C memory used after C.free or freed twice

On some path: a pointer (or an alias of it, through conversions,
unsafe.Slice, variables, struct copies and fields loaded before the free)
dereferenced or handed to C after it was freed; memory freed twice,
including by a deferred free when the function returns. Frees count
wherever they happen: C.free and cguard.Free, C.realloc (for the old
pointer, unless a branch finds its result nil), a C function whose body (or
the libc table, or a malloc attribute, or the free-functions setting) frees
its argument, and a Go helper or method that frees its parameter or a
field of its receiver (a Close), in this package or another (summaries are
exported as facts). Also reported: a deferred free of memory that escapes
the function (returned, or stored where it outlives the call); C memory
freed while a goroutine the function started may still use it, with
nothing waiting for the goroutine; an exported method that frees a field a
finalizer on the same type frees again; and C.free of Go memory, which the
C allocator does not own. A variable or field assigned between the free
and the use, and memory allocated afresh on each loop iteration, end the
tracking; where the analysis cannot tell two pointers are the same, or
whether a helper frees (a free under a condition about something else),
it stays silent.`

var Analyzer = New(engine.Default)

// New returns the check running on the engine analyzer eng (see
// engine.New).
func New(eng *analysis.Analyzer) *analysis.Analyzer { return engine.Check(eng, "cgofree", Doc, run) }

func run(pass *analysis.Pass, e *engine.Result) (any, error) {
	sum := e.Summary
	if sum == nil || sum.Events() == nil {
		return nil, nil
	}
	c := &checker{pass: pass, sum: sum, r: report.New(pass, "cgofree", e.Config)}
	for _, fn := range sum.SrcFuncs() {
		c.findGoMemory(fn)
	}
	for _, fn := range sum.SrcFuncs() {
		if lr, ok := sum.Lifetime(fn, resource.CMemory); ok {
			c.check(fn, lr)
		}
	}
	c.checkFinalizerFrees()
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	sum  *summary.Result
	r    *report.Reporter
}

func (c *checker) check(fn *ssa.Function, res lifetime.Result) {
	var escapes []*escape
	escaped := make(map[token.Pos]bool) // deferred frees reported as escapes
	for _, rel := range res.Releases {
		if rel.Defer != nil && rel.Root != nil {
			if e := c.checkEscape(fn, rel); e != nil {
				escapes = append(escapes, e)
				escaped[rel.Defer.Pos()] = true
			}
		}
	}
	for _, f := range res.Findings {
		if f.Release.Deferred && f.Then.What == "returned" && escaped[f.Release.Defer] {
			continue // a deferred free of what the function returns: the escape says it better
		}
		c.reportFinding(f)
	}
	c.reportEscapes(escapes)
	c.checkGoroutines(fn, res)
}

// findGoMemory reports the frees in fn whose argument is Go memory on
// every path.
func (c *checker) findGoMemory(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			call, ok := ins.(ssa.CallInstruction)
			if !ok {
				continue
			}
			what, at, ok := c.sum.Events().GoMemoryFree(call.Common())
			if !ok {
				continue
			}
			d := analysis.Diagnostic{Pos: call.Pos(),
				Message: fmt.Sprintf("%s of Go memory (%s): the C allocator does not own it and the heap gets corrupted; "+
					"drop the free (the garbage collector frees Go memory), or allocate with C.malloc if C must own it",
					api.Classify(call.Common()).Name, what)}
			if at.IsValid() {
				d.Related = []analysis.RelatedInformation{{Pos: at, Message: what + " allocated here"}}
			}
			c.r.Report(d)
		}
	}
}

func (c *checker) reportFinding(f lifetime.Finding) {
	first, then := f.Release, f.Then
	name := first.Name
	if name == "" {
		name = then.Name
	}
	if name == "" {
		name = "the memory"
	}
	n := lifetime.Narrate(f, name)
	d := analysis.Diagnostic{Pos: then.Pos, Related: n.Related}
	switch f.Problem {
	case lifetime.UseAfterRelease:
		d.Message = fmt.Sprintf("%s %s after it was %s%s: use after free; free it after its last use",
			n.Subject, n.Then, n.Release, n.When)
	case lifetime.DoubleRelease:
		if then.Deferred && !first.Deferred {
			// Report at the explicit free: one of the two must go.
			d.Pos = first.Pos
			d.Related = []analysis.RelatedInformation{{Pos: then.Defer, Message: "deferred here"}}
			d.Message = fmt.Sprintf("%s %s, then %s when the function returns: double free corrupts the C heap; "+
				"drop this free or the deferred one", name, first.What, n.Then)
			break
		}
		d.Message = fmt.Sprintf("%s %s after it was already %s%s: double free corrupts the C heap; "+
			"free once on every path (return after freeing, or set the pointer to nil after freeing it)",
			n.Subject, n.Then, n.Release, n.When)
	}
	c.r.Report(d)
}
