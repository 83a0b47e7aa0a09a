// Package summary computes what each function does to the resources it is
// handed, as its callers see it: which parameters (or parts of them, such
// as a receiver's field) it frees or deletes by the time it returns, and
// which it uses. Summaries are computed bottom-up over the package's calls
// (a callee's summary is computed, or imported as a fact, before the
// caller's; a recursive cycle contributes nothing it has not computed yet)
// and exported as facts, so a free done in another package's Close method
// counts at the call.
//
// The analysis behind a summary is the lifetime engine, run with the
// resource package's events; the checks reuse the same runs (Lifetime), so
// each function is analysed once per resource.
package summary

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
	"github.com/cgoguard/cgoguard/lintplugin/internal/lifetime"
	"github.com/cgoguard/cgoguard/lintplugin/internal/resource"
)

// Fact is a function's summary.
type Fact struct {
	CMemory resource.Effects
	Handle  resource.Effects
}

func (*Fact) AFact() {}

// String renders the summary for tests: frees(p, w*1.) uses(q) deletes(h).
func (f *Fact) String() string {
	var parts []string
	add := func(verb string, effs []resource.Effect) {
		if len(effs) == 0 {
			return
		}
		var xs []string
		for _, e := range effs {
			xs = append(xs, fmt.Sprintf("%d%s", e.Param, e.Path))
		}
		parts = append(parts, verb+"("+strings.Join(xs, ", ")+")")
	}
	if len(f.CMemory.Borrows) > 0 {
		parts = append(parts, fmt.Sprintf("borrows%v", f.CMemory.Borrows))
	}
	add("frees", f.CMemory.Releases)
	add("uses", f.CMemory.Uses)
	add("deletes", f.Handle.Releases)
	add("usesHandle", f.Handle.Uses)
	return "summary " + strings.Join(parts, " ")
}

func (f *Fact) of(k resource.Kind) *resource.Effects {
	if k == resource.Handle {
		return &f.Handle
	}
	return &f.CMemory
}

func (f *Fact) empty() bool {
	return len(f.CMemory.Releases)+len(f.CMemory.Uses)+len(f.CMemory.Borrows)+len(f.Handle.Releases)+len(f.Handle.Uses) == 0
}

// Result gives the package's summaries and lifetime results.
type Result struct {
	pass   *analysis.Pass
	res    *bridge.Result
	events *resource.Events
	facts  map[*ssa.Function]*Fact
	runs   map[runKey]lifetime.Result
	// mu serialises the checks, which run in parallel on one Result.
	mu sync.Mutex
}

type runKey struct {
	fn *ssa.Function
	k  resource.Kind
}

// Analyze computes the summaries of the package's functions (as callers
// need them) and exports them as facts.
func Analyze(pass *analysis.Pass, res *bridge.Result) *Result {
	r := &Result{pass: pass, res: res, facts: make(map[*ssa.Function]*Fact), runs: make(map[runKey]lifetime.Result)}
	if res == nil || res.Pkg == nil {
		return r
	}
	r.events = resource.New(pass, res, r.lookup)
	for _, fn := range res.SrcFuncs {
		if fn.Parent() != nil || fn.Object() == nil {
			continue
		}
		if f := r.summary(fn); !f.empty() {
			pass.ExportObjectFact(fn.Object(), f)
		}
	}
	return r
}

// Events returns the package's resource events (nil when the package has
// no SSA form).
func (r *Result) Events() *resource.Events { return r.events }

// Lifetime returns the lifetime analysis of fn for resource k, or false
// when fn has nothing to follow (it neither releases nor uses the
// resource, or is a function literal analysed as part of its parent).
func (r *Result) Lifetime(fn *ssa.Function, k resource.Kind) (lifetime.Result, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lifetime(fn, k)
}

func (r *Result) lifetime(fn *ssa.Function, k resource.Kind) (lifetime.Result, bool) {
	if r.events == nil || flow.RunsInline(fn) {
		return lifetime.Result{}, false
	}
	if _, ok := r.runs[runKey{fn, k}]; !ok && !r.events.Touches(fn, k) {
		return lifetime.Result{}, false
	}
	return r.run(fn, k), true
}

