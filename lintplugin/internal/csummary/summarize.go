package csummary

import (
	"fmt"
	"math/bits"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"modernc.org/cc/v4"
)

// maxLoopRounds bounds the fixed-point iteration of one loop. The abstract
// state only grows at joins and has few elements per function, so real
// loops settle in two or three rounds; a loop that has not settled after
// eight is given up (the function gets no summary) rather than guessed.
const maxLoopRounds = 8

// A summarizer interprets one function definition.
type summarizer struct {
	pkg     *Package
	u       *unit
	fd      *cc.FunctionDefinition
	name    string
	ptrSize int64

	params   []*cc.Parameter
	paramIdx map[*cc.Declarator]int
	objIdx   map[any]int // local objects: address-taken locals, aggregates, compound literals
	nObjs    int
	sites    []site // fresh heap allocation sites

	// Path-insensitive results, set once per label (the first evidence wins,
	// so the result does not depend on map order).
	retained [2 * maxParams]Place
	unknown  [2 * maxParams]string
	freeBy   [2 * maxParams]string
	siteEsc  map[int]escape // heap sites kept or lost by the time of return
	objEsc   map[int]escape

	// Per-return accumulation.
	returned  uint64
	nReturns  int
	free      [2 * maxParams]Verdict
	freeSeen  [2 * maxParams]bool
	fresh     Verdict
	freshWhy  string
	dealloc   string
	deallocN  int
	freshSeen bool

	exports        map[string]bool // name -> from a thread
	exportsUnknown string

	// Control flow.
	loops   []*loopCtx
	labels  map[string]*state // pending forward gotos
	seen    map[string]bool   // labels already passed
	lastVal val               // value of the last expression statement (statement expressions)
	failed  string
}

type site struct {
	dealloc  string
	deallocN int
	desc     string
}

// An escape says that an object (a heap site or a local) was handed to
// something that keeps it (retain) or to something unknown (why).
type escape struct {
	retain Place
	why    string
}

type loopCtx struct {
	brk, cont  *state
	isSwitch   bool
	hasDefault bool
	entry      *state // switch: the state at the case labels
}

// summarize computes the summary of fd. It does not recover panics: the
// caller (Package.summary) does.
func (p *Package) summarize(u *unit, fd *cc.FunctionDefinition) (*Func, error) {
	d := fd.Declarator
	ft, ok := d.Type().(*cc.FunctionType)
	if !ok {
		return nil, fmt.Errorf("%s is not a function", d.Name())
	}
	a := &summarizer{
		pkg: p, u: u, fd: fd, name: d.Name(), ptrSize: u.ast.ABI.Types[cc.Ptr].Size,
		params: ft.Parameters(), paramIdx: map[*cc.Declarator]int{}, objIdx: map[any]int{},
		siteEsc: map[int]escape{}, objEsc: map[int]escape{},
		exports: map[string]bool{}, labels: map[string]*state{}, seen: map[string]bool{},
	}
	s := newState()
	if len(a.params) == 1 && a.params[0].Type().Kind() == cc.Void {
		a.params = nil // f(void)
	}
	for i, prm := range a.params {
		if i >= maxParams || prm.Declarator == nil {
			continue
		}
		a.paramIdx[prm.Declarator] = i
		if !a.carries(prm.Type()) {
			continue
		}
		v := val{labels: selfLabel(i)}
		if prm.Type().Kind() == cc.Ptr {
			v.root = root{kind: rootParam, name: prm.Name(), param: i}
			v.path = "*" + prm.Name()
		}
		a.assignInit(s, prm.Declarator, v)
	}
	out := a.compound(s, fd.CompoundStatement)
	if a.failed != "" {
		return nil, fmt.Errorf("%s", a.failed)
	}
	if out.live {
		a.ret(out, val{})
	}
	return a.result(ft), nil
}

// carries reports whether a value of type t can hold a pointer: pointers,
// integers at least as wide as a pointer (uintptr_t, a cgo.Handle),
// aggregates and arrays.
func (a *summarizer) carries(t cc.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case cc.Ptr, cc.Struct, cc.Union, cc.Array:
		return true
	}
	return cc.IsIntegerType(t) && t.Size() >= a.ptrSize
}

// assignInit gives a parameter or a new local its first value.
func (a *summarizer) assignInit(s *state, d *cc.Declarator, v val) {
	if o, ok := a.object(d); ok {
		s.objs[o] = v
		return
	}
	s.env[d] = v
}

