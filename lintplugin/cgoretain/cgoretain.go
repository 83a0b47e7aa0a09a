// Package cgoretain defines an Analyzer that reports Go memory handed to C
// functions that keep it after they return.
package cgoretain

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

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
runtime.Pinner at the call. C that copies the data, or clears the stored
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
		if res.Pinned(c.Value, site) {
			r.Explain.Dropped(c.Pos, arg, "the Go memory is pinned at the call")
			return
		}
	}
	via := ""
	if len(c.Via) > 0 {
		via = " via " + strings.Join(c.Via, ", then ")
	}
	param := p.Name
	if param == "" {
		param = fmt.Sprintf("argument %d", c.Sink.Arg+1)
	}
	path := append(r.Explain.Origins(c.Value), fmt.Sprintf("crossing: %s, which keeps it in %s (summary of %s from %s)",
		arg, p.Effects.Where.Desc, f.Name, f.Origin))
	r.ReportPath(analysis.Diagnostic{Pos: c.Pos,
		Message: fmt.Sprintf("Go memory (%s) passed to %s%s, which keeps its parameter %s in %s after the call returns: "+
			"the garbage collector may move or free it while C still holds it; copy it into C memory (C.malloc, C.CBytes), "+
			"pin it with a runtime.Pinner until C lets go of it, or pass a cgo.Handle",
			what, c.Sink, via, param, p.Effects.Where.Desc)}, path)
}