// run is the lifetime analysis of fn for resource k, run once per
// function and kind (summaries and checks share it).
func (r *Result) run(fn *ssa.Function, k resource.Kind) lifetime.Result {
	key := runKey{fn, k}
	if lr, ok := r.runs[key]; ok {
		return lr
	}
	r.runs[key] = lifetime.Result{} // a recursive call sees nothing yet
	lr := lifetime.Analyze(fn, r.events.Config(k))
	r.runs[key] = lr
	return lr
}

// Effects returns what fn does to resource k through its parameters (its
// summary), when known.
func (r *Result) Effects(fn *ssa.Function, k resource.Kind) (resource.Effects, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.res == nil || r.res.Pkg == nil {
		return resource.Effects{}, false
	}
	return r.lookup(fn, k)
}

// lookup gives a callee's effects: computed for this package's functions
// (and wrappers the SSA builder made), imported for others.
func (r *Result) lookup(fn *ssa.Function, k resource.Kind) (resource.Effects, bool) {
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if fn.Blocks != nil && (fn.Pkg == r.res.Pkg || fn.Synthetic != "") && !cgoshape.IsGenerated(fn) {
		return *r.summary(fn).of(k), true
	}
	if obj := fn.Object(); obj != nil && obj.Pkg() != r.pass.Pkg {
		var f Fact
		if r.pass.ImportObjectFact(obj, &f) {
			return *f.of(k), true
		}
	}
	return resource.Effects{}, false
}

// summary computes fn's summary from its lifetime analyses.
func (r *Result) summary(fn *ssa.Function) *Fact {
	if f, ok := r.facts[fn]; ok {
		return f
	}
	f := &Fact{}
	r.facts[fn] = f // a recursive call contributes nothing yet
	f.CMemory.Borrows = r.borrows(fn)
	for _, k := range []resource.Kind{resource.CMemory, resource.Handle} {
		lr, ok := r.lifetime(fn, k)
		if !ok {
			continue
		}
		effs := f.of(k)
		for _, ev := range lr.Exit {
			if !ev.Guarded {
				effs.Releases = appendEffect(effs.Releases, ev)
			}
		}
		for _, ev := range lr.Used {
			if ev.Path == "" && r.reachesC(fn, ev.Param) {
				continue // the bridge's ReachesC fact says so already
			}
			effs.Uses = appendEffect(effs.Uses, ev)
		}
	}
	return f
}

// appendEffect adds ev, once per parameter and path, keeping the order
// deterministic.
func appendEffect(out []resource.Effect, ev lifetime.ParamEvent) []resource.Effect {
	e := resource.Effect{Param: ev.Param, Path: ev.Path, What: ev.Cause}
	if slices.ContainsFunc(out, func(x resource.Effect) bool { return x.Param == e.Param && x.Path == e.Path }) {
		return out
	}
	out = append(out, e)
	slices.SortFunc(out, func(a, b resource.Effect) int {
		if a.Param != b.Param {
			return a.Param - b.Param
		}
		return strings.Compare(a.Path, b.Path)
	})
	return out
}

// SrcFuncs returns the package's own functions (see bridge.Result).
func (r *Result) SrcFuncs() []*ssa.Function {
	if r.res == nil {
		return nil
	}
	return r.res.SrcFuncs
}

// Bridge returns the package's crossings into C.
func (r *Result) Bridge() *bridge.Result { return r.res }

// reachesC reports whether fn hands parameter i to C by value, which the
// bridge's facts record.
func (r *Result) reachesC(fn *ssa.Function, i int) bool {
	for _, reach := range r.res.Reaches(fn) {
		if reach.Index == i && reach.Mode == bridge.ByValue && !reach.Elems {
			return true
		}
	}
	return false
}

// borrows returns fn's parameters that can carry C memory (a pointer to a
// C type, unsafe.Pointer) and that fn neither frees nor hands on, on any
// path: its callers keep owning what they pass (cgoleak). It runs the
// ownership analysis with every hand-on event; only functions with such
// parameters are analysed.
func (r *Result) borrows(fn *ssa.Function) []int {
	var cands []int
	for i, p := range fn.Params {
		if resource.CarriesC(p.Type()) {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 || flow.RunsInline(fn) {
		return nil
	}
	lr := r.run(fn, resource.Ownership)
	return slices.DeleteFunc(cands, func(i int) bool { return slices.Contains(lr.Disposed, i) })
}
