// Package cgofinalizer defines an Analyzer that reports C memory a
// finalizer or cleanup frees while a C call may still be using it.
package cgofinalizer

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
	"github.com/cgoguard/cgoguard/lintplugin/internal/failure"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
	"github.com/cgoguard/cgoguard/lintplugin/internal/rawsrc"
	"github.com/cgoguard/cgoguard/lintplugin/internal/report"
)

const Doc = `report C memory a finalizer frees while C still uses it

A finalizer (runtime.SetFinalizer) or cleanup (runtime.AddCleanup) that
frees C memory held in a field of an object, or hands it to a C destructor,
may run as soon as the object is unreachable, and Go considers an object
unreachable after its last use, which can be the argument list of a C call.
A function that passes the field to C and does not use the object after the
call lets the finalizer free the memory while C is still using it (passing
it through Go wrappers counts too). Add runtime.KeepAlive(obj) after the
call (or defer it); the suggested fix does so. A function that uses the
object after the call on some path, stores it where it outlives the call,
or clears its finalizer is left alone, and so is an unexported function
whose every caller in the package keeps the object alive past the call.`

var Analyzer = New(engine.Default)

// New returns the check running on the engine analyzer eng (see
// engine.New).
func New(eng *analysis.Analyzer) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:             "cgofinalizer",
		Doc:              Doc,
		URL:              "https://github.com/cgoguard/cgoguard#cgofinalizer",
		Requires:         []*analysis.Analyzer{eng},
		Run:              func(pass *analysis.Pass) (any, error) { return run(pass, engine.Of(pass, eng)) },
		RunDespiteErrors: true,
	}
}

func run(pass *analysis.Pass, e *engine.Result) (_ any, err error) {
	defer failure.Recover("cgofinalizer", pass.Pkg.Path(), &err)
	res := e.Bridge
	if res == nil || res.Pkg == nil {
		return nil, nil
	}
	a := &analyzer{pass: pass, res: res, memo: make(map[memoKey][]release), impl: make(map[*ssa.Function]bool)}
	regs := a.registrations()
	if len(regs) == 0 {
		return nil, nil
	}
	r := report.New(pass, "cgofinalizer", e.Config)
	files := rawsrc.New(pass)
	for _, fn := range res.SrcFuncs {
		if a.inRelease(fn) {
			continue // the finalizer's own work
		}
		for _, c := range res.Crossings(fn) {
			if !toC(c) {
				continue
			}
			for _, root := range fieldLoads(c.Value) {
				if a.check(r, files, regs, c, root) {
					break
				}
			}
		}
	}
	return nil, nil
}

// toC reports whether c hands a value to a C function (directly or through
// Go wrappers), as opposed to storing it in C memory or returning it.
func toC(c bridge.Crossing) bool {
	return c.Mode == bridge.ByValue && !c.Elems && c.Sink.Kind == bridge.CArg && c.Pos.IsValid()
}

// check reports the crossing c if root is a field load that a registered
// finalizer frees and the object is not kept alive past the call.
func (a *analyzer) check(r *report.Reporter, files *rawsrc.Files, regs []*registration, c bridge.Crossing, root ssa.Value) bool {
	base, path, ok := fieldLoad(root)
	if !ok {
		return false
	}
	named := structOf(base.Type())
	if named == nil {
		return false
	}
	site, outer := lift(c.Instr)
	// The registration to name: one in this function (on this object) if
	// any, else the first.
	var reg *registration
	var rel release
	for _, g := range regs {
		if g.obj.Obj() != named.Obj() || (reg != nil && (reg.call.Parent() == outer || g.call.Parent() != outer)) {
			continue
		}
		for _, rl := range g.rel {
			if samePath(rl.path, path) {
				reg, rel = g, rl
			}
		}
	}
	if reg == nil {
		return false
	}
	objRoots := flow.Roots(base)
	cand := "the object whose " + named.Obj().Name() + "." + fieldName(named, path) + " is passed to " + c.Sink.String()
	why := ""
	switch {
	case !owned(objRoots, outer, site, regs):
		why = "the object is reachable from elsewhere (loaded from memory, a global, or not known to carry the finalizer here)"
	case clearsFinalizer(outer, objRoots):
		why = "the function clears the finalizer or stops the cleanup"
	case escapes(outer, site, objRoots):
		why = "the object is stored where it outlives the call"
	case keptAlive(outer, site, objRoots):
		why = "the object is used (or kept alive) after the call"
	case a.callersKeepAlive(outer, objRoots, regs, 0, make(map[*ssa.Function]bool)):
		why = "every caller keeps the object alive past the call"
	}
	if why != "" {
		r.Explain.Dropped(c.Pos, cand, why)
		return false
	}

	name := objectName(objRoots)
	field := fieldName(named, path)
	pos := c.Pos
	fpos, fixName, fix, fixed := keepAliveFix(files, pos, name, field)
	if fixed {
		pos, name = fpos, fixName
	}
	shown := name
	if shown == "" {
		shown = "the " + named.Obj().Name()
	}
	how := "frees " + shown + "." + field
	if rel.sink != "C.free" {
		how = "releases " + shown + "." + field + " with " + rel.sink
	}
	via := ""
	if len(c.Via) > 0 {
		via = " via " + strings.Join(c.Via, ", then ")
	}
	set := "finalizer set"
	if reg.kind == "cleanup" {
		set = "cleanup added"
	}
	regFn, _ := lift(reg.call)
	msg := fmt.Sprintf("the %s in %s %s; %s passes %s.%s to %s%s and does not use %s after the call, "+
		"so the %s can run while C still uses the memory",
		set, bridge.FuncLabel(regFn.Parent()), how, bridge.FuncLabel(outer), shown, field,
		c.Sink.String(), via, shown, reg.kind)
	d := analysis.Diagnostic{Pos: pos, Related: []analysis.RelatedInformation{{Pos: reg.call.Pos(), Message: "the " + set + " here"}}}
	switch {
	case fixed:
		d.Message = msg + fmt.Sprintf("; add runtime.KeepAlive(%s) after the call", name)
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	case name != "":
		d.Message = msg + fmt.Sprintf("; add runtime.KeepAlive(%s) after the call", name)
	default:
		d.Message = msg + "; keep the object in a variable and add runtime.KeepAlive on it after the call"
	}
	r.ReportPath(d, r.Explain.Origins(base))
	return true
}