// object returns the local object index of d when d lives in memory the
// analysis models as an object (address taken, aggregate, array).
func (a *summarizer) object(d *cc.Declarator) (int, bool) {
	if o, ok := a.objIdx[d]; ok {
		return o, true
	}
	k := d.Type().Kind()
	if !d.AddressTaken() && k != cc.Struct && k != cc.Union && k != cc.Array {
		return 0, false
	}
	return a.newObject(d), true
}

func (a *summarizer) newObject(key any) int {
	if o, ok := a.objIdx[key]; ok {
		return o
	}
	if a.nObjs >= maxObjects {
		a.fail("more than %d local objects", maxObjects)
		return 0
	}
	a.objIdx[key] = a.nObjs
	a.nObjs++
	return a.nObjs - 1
}

func (a *summarizer) fail(format string, args ...any) {
	if a.failed == "" {
		a.failed = fmt.Sprintf(format, args...)
	}
}

// keep records that the labels reachable from v are kept in place: a
// permanent fact (a callee or a thread keeps them; nothing later undoes it).
func (a *summarizer) keep(s *state, v val, place Place) {
	full := s.reach(v)
	a.markRetained(full.labels&^s.null, place)
	for m := full.heap; m != 0; m &= m - 1 {
		if _, ok := a.siteEsc[bits.TrailingZeros64(m)]; !ok {
			a.siteEsc[bits.TrailingZeros64(m)] = escape{retain: place}
		}
	}
	for m := full.objs; m != 0; m &= m - 1 {
		if _, ok := a.objEsc[bits.TrailingZeros64(m)]; !ok {
			a.objEsc[bits.TrailingZeros64(m)] = escape{retain: place}
		}
	}
}

// lose records that what v reaches went somewhere the analysis cannot follow.
func (a *summarizer) lose(s *state, v val, why string) {
	full := s.reach(v)
	a.markUnknown(full.labels, why)
	for m := full.heap; m != 0; m &= m - 1 {
		if _, ok := a.siteEsc[bits.TrailingZeros64(m)]; !ok {
			a.siteEsc[bits.TrailingZeros64(m)] = escape{why: why}
		}
	}
	for m := full.objs; m != 0; m &= m - 1 {
		if _, ok := a.objEsc[bits.TrailingZeros64(m)]; !ok {
			a.objEsc[bits.TrailingZeros64(m)] = escape{why: why}
		}
	}
}

func (a *summarizer) markRetained(labels uint64, place Place) {
	for m := labels; m != 0; m &= m - 1 {
		if l := bits.TrailingZeros64(m); a.retained[l].Kind == PlaceNone {
			a.retained[l] = place
		}
	}
}

func (a *summarizer) markUnknown(labels uint64, why string) {
	for m := labels; m != 0; m &= m - 1 {
		if l := bits.TrailingZeros64(m); a.unknown[l] == "" {
			a.unknown[l] = why
		}
	}
}

// ret records one way out of the function: s at a return of v.
func (a *summarizer) ret(s *state, v val) {
	a.nReturns++
	// What global, parameter memory and unjoined threads still hold.
	keys := make([]string, 0, len(s.slots))
	for k := range s.slots {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sl := s.slots[k]
		full := s.reach(sl.v)
		a.markRetained(full.labels&^s.null, sl.place)
		for m := full.heap; m != 0; m &= m - 1 {
			if _, ok := a.siteEsc[bits.TrailingZeros64(m)]; !ok {
				a.siteEsc[bits.TrailingZeros64(m)] = escape{retain: sl.place}
			}
		}
	}
	// Objects kept or lost earlier: what they hold now.
	for _, esc := range [...]struct {
		m    map[int]escape
		heap bool
	}{{a.siteEsc, true}, {a.objEsc, false}} {
		idx := slices.Sorted(func(yield func(int) bool) {
			for k := range esc.m {
				if !yield(k) {
					return
				}
			}
		})
		for _, i := range idx {
			e := esc.m[i]
			var inner val
			if esc.heap {
				inner = s.reach(s.heap[i])
			} else {
				inner = s.reach(s.objs[i])
			}
			if e.why != "" {
				a.markUnknown(inner.labels, e.why)
			} else {
				a.markRetained(inner.labels&^s.null, Place{Kind: e.retain.Kind, Param: e.retain.Param, Callee: e.retain.Callee,
					Desc: "a heap object kept in " + e.retain.Desc})
			}
		}
	}
	// The result.
	a.returned |= v.labels &^ s.null
	for m := v.heap; m != 0; m &= m - 1 {
		inner := s.reach(s.heap[bits.TrailingZeros64(m)])
		a.markRetained(inner.labels&^s.null, Place{Kind: PlaceHeap, Desc: "a heap object " + a.name + " returns"})
	}
	a.freshResult(s, v)
	// Frees on this path.
	for l := range 2 * min(len(a.params), maxParams) {
		bit := uint64(1) << uint(l)
		if s.null&bit != 0 {
			continue // NULL on this path: nothing to free
		}
		verdict := No
		switch {
		case s.freed&bit != 0:
			verdict = Yes
		case s.mayFr&bit != 0:
			verdict = Unknown
		}
		if !a.freeSeen[l] {
			a.free[l], a.freeSeen[l] = verdict, true
		} else {
			a.free[l] = a.free[l].join(verdict)
		}
	}
}

