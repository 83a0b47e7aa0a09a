// Package cgofinalizer defines an Analyzer that reports C memory a
// finalizer or cleanup frees while a C call may still be using it.
package cgofinalizer

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
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
call (or after its last use of a pointer C returned into the object's
memory) lets the finalizer free the memory while it is still in use. Add
runtime.KeepAlive(obj) after that last use; the suggested fix does so. A
function that returns a slice, string or pointer over the object's memory
whose holder does not keep the object alive, and a goroutine that uses the
memory without holding the object, are reported too.

The object counts as kept alive when the function uses it (or a local
struct, slice or map holding it) after the call, stores it where it
outlives the call, clears its finalizer, or when the constructor keeps it in
a package-level registry; and, for an unexported function, when every
caller in the package keeps it alive past the call.

By default (finalizer scope "risk") only the cases a caller is likely to
hit are reported: the finalizer is the only way the memory is released (the
type has no exported Close-like method that releases it), and the call
processes Go memory (a buffer the caller passed), or the function hands out
or keeps using a pointer C returned into the object's memory; setters and
one-call getters, whose callers keep the object alive to see their effect,
are left alone, and so are unexported functions nothing calls. Scope "all"
reports every case by the letter of the rule; "exported" reports those in
exported functions and methods.`

var Analyzer = New(engine.Default)

// New returns the check running on the engine analyzer eng (see
// engine.New).
func New(eng *analysis.Analyzer) *analysis.Analyzer {
	a := engine.Check(eng, "cgofinalizer", Doc, run)
	a.FactTypes = []analysis.Fact{new(KeepsFact)}
	return a
}

func init() {
	// The vet tool's -cgofinalizer.scope flag sets the default engine's
	// setting (the plugin builds a configured engine instead).
	Analyzer.Flags.Func("scope", "which findings to report: risk (the default), exported or all", func(v string) error {
		if err := CheckScope(v); err != nil {
			return err
		}
		engine.DefaultConfig.FinalizerScope = v
		return nil
	})
}

// The finalizer scopes (config.Config.FinalizerScope).
const (
	ScopeRisk     = "risk"     // the default: the cases a caller is likely to hit
	ScopeExported = "exported" // every case in exported functions and methods
	ScopeAll      = "all"      // every case, by the letter of the rule
)

// Scopes lists the valid finalizer scopes, the default first.
var Scopes = []string{ScopeRisk, ScopeExported, ScopeAll}

// CheckScope returns an error naming the setting and the valid values
// when scope is not one of Scopes ("" is the default).
func CheckScope(scope string) error {
	if scope == "" || slices.Contains(Scopes, scope) {
		return nil
	}
	return fmt.Errorf("cgofinalizer: unknown finalizer scope %q (valid: %q, %q, %q)", scope, ScopeRisk, ScopeExported, ScopeAll)
}

func run(pass *analysis.Pass, e *engine.Result) (any, error) {
	scope := ScopeRisk
	if e.Config != nil && e.Config.FinalizerScope != "" {
		scope = e.Config.FinalizerScope
	}
	if err := CheckScope(scope); err != nil {
		return nil, err
	}
	res := e.Bridge
	if res == nil || res.Pkg == nil {
		return nil, nil
	}
	a := &analyzer{pass: pass, res: res, memo: make(map[memoKey][]release), impl: make(map[*ssa.Function]bool),
		keepMemo: make(map[memoKey]bool), scope: scope}
	a.exportKeeps()
	regs := a.registrations()
	if len(regs) == 0 {
		return nil, nil
	}
	a.regsCache = regs
	r := report.New(pass, "cgofinalizer", e.Config)
	var cands []*candidate
	for _, fn := range res.SrcFuncs {
		if a.inRelease(fn) {
			continue // the finalizer's own work
		}
		for _, c := range res.Crossings(fn) {
			if !toC(c) {
				continue
			}
			for _, root := range fieldLoads(c.Value) {
				if cand, ok := a.candidate(r, regs, c, root); ok {
					if cand != nil {
						cands = append(cands, cand)
					}
					break
				}
			}
		}
		cands = append(cands, a.views(r, regs, fn)...)
	}
	a.report(r, rawsrc.New(pass), cands)
	return nil, nil
}

// toC reports whether c hands a value to a C function (directly or through
// Go wrappers), as opposed to storing it in C memory or returning it.
func toC(c bridge.Crossing) bool {
	return c.Mode == bridge.ByValue && !c.Elems && c.Sink.Kind == bridge.CArg && c.Pos.IsValid()
}

// A kind of finding.
type kind uint8

const (
	// A C call given the field, with the object not kept alive past it
	// (or past the last use of a pointer C returned from it).
	callKind kind = iota
	// A function returns what C returned for the field (a pointer that
	// may point into the object's memory), or a slice or string over the
	// field, and the result does not keep the object alive.
	resultKind
	// A goroutine passes the field to C and does not keep the object
	// alive; the function that starts it does not wait for it.
	goKind
)

// A candidate is one event of a possible finding.
type candidate struct {
	kind  kind
	pos   token.Pos // the C call's argument, or the returned value
	sink  string    // "C.f", "C.f via parameter p of g()"
	c     bridge.Crossing
	site  ssa.Instruction // the call (lifted out of cgo's wrappers) or the return
	outer *ssa.Function   // the function reported on
	reg   *registration
	rel   release
	named *types.Named
	path  []int
	base  ssa.Value
	roots []ssa.Value // the object, in outer (or, for goKind, where it starts the goroutine)
	// uses are the uses of a pointer C returned for the field after the
	// object's last use; returned the returns that hand it out.
	uses     []ssa.Instruction
	returned []*ssa.Return
	view     bool // resultKind: a slice or string over the field itself
}

// candidate examines the field load root whose value the crossing c hands
// to C. ok is false when root is not a field a registered finalizer
// releases; cand is nil when the object is kept alive (the reason goes to
// the explain mode).
func (a *analyzer) candidate(r *report.Reporter, regs []*registration, c bridge.Crossing, root ssa.Value) (cand *candidate, ok bool) {
	base, path, ok := fieldLoad(root)
	if !ok {
		return nil, false
	}
	named := structOf(base.Type())
	if named == nil {
		return nil, false
	}
	site, outer := lift(c.Instr)
	reg, rel := matchRegistration(regs, named, path, outer)
	if reg == nil {
		return nil, false
	}
	cand = &candidate{kind: callKind, pos: c.Pos, sink: c.Sink.String(), c: c, site: site, outer: outer,
		reg: reg, rel: rel, named: named, path: path, base: base, roots: objectRoots(base)}
	if len(c.Via) > 0 {
		cand.sink += " via " + joinVia(c.Via)
	}
	what := "the object whose " + named.Obj().Name() + "." + fieldName(named, path) + " is passed to " + c.Sink.String()
	if why := a.dropped(cand, regs); why != "" {
		r.Explain.Dropped(c.Pos, what, why)
		return nil, true
	}
	if why := a.lowRisk(cand); why != "" {
		r.Explain.Dropped(c.Pos, what, why)
		return nil, true
	}
	return cand, true
}

// matchRegistration returns the registration whose finalizer releases the
// field path of named: one in fn (on this object) if any, else the first.
func matchRegistration(regs []*registration, named *types.Named, path []int, fn *ssa.Function) (*registration, release) {
	var reg *registration
	var rel release
	for _, g := range regs {
		if g.obj.Obj() != named.Obj() || (reg != nil && (reg.call.Parent() == fn || g.call.Parent() != fn)) {
			continue
		}
		for _, rl := range g.rel {
			if samePath(rl.path, path) {
				reg, rel = g, rl
			}
		}
	}
	return reg, rel
}

// objectRoots returns the roots of the object base. An object reached
// through an embedded pointer field (o.Inner.ptr, written o.ptr) lives as
// long as the object embedding it, which is the one to keep alive.
func objectRoots(base ssa.Value) []ssa.Value {
	roots := flow.Roots(base)
	for range maxFieldDepth {
		if len(roots) != 1 {
			return roots
		}
		load, ok := roots[0].(*ssa.UnOp)
		if !ok || load.Op != token.MUL {
			return roots
		}
		fa, ok := load.X.(*ssa.FieldAddr)
		if !ok || !embedded(fa) {
			return roots
		}
		roots = flow.Roots(fa.X)
	}
	return roots
}

// embedded reports whether the field fa addresses is an embedded one.
func embedded(fa *ssa.FieldAddr) bool {
	st, ok := deref(fa.X.Type()).Underlying().(*types.Struct)
	return ok && fa.Field < st.NumFields() && st.Field(fa.Field).Embedded()
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// dropped says why the object of cand is kept alive by the letter of the
// rule, or "" when it is not.
func (a *analyzer) dropped(cand *candidate, regs []*registration) string {
	if cand.c.Sink.String() == cand.rel.sink && len(cand.c.Via) == 0 {
		return "the call is the release the finalizer makes (" + cand.rel.sink + "): releasing by hand, not using the memory"
	}
	if keeper := a.registeredAll(regs, cand.named, cand.path); keeper != nil {
		return "every constructor that sets the finalizer keeps the object in a package-level registry (" +
			calleeName(keeper) + " in " + bridge.FuncLabel(keeper.Parent()) + "), so it stays reachable"
	}
	if lit := goLiteral(cand.outer); lit != nil {
		return a.droppedGo(cand, lit)
	}
	site, outer, roots := cand.site, cand.outer, cand.roots
	switch {
	case !owned(roots, outer, site, regs):
		return "the object is reachable from elsewhere (loaded from memory, a global, or not known to carry the finalizer here)"
	case clearsFinalizer(outer, roots):
		return "the function clears the finalizer or stops the cleanup"
	case a.escapes(outer, site, roots):
		return "the object is stored where it outlives the call"
	}
	live := append(slices.Clone(roots), holders(outer, site, roots)...)
	uses, returned, wrappers := derivedUses(site)
	if len(returned) > 0 && (holdsObject(wrappers, roots) || !a.borrowedResult(returned, wrappers)) {
		// The result keeps the object alive, or may as well be static
		// or fresh memory C handed over (a raw pointer, or a wrapper of
		// a type that never owns memory).
		returned = nil
	}
	for _, u := range uses {
		if (precedes(site, u) || u == site) && !keptAlive(outer, u, live) {
			cand.uses = append(cand.uses, u)
		}
	}
	if len(returned) > 0 && !a.exportedOrAll(outer) {
		returned = nil // an unexported helper's caller decides what it does with the result
	}
	cand.returned = returned
	if len(cand.returned) > 0 {
		cand.kind = resultKind
		return ""
	}
	if len(cand.uses) == 0 && keptAlive(outer, site, live) {
		return "the object (or a value holding it) is used or kept alive after the call and after every use of what C returned"
	}
	if a.callersKeepAlive(outer, roots, regs, 0, make(map[*ssa.Function]bool)) {
		return "every caller keeps the object alive past the call"
	}
	return ""
}

// exportedOrAll reports whether fn is exported (a function or method with
// an exported name), or the scope asks for every function.
func (a *analyzer) exportedOrAll(fn *ssa.Function) bool {
	return a.scope == ScopeAll || exported(fn)
}

func exported(fn *ssa.Function) bool {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	obj, ok := fn.Object().(*types.Func)
	return ok && obj.Exported()
}

// registeredAll returns the call keeping the object in a registry when
// every registration of a finalizer releasing path on named keeps it (see
// registered), or nil.
func (a *analyzer) registeredAll(regs []*registration, named *types.Named, path []int) *ssa.Call {
	var keeper *ssa.Call
	for _, g := range regs {
		if g.obj.Obj() != named.Obj() || !slices.ContainsFunc(g.rel, func(rl release) bool { return samePath(rl.path, path) }) {
			continue
		}
		k := a.registered(g)
		if k == nil {
			return nil
		}
		keeper = k
	}
	return keeper
}

func calleeName(call *ssa.Call) string {
	fn := call.Call.StaticCallee()
	if fn == nil {
		return "a call"
	}
	if fn.Pkg != nil && fn.Pkg.Pkg != call.Parent().Pkg.Pkg {
		return fn.Pkg.Pkg.Name() + "." + fn.Name()
	}
	return bridge.FuncLabel(fn)
}

// views returns the resultKind candidates of fn that hand out a slice or
// string over a released field directly (unsafe.Slice, unsafe.String, an
// array conversion), without a C call.
func (a *analyzer) views(r *report.Reporter, regs []*registration, fn *ssa.Function) []*candidate {
	if fn.Parent() != nil || !a.exportedOrAll(fn) {
		return nil
	}
	var out []*candidate
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		for _, res := range ret.Results {
			if !sliceOrString(res.Type()) {
				continue
			}
			for _, root := range flow.Roots(res) {
				base, path, ok := fieldLoad(root)
				if !ok {
					continue
				}
				named := structOf(base.Type())
				if named == nil {
					continue
				}
				reg, rel := matchRegistration(regs, named, path, fn)
				if reg == nil {
					continue
				}
				cand := &candidate{kind: resultKind, view: true, pos: res.Pos(), site: ret, outer: fn, reg: reg, rel: rel,
					named: named, path: path, base: base, roots: objectRoots(base), returned: []*ssa.Return{ret}}
				if !cand.pos.IsValid() {
					cand.pos = ret.Pos()
				}
				what := "the slice or string over " + named.Obj().Name() + "." + fieldName(named, path) + " that " + bridge.FuncLabel(fn) + " returns"
				why := ""
				switch {
				case a.registeredAll(regs, named, path) != nil:
					why = "every constructor that sets the finalizer keeps the object in a package-level registry"
				case !owned(cand.roots, fn, ret, regs):
					why = "the object is reachable from elsewhere"
				case clearsFinalizer(fn, cand.roots):
					why = "the function clears the finalizer or stops the cleanup"
				case a.escapes(fn, ret, cand.roots):
					why = "the object is stored where it outlives the function"
				default:
					why = a.lowRisk(cand)
				}
				if why != "" {
					r.Explain.Dropped(cand.pos, what, why)
					continue
				}
				out = append(out, cand)
			}
		}
	}
	return out
}

func sliceOrString(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Slice:
		return true
	case *types.Basic:
		return u.Info()&types.IsString != 0
	}
	return false
}

func joinVia(via []string) string {
	out := ""
	for i, v := range via {
		if i > 0 {
			out += ", then "
		}
		out += v
	}
	return out
}

// holdsObject reports whether one of the structs the function builds
// around what C returned also holds the object (roots).
func holdsObject(wrappers map[ssa.Value]bool, roots []ssa.Value) bool {
	vals, _ := objectValues(roots)
	for v := range vals {
		for _, ref := range *v.Referrers() {
			if st, ok := ref.(*ssa.Store); ok && vals[st.Val] && wrappers[addrBase(st.Addr)] {
				return true
			}
		}
	}
	return false
}

// borrowedResult reports whether a returned result is a slice or string
// over what C returned, or a struct of a type that owns C memory elsewhere
// (a finalizer or cleanup releases it) built here without one: the
// pointer is then borrowed from the object (go-openssl's GetSubjectName
// returns a Name, which NewName gives a finalizer, around memory of the
// certificate).
func (a *analyzer) borrowedResult(returned []*ssa.Return, wrappers map[ssa.Value]bool) bool {
	for _, ret := range returned {
		for _, r := range ret.Results {
			if sliceOrString(r.Type()) {
				return true
			}
			for _, root := range flow.Roots(r) {
				if !wrappers[root] {
					continue
				}
				named := structOf(root.Type())
				if named != nil && slices.ContainsFunc(a.regsCache, func(g *registration) bool { return g.obj.Obj() == named.Obj() }) {
					return true
				}
			}
		}
	}
	return false
}
