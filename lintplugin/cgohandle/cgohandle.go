// Package cgohandle defines an Analyzer that reports cgo.Handle misuse:
// use or Delete after Delete, handles that leak, and pointers to handles
// passed to C.
package cgohandle

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
	"github.com/cgoguard/cgoguard/lintplugin/internal/lifetime"
	"github.com/cgoguard/cgoguard/lintplugin/internal/report"
	"github.com/cgoguard/cgoguard/lintplugin/internal/resource"
	"github.com/cgoguard/cgoguard/lintplugin/internal/summary"
)

const Doc = `report cgo.Handle used after Delete, leaked, or passed as &h

A handle names a Go value for C until Delete. Within a function, on some
path: Value, passing the handle to C (directly or through a Go wrapper), or
a second Delete after Delete (Delete and Value panic on a deleted handle,
and once the number is reused they find another value); a handle from
cgo.NewHandle that the function neither deletes nor lets go anywhere (a
leak: the value is never collected); &h, a Go pointer to a variable holding
a handle, passed to C instead of the handle's value, which C must not keep.
The guard's own handle type (guard.Handle) is checked the same way.`

var Analyzer = New(engine.Default)

func init() {
	// The vet tool's -cgohandle.leaks flag sets the default engine's
	// setting (the plugin builds a configured engine instead).
	Analyzer.Flags.BoolVar(&engine.DefaultConfig.HandleLeaks, "leaks", engine.DefaultConfig.HandleLeaks,
		"report handles that are never deleted")
}

// New returns the check running on the engine analyzer eng (see
// engine.New).
func New(eng *analysis.Analyzer) *analysis.Analyzer { return engine.Check(eng, "cgohandle", Doc, run) }

func run(pass *analysis.Pass, e *engine.Result) (any, error) {
	sum := e.Summary
	if sum == nil || sum.Events() == nil {
		return nil, nil
	}
	c := &checker{pass: pass, res: sum.Bridge(), sum: sum, r: report.New(pass, "cgohandle", e.Config)}
	for _, fn := range sum.SrcFuncs() {
		c.checkAddress(fn)
		if e.Config.HandleLeaks {
			c.checkLeaks(fn)
		}
		c.checkStaleCallbacks(fn)
		if lr, ok := sum.Lifetime(fn, resource.Handle); ok {
			c.checkDeletes(lr)
		}
	}
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	res  *bridge.Result
	sum  *summary.Result
	r    *report.Reporter
}

func (c *checker) checkDeletes(res lifetime.Result) {
	for _, f := range res.Findings {
		first, then := f.Release, f.Then
		name := first.Name
		if name == "" {
			name = "the handle"
		}
		n := lifetime.Narrate(f, name)
		d := analysis.Diagnostic{Pos: then.Pos, Related: n.Related}
		switch f.Problem {
		case lifetime.UseAfterRelease:
			why := "Value panics on a deleted handle (or, once the number is reused, returns another value); delete the handle after its last use"
			if then.Cause != "Value" {
				why = "C will hand back a handle that no longer exists; delete it only when C is done with it"
			}
			d.Message = fmt.Sprintf("%s %s after it was %s%s: %s", n.Subject, n.Then, n.Release, n.When, why)
		case lifetime.DoubleRelease:
			if then.Deferred && !first.Deferred {
				d.Pos = first.Pos
				d.Related = []analysis.RelatedInformation{{Pos: then.Defer, Message: "deferred here"}}
				d.Message = fmt.Sprintf("%s %s, then %s when the function returns: Delete panics on a deleted handle; "+
					"drop this Delete or the deferred one", name, first.What, n.Then)
				break
			}
			d.Message = fmt.Sprintf("%s %s after it was already %s%s: Delete panics on a deleted handle; delete once on every path",
				n.Subject, n.Then, n.Release, n.When)
		}
		c.r.Report(d)
	}
}