// freshResult folds the value returned on one path into the result summary.
func (a *summarizer) freshResult(s *state, v val) {
	verdict, why := Yes, ""
	switch {
	case v.null && v.empty():
		// NULL: fine for an allocator.
	case v.unknown != "":
		verdict, why = Unknown, v.unknown
	case v.labels != 0 || v.objs != 0 || v.root.kind != rootNone || v.fn != "" || v.heap == 0:
		verdict = No
	}
	for m := v.heap; verdict == Yes && m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		st := a.sites[i]
		switch {
		case s.sfreed&(1<<uint(i)) != 0:
			verdict = No
		case a.siteEsc[i] != escape{}:
			verdict = No
			if a.siteEsc[i].why != "" {
				verdict, why = Unknown, a.siteEsc[i].why
			}
		case a.deallocN != 0 && (a.dealloc != st.dealloc || a.deallocN != st.deallocN):
			verdict, why = Unknown, "returns memory released by "+a.dealloc+" or "+st.dealloc
		default:
			a.dealloc, a.deallocN = st.dealloc, st.deallocN
		}
	}
	if !a.freshSeen {
		a.fresh, a.freshWhy, a.freshSeen = verdict, why, true
		return
	}
	if a.fresh != verdict && a.freshWhy == "" {
		a.freshWhy = why
	}
	if a.fresh == Yes && verdict == No || a.fresh == No && verdict == Yes {
		a.fresh = No // some path returns something else: the caller cannot assume it owns the result
		return
	}
	a.fresh = a.fresh.join(verdict)
}

// result assembles the summary.
func (a *summarizer) result(ft *cc.FunctionType) *Func {
	f := &Func{Name: a.name, Origin: FromBody, Pos: position(a.fd.Declarator)}
	for i, prm := range a.params {
		p := Param{Name: prm.Name()}
		if i >= maxParams {
			p.Tracked = true
			p.Effects = Effects{Retain: Unknown, Free: Unknown, Why: "too many parameters"}
			f.Params = append(f.Params, p)
			continue
		}
		p.Tracked = a.carries(prm.Type())
		if p.Tracked {
			p.Effects = a.effects(2 * i)
			if prm.Type().Kind() == cc.Ptr {
				p.Contents = a.effects(2*i + 1)
			}
			p.Returned = a.returned&selfLabel(i) != 0
		}
		f.Params = append(f.Params, p)
	}
	if ft.Result() != nil && ft.Result().Kind() == cc.Ptr && a.freshSeen && (a.fresh != Yes || a.dealloc != "") {
		f.Result = Result{Fresh: a.fresh, Why: a.freshWhy}
		switch a.fresh {
		case Yes:
			f.Result.Dealloc, f.Result.DeallocParam, f.Result.Why = a.dealloc, a.deallocN, ""
		case No:
			f.Result.Why = ""
		}
	}
	for name, thread := range a.exports {
		f.Exports = append(f.Exports, ExportCall{Name: name, Thread: thread})
	}
	slices.SortFunc(f.Exports, func(x, y ExportCall) int { return strings.Compare(x.Name, y.Name) })
	f.ExportsUnknown = a.exportsUnknown
	return f
}

func (a *summarizer) effects(l int) Effects {
	var e Effects
	switch {
	case a.retained[l].Kind != PlaceNone:
		e.Retain, e.Where = Yes, a.retained[l]
	case a.unknown[l] != "":
		e.Retain, e.Why = Unknown, a.unknown[l]
	}
	e.Free = a.free[l]
	switch e.Free {
	case Yes:
		e.By = a.freeBy[l]
	case Unknown:
		if e.Why == "" {
			e.Why = "freed on some paths only"
			if a.freeBy[l] == "" && a.unknown[l] != "" {
				e.Why = a.unknown[l]
			}
		}
	}
	return e
}

// position names a node by file base name, line and column: summaries
// are compared and serialised, so they carry no machine-specific paths.
func position(n cc.Node) string {
	p := n.Position()
	return fmt.Sprintf("%s:%d:%d", filepath.Base(p.Filename), p.Line, p.Column)
}
