// Package cgoretain defines an Analyzer that reports Go memory handed to C
// functions that keep it after they return.
package cgoretain

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/csummary"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
	"github.com/cgoguard/cgoguard/lintplugin/internal/report"
	"github.com/cgoguard/cgoguard/lintplugin/internal/resource"
)

const Doc = `report Go memory passed to C functions that keep it

C may not keep a copy of a Go pointer after the call returns unless the
memory is pinned: the garbage collector moves and frees Go memory it
believes unreachable, and neither GODEBUG=cgocheck nor the race detector
sees C keep it. The check reads the C side of the package (the import "C"
preambles and the package's .c files) and summarises each C function: a
pointer parameter is retained when the function stores it in a global or
static, in memory reachable from one, in a heap object it keeps, or hands
it to a thread it starts or to a function that retains it
(pthread_create, atexit and the like, or the retain-functions setting).
A Go pointer (to a variable, a composite literal, a Go slice's array)
passed to such a parameter is reported, unless it is pinned with
runtime.Pinner (or the guard's) at the call and not unpinned before a later
C call that could make C let go of it (an Unpin right after the call, or a
deferred one with no C call after it, is reported). C that copies the data, or clears the stored
pointer before returning, keeps nothing; C whose behaviour the analysis
cannot read (a library without source, a function pointer) is left
alone. Copy the data into C memory (C.malloc, C.CBytes), pin it until C
lets go of it, or pass a cgo.Handle.`

var Analyzer = New(engine.Default)

// New returns the check running on the engine analyzer eng (see
// engine.New).
func New(eng *analysis.Analyzer) *analysis.Analyzer { return engine.Check(eng, "cgoretain", Doc, run) }

func run(pass *analysis.Pass, e *engine.Result) (any, error) {
	res := e.Bridge
	if res.Pkg == nil {
		return nil, nil
	}
	r := report.New(pass, "cgoretain", e.Config)
	for _, fn := range res.SrcFuncs {
		for _, c := range res.Crossings(fn) {
			check(r, res, c)
		}
	}
	return nil, nil
}

// check reports the crossing c if it hands Go memory to a C parameter the
// C function retains.
func check(r *report.Reporter, res *bridge.Result, c bridge.Crossing) {
	if c.Sink.Kind != bridge.CArg || c.Mode != bridge.ByValue || c.Elems || !c.Pos.IsValid() {
		return
	}
	what, ok := resource.GoMemory(c.Value)
	if !ok {
		return
	}
	arg := fmt.Sprintf("argument %d of %s", c.Sink.Arg+1, c.Sink)
	f, err := res.CFunc(c.Sink.C)
	if err != nil {
		r.Explain.Dropped(c.Pos, arg, "no summary of the C function: "+err.Error())
		return
	}
	p, ok := f.Param(c.Sink.Arg + 1)
	if !ok || p.Effects.Retain != csummary.Yes {
		if ok {
			r.Explain.Dropped(c.Pos, arg, "C does not keep it ("+p.Effects.String()+")")
		}
		return
	}
	for _, site := range flow.Sites(c.Instr) {
		if !res.Pinned(c.Value, site) {
			continue
		}
		if unpin := unpinnedWhileKept(c.Instr); unpin != nil {
			r.Report(analysis.Diagnostic{Pos: c.Pos,
				Message: fmt.Sprintf("Go memory (%s) passed to %s, which keeps its parameter %s in %s, is unpinned before any later C call "+
					"could make C let go of it: the garbage collector may then move or free it while C still holds it; "+
					"unpin only once C no longer holds the pointer",
					what, c.Sink, paramName(p, c.Sink.Arg), p.Effects.Where.Desc),
				Related: []analysis.RelatedInformation{{Pos: unpin.Pos(), Message: "unpinned here"}}})
			return
		}
		r.Explain.Dropped(c.Pos, arg, "the Go memory is pinned at the call, and no Unpin follows before a later C call")
		return
	}
	via := ""
	if len(c.Via) > 0 {
		via = " via " + strings.Join(c.Via, ", then ")
	}
	param := paramName(p, c.Sink.Arg)
	path := append(r.Explain.Origins(c.Value), fmt.Sprintf("crossing: %s, which keeps it in %s (summary of %s from %s)",
		arg, p.Effects.Where.Desc, f.Name, f.Origin))
	r.ReportPath(analysis.Diagnostic{Pos: c.Pos,
		Message: fmt.Sprintf("Go memory (%s) passed to %s%s, which keeps its parameter %s in %s after the call returns: "+
			"the garbage collector may move or free it while C still holds it; copy it into C memory (C.malloc, C.CBytes), "+
			"pin it with a runtime.Pinner until C lets go of it, or pass a cgo.Handle",
			what, c.Sink, via, param, p.Effects.Where.Desc)}, path)
}

func paramName(p csummary.Param, arg int) string {
	if p.Name != "" {
		return p.Name
	}
	return fmt.Sprintf("argument %d", arg+1)
}

// unpinnedWhileKept returns the Unpin that runs after the C call at ins
// with no C call in between (one that could make C let go of the
// pointer): the next of the function's C calls and Unpins along its
// straight line, or, when no C call follows at all, a deferred Unpin.
func unpinnedWhileKept(ins ssa.Instruction) ssa.CallInstruction {
	call := flow.Lift(ins)
	fn := call.Parent()
	chain := flow.CallsInOrder(fn, func(ci ssa.CallInstruction) bool {
		switch api.Classify(ci.Common()).Kind {
		case api.CCall, api.CFree, api.CAlloc, api.PinnerUnpin:
			return true
		}
		return false
	})
	i := slices.IndexFunc(chain, func(ci ssa.CallInstruction) bool { return flow.Lift(ci) == call })
	if i < 0 {
		return nil
	}
	if i+1 < len(chain) {
		if next := chain[i+1]; api.Classify(next.Common()).Kind == api.PinnerUnpin {
			return next
		}
		return nil
	}
	for _, b := range fn.Blocks {
		for _, x := range b.Instrs {
			if d, ok := x.(*ssa.Defer); ok && api.Classify(d.Common()).Kind == api.PinnerUnpin {
				return d
			}
		}
	}
	return nil
}
