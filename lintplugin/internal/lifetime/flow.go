package lifetime

import (
	"cmp"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

type engine struct {
	root     *frame
	cfg      Config
	tameMemo map[ssa.Value]tameInfo
	report   bool // record findings (the final pass over a converged body)

	findings []Finding
	releases []Released
	used     []ParamEvent
	leaks    []Leak
	disposed []int
	seen     map[findingKey]bool
	seenRel  map[token.Pos]bool
}

type findingKey struct {
	p           Problem
	first, then token.Pos
}

func newEngine(fn *ssa.Function, cfg Config) *engine {
	return &engine{
		root:     &frame{fn: fn},
		cfg:      cfg,
		tameMemo: make(map[ssa.Value]tameInfo),
		seen:     make(map[findingKey]bool),
		seenRel:  make(map[token.Pos]bool),
	}
}

// state is what holds at a point of the analysed function: which tokens
// name released resources (and where they were released), and which defer
// statements have run.
type state struct {
	released map[tok]fact
	// owned: tokens naming resources acquired (Acquire) and not yet
	// released or disposed of, for leak reports.
	owned  map[tok]fact
	defers map[*ssa.Defer]bool
	// loaded maps a field in memory (a tokPath with a "*") to the
	// values loaded from it since it was last written: releasing the
	// field releases what those loads hold (d := b.data; b.Close(); use d).
	loaded map[tok][]tok
}

// A fact is a release that reaches here, and the branch conditions that
// held when it happened: a path that later takes the other way at the
// same condition cannot carry it (if !ok { C.free(p) } ... if ok { use(p) }).
type fact struct {
	occ    Occurrence
	assume []cond
	// acq is the value an Acquire made (the allocating call).
	acq ssa.Value
	// unless: the release did not happen where this value is nil
	// (C.realloc(p, n) frees p only when it returns a new pointer).
	unless ssa.Value
}

// cond is a branch condition v known to be b.
type cond struct {
	v ssa.Value
	b bool
}

func newState() *state {
	return &state{released: make(map[tok]fact), owned: make(map[tok]fact), defers: make(map[*ssa.Defer]bool),
		loaded: make(map[tok][]tok)}
}

func (s *state) clone() *state {
	return &state{released: maps.Clone(s.released), owned: maps.Clone(s.owned), defers: maps.Clone(s.defers),
		loaded: maps.Clone(s.loaded)}
}

// empty reports whether nothing is released or owned: most instructions
// then have nothing to change.
func (s *state) empty() bool { return len(s.released) == 0 && len(s.owned) == 0 }

// join merges o into s and reports whether s changed. Of two releases of
// one token, the earlier in the source is kept, so results do not depend
// on the visiting order.
func (s *state) join(o *state) bool {
	changed := false
	for t, f := range o.released {
		have, ok := s.released[t]
		if !ok {
			s.released[t] = f
			changed = true
			continue
		}
		// Released on both paths: the earlier release names it, and
		// only the conditions both paths assume still hold.
		merged := have
		if f.occ.Pos < have.occ.Pos {
			merged.occ = f.occ
		}
		merged.assume = intersect(have.assume, f.assume)
		if merged.occ.Pos != have.occ.Pos || len(merged.assume) != len(have.assume) {
			s.released[t] = merged
			changed = true
		}
	}
	for t, f := range o.owned {
		// Owned on some path: a leak there, named by the earlier
		// acquisition.
		if have, ok := s.owned[t]; !ok || f.occ.Pos < have.occ.Pos {
			s.owned[t] = fact{occ: f.occ, acq: f.acq}
			changed = true
		}
	}
	for d := range o.defers {
		if !s.defers[d] {
			s.defers[d] = true
			changed = true
		}
	}
	// A load counts as the field's value only where every path has it.
	for t, vs := range s.loaded {
		keep := slices.DeleteFunc(slices.Clone(vs), func(v tok) bool { return !slices.Contains(o.loaded[t], v) })
		if len(keep) != len(vs) {
			changed = true
			if len(keep) == 0 {
				delete(s.loaded, t)
			} else {
				s.loaded[t] = keep
			}
		}
	}
	return changed
}

// forget drops the tokens drop says yes to.
func (s *state) forget(drop func(tok) bool) {
	maps.DeleteFunc(s.released, func(t tok, _ fact) bool { return drop(t) })
	maps.DeleteFunc(s.owned, func(t tok, _ fact) bool { return drop(t) })
	maps.DeleteFunc(s.loaded, func(t tok, _ []tok) bool { return drop(t) })
}

// disown ends the ownership of what toks name: every token of the
// acquisitions they match.
//
// Handing on a whole value hands on its parts: a struct variable returned
// disposes of what its fields own.
func (s *state) disown(toks []tok) {
	var gone []token.Pos
	for _, t := range toks {
		for o, f := range s.owned {
			if o.kind == t.kind && o.v == t.v && strings.HasPrefix(o.path, t.path) {
				gone = append(gone, f.occ.Pos)
			}
		}
	}
	maps.DeleteFunc(s.owned, func(_ tok, g fact) bool { return slices.Contains(gone, g.occ.Pos) })
}

// run runs the body of fr from the entry state in to a fixed point, then
// once more to report, and returns the state at its returns (nil if it
// never returns).
func (e *engine) run(fr *frame, in *state) *state {
	fn := fr.fn
	if len(fn.Blocks) == 0 || fr.depth > maxDepth {
		return in
	}
	report := e.report
	e.report = false
	ins := make([]*state, len(fn.Blocks))
	ins[0] = in.clone()
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	queued := map[*ssa.BasicBlock]bool{fn.Blocks[0]: true}
	for steps := 0; len(work) > 0 && steps < 64*len(fn.Blocks); steps++ {
		b := work[0]
		work = work[1:]
		queued[b] = false
		s := ins[b.Index].clone()
		e.block(fr, b, s)
		for i, succ := range b.Succs {
			out := e.edge(fr, b, i, s)
			if ins[succ.Index] == nil {
				ins[succ.Index] = out.clone()
			} else if !ins[succ.Index].join(out) {
				continue
			}
			if !queued[succ] {
				queued[succ] = true
				work = append(work, succ)
			}
		}
	}
	e.report = report
	var exit *state
	for _, b := range fn.Blocks {
		if ins[b.Index] == nil {
			continue // unreachable, or the recover block
		}
		s := ins[b.Index].clone()
		e.block(fr, b, s)
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			if fr == e.root && e.report {
				e.noteLeaks(ret, s)
			}
			if exit == nil {
				exit = s
			} else {
				exit.join(s)
			}
		}
	}
	return exit
}

func (e *engine) block(fr *frame, b *ssa.BasicBlock, s *state) {
	for _, ins := range b.Instrs {
		e.step(fr, ins, s)
	}
}

// step applies one instruction: its events are checked against the
// state, then what it overwrites is forgotten, then its releases recorded.
func (e *engine) step(fr *frame, ins ssa.Instruction, s *state) {
	switch ins := ins.(type) {
	case *ssa.Defer:
		s.defers[ins] = true
		return
	case *ssa.RunDefers:
		e.runDefers(fr, ins, s)
		return
	}
	type release struct {
		toks   []tok
		occ    Occurrence
		val    ssa.Value
		unless ssa.Value
	}
	var rels, acqs []release
	for _, ev := range e.cfg.Events(ins) {
		toks := e.eventTokens(ev, fr)
		if len(toks) == 0 {
			continue
		}
		occ := e.occurrence(ev, ins, fr)
		e.check(ev.Kind, toks, occ, s)
		if ev.Kind == Use {
			e.noteUse(toks, occ)
		}
		switch ev.Kind {
		case Release:
			e.noteDisposed(toks, ev.Value)
			toks = s.withLoads(toks)
			rels = append(rels, release{toks, occ, ev.Value, ev.Unless})
			e.noteRelease(occ, toks, fr.defer_)
			s.disown(toks)
			s.disownMay(ev.Value)
		case Dispose:
			if ev.Into != nil && e.intoVariable(ev.Into, fr) &&
				slices.ContainsFunc(toks, func(t tok) bool { _, owned := s.owned[t]; return owned }) {
				break // kept in a local variable, which copyReleased follows
			}
			if ev.Into != nil && e.intoVariable(ev.Into, fr) {
				// Stored in a local variable, but as a value that is
				// the allocation on some paths only (a phi): the
				// engine cannot follow it there, so it lets go.
				s.disownMay(ev.Value)
				break
			}
			e.noteDisposed(toks, ev.Value)
			s.disown(toks)
			s.disownMay(ev.Value)
		case Acquire:
			acqs = append(acqs, release{toks, occ, ev.Value, nil})
		}
	}
	e.kill(fr, ins, s)
	e.noteLoad(fr, ins, s)
	switch ins := ins.(type) {
	case *ssa.Store:
		e.copyReleased(fr, ins, s)
	case *ssa.Phi:
		e.phiReleased(fr, ins, s)
	}
	if call, ok := ins.(*ssa.Call); ok {
		if fn, env, ok := flow.InlineCallee(&call.Call); ok && fr.depth < maxDepth {
			if out := e.run(fr.child(fn, env, ins), s); out != nil {
				*s = *out
			} else {
				// The body never returns (it panics): nothing follows.
				*s = *newState()
			}
		}
	}
	for _, r := range rels {
		f := fact{occ: r.occ, assume: e.assumptions(fr, ins), unless: r.unless}
		for _, t := range r.toks {
			s.released[t] = f
		}
	}
	for _, a := range acqs {
		for _, t := range a.toks {
			s.owned[t] = fact{occ: a.occ, acq: a.val}
		}
	}
}

// eventValue returns the value an event is about: for an Addr event, the
// pointer the address is computed from, or nil when it is a variable's own
// address.
func (e *engine) eventValue(ev Event, fr *frame) ssa.Value {
	if !ev.Addr {
		return ev.Value
	}
	if e.isVariable(ev.Value, fr) {
		return nil
	}
	v := ev.Value
	for {
		switch a := v.(type) {
		case *ssa.FieldAddr:
			v = a.X
			continue
		case *ssa.IndexAddr:
			v = a.X
			continue
		}
		return v
	}
}

func (e *engine) eventTokens(ev Event, fr *frame) []tok {
	if ev.Var {
		// What the variable at the address ev.Value holds.
		c, ok := e.resolveCell(ev.Value, fr)
		if !ok || c.base == nil || !e.tameness(c.base).tracked {
			return nil
		}
		out := []tok{{tokVar, c.base, pathString(c.path)}}
		if c.fr != e.root {
			out = nil
		}
		if site, ok := ev.Value.(ssa.Instruction); ok {
			out = append(out, e.content(c, site, 0)...)
		}
		return ext(out, ev.Path)
	}
	v := e.eventValue(ev, fr)
	if v == nil {
		return nil
	}
	return ext(e.tokens(v, fr), ev.Path)
}

// copyReleased marks a tracked variable assigned a released resource as
// holding it (Go 1.22 loop variables are such copies, made at the end of
// every iteration).
func (e *engine) copyReleased(fr *frame, st *ssa.Store, s *state) {
	if s.empty() {
		return
	}
	c, ok := e.resolveCell(st.Addr, fr)
	if !ok || c.base == nil || c.fr != e.root || !e.tameness(c.base).tracked {
		return
	}
	for _, m := range []map[tok]fact{s.released, s.owned} {
		for _, t := range e.tokens(st.Val, fr) {
			if f, ok := m[t]; ok {
				m[tok{tokVar, c.base, pathString(c.path)}] = f
				break
			}
		}
	}
}

// phiReleased marks a phi of variables as holding a released resource
// when one of the variables it joins does.
func (e *engine) phiReleased(fr *frame, phi *ssa.Phi, s *state) {
	if s.empty() || fr != e.root {
		return
	}
	if _, ok := phi.Type().Underlying().(*types.Pointer); !ok || !e.tameness(phi).tracked {
		return
	}
	for _, m := range []map[tok]fact{s.released, s.owned} {
		add := make(map[tok]fact)
		for _, ed := range phi.Edges {
			for t, f := range m {
				if t.kind == tokVar && t.v == ed {
					add[tok{tokVar, phi, t.path}] = f
				}
			}
		}
		maps.Copy(m, add)
	}
}

// edge returns the state that flows from b to its i'th successor: at an
// if, without the releases that assumed the opposite of its condition.
func (e *engine) edge(fr *frame, b *ssa.BasicBlock, i int, in *state) *state {
	s := in
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok || len(b.Succs) != 2 || b.Succs[0] == b.Succs[1] || fr != e.root {
		return s
	}
	if len(s.owned) > 0 {
		if x, ok := nilOnEdge(ifi.Cond, i); ok {
			// Where the allocation is known to have failed (p == nil),
			// there is nothing to free.
			if toks := e.tokens(x, fr); slices.ContainsFunc(toks, func(t tok) bool { _, ok := s.owned[t]; return ok }) {
				s = s.clone()
				s.disown(toks)
			}
		}
	}
	if len(s.released) > 0 {
		if x, ok := nilOnEdge(ifi.Cond, i); ok {
			// Where a reallocation is known to have failed, the old
			// pointer was not freed.
			toks := e.tokens(x, fr)
			for t, f := range s.released {
				if f.unless != nil && slices.Contains(toks, tok{tokVal, f.unless, ""}) {
					if s == in {
						s = s.clone()
					}
					delete(s.released, t)
				}
			}
		}
	}
	if len(s.released) == 0 {
		return s
	}
	c, ok := e.normCond(fr, ifi.Cond)
	if !ok {
		return s
	}
	taken := c.b == (i == 0) // the value c.v has on this edge
	var out *state
	for t, f := range s.released {
		if slices.Contains(f.assume, cond{c.v, !taken}) {
			if out == nil {
				out = s.clone()
			}
			delete(out.released, t)
		}
	}
	if out == nil {
		return s
	}
	return out
}

// normCond names a branch condition by the value it is known to be (for
// !x, x with the sense flipped), in the analysed function.
func (e *engine) normCond(fr *frame, v ssa.Value) (cond, bool) {
	b := true
	for {
		u, ok := v.(*ssa.UnOp)
		if !ok || u.Op != token.NOT {
			break
		}
		v, b = u.X, !b
	}
	r := e.valueRoot(v, fr, 0)
	if r == nil {
		return cond{}, false
	}
	if u, ok := r.(*ssa.UnOp); ok && u.Op == token.NOT {
		c, ok := e.normCond(fr, u)
		c.b = c.b == b
		return c, ok
	}
	return cond{r, b}, true
}

// assumptions returns the branch conditions that hold whenever ins (or,
// inside a closure run inline, the call that runs it) executes: the ifs
// whose one branch leads to it without another way in.
func (e *engine) assumptions(fr *frame, ins ssa.Instruction) []cond {
	for fr != e.root && fr != nil {
		if fr.site == nil {
			return nil
		}
		ins, fr = fr.site, fr.parent
	}
	if fr == nil || ins.Block() == nil {
		return nil
	}
	var out []cond
	for d := ins.Block(); d != nil && len(out) < 8; d = d.Idom() {
		if len(d.Preds) != 1 {
			continue
		}
		x := d.Preds[0]
		ifi, ok := x.Instrs[len(x.Instrs)-1].(*ssa.If)
		if !ok || x.Succs[0] == x.Succs[1] {
			continue
		}
		c, ok := e.normCond(fr, ifi.Cond)
		if !ok {
			continue
		}
		if d != x.Succs[0] {
			c.b = !c.b
		}
		out = append(out, c)
	}
	return out
}

func intersect(a, b []cond) []cond {
	var out []cond
	for _, c := range a {
		if slices.Contains(b, c) {
			out = append(out, c)
		}
	}
	return out
}

// check reports a use or release of a token already released.
func (e *engine) check(k Kind, toks []tok, occ Occurrence, s *state) {
	for _, t := range toks {
		f, ok := s.released[t]
		if !ok {
			continue
		}
		first := f.occ
		if !e.report {
			return
		}
		p := UseAfterRelease
		if k == Release {
			p = DoubleRelease
		}
		key := findingKey{p, first.Pos, occ.Pos}
		if e.seen[key] {
			return
		}
		e.seen[key] = true
		e.findings = append(e.findings, Finding{Problem: p, Release: first, Then: occ,
			Loop: occ.Pos <= first.Pos && !occ.Deferred && !first.Deferred})
		return
	}
}

func (e *engine) noteRelease(occ Occurrence, toks []tok, d *ssa.Defer) {
	if !e.report || e.seenRel[occ.Pos] {
		return
	}
	e.seenRel[occ.Pos] = true
	r := Released{Occurrence: occ, Defer: d}
	for _, t := range toks {
		if t.kind == tokVal {
			r.Root = t.v
			break
		}
	}
	e.releases = append(e.releases, r)
}

// occurrence describes an event for findings.
func (e *engine) occurrence(ev Event, ins ssa.Instruction, fr *frame) Occurrence {
	pos := ev.Pos
	if !pos.IsValid() {
		pos = ins.Pos()
	}
	for f := fr; !pos.IsValid() && f != nil && f.site != nil; f = f.parent {
		pos = f.site.Pos()
	}
	occ := Occurrence{Pos: pos, Name: ev.Name, What: ev.What, Cause: ev.Cause}
	if occ.Name == "" {
		v := e.eventValue(ev, fr)
		if occ.Name = e.name(v, fr); occ.Name != "" && ev.Path != "" {
			occ.Name = PathName(occ.Name, v.Type(), ev.Path)
		}
	}
	if fr.defer_ != nil {
		occ.Deferred, occ.Defer = true, fr.defer_.Pos()
	}
	return occ
}

// kill forgets what ins makes stale: a value computed afresh, a variable
// assigned, fields and package variables a call may assign.
func (e *engine) kill(fr *frame, ins ssa.Instruction, s *state) {
	if s.empty() {
		return
	}
	if v, ok := ins.(ssa.Value); ok {
		s.forget(func(t tok) bool { return t.v == v && t.kind != tokGlobal })
		// A condition computed afresh may come out the other way.
		for t, f := range s.released {
			if slices.ContainsFunc(f.assume, func(c cond) bool { return c.v == v }) {
				f.assume = slices.DeleteFunc(slices.Clone(f.assume), func(c cond) bool { return c.v == v })
				s.released[t] = f
			}
		}
	}
	switch ins := ins.(type) {
	case *ssa.Store:
		e.killStore(fr, ins.Addr, s)
	case *ssa.Call:
		if _, _, inline := flow.InlineCallee(&ins.Call); !inline && !e.harmless(&ins.Call) {
			e.forgetReachable(fr, &ins.Call, s)
		}
	case *ssa.Go:
		e.forgetReachable(fr, &ins.Call, s)
	}
}

func (e *engine) killStore(fr *frame, addr ssa.Value, s *state) {
	if c, ok := e.resolveCell(addr, fr); ok {
		p := pathString(c.path)
		overlaps := func(q string) bool {
			return len(q) <= len(p) && p[:len(q)] == q || len(p) <= len(q) && q[:len(p)] == p
		}
		if c.global != nil {
			s.forget(func(t tok) bool { return t.kind == tokGlobal && t.v == c.global && overlaps(t.path) })
		} else if c.fr == e.root {
			s.forget(func(t tok) bool { return t.kind == tokVar && t.v == c.base && overlaps(t.path) })
		}
		return
	}
	if fa, ok := addr.(*ssa.FieldAddr); ok {
		// Any object's field of that index may be the tracked one.
		s.forget(func(t tok) bool { return t.mayBeField(fa.Field) })
		return
	}
	// A store through a pointer that may alias anything tracked in
	// memory.
	s.forget(tok.inMemory)
}

func (e *engine) harmless(call *ssa.CallCommon) bool {
	if _, ok := call.Value.(*ssa.Builtin); ok {
		return true
	}
	if _, ok := cgoshape.CCall(call); ok {
		return true
	}
	if a := api.Classify(call); a.Kind == api.CgoCheck || a.Kind == api.View {
		return true
	}
	return e.cfg.Harmless != nil && e.cfg.Harmless(call)
}

// runDefers runs the calls fr's function deferred on the way here, last
// first, at a return.
func (e *engine) runDefers(fr *frame, at *ssa.RunDefers, s *state) {
	var ds []*ssa.Defer
	for d := range s.defers {
		if d.Parent() == fr.fn {
			ds = append(ds, d)
		}
	}
	slices.SortFunc(ds, func(a, b *ssa.Defer) int { return -cmp.Compare(a.Pos(), b.Pos()) })
	for _, d := range ds {
		delete(s.defers, d)
	}
	for _, d := range ds {
		e.runDefer(fr, d, at, s)
	}
}

func (e *engine) runDefer(fr *frame, d *ssa.Defer, at *ssa.RunDefers, s *state) {
	if fr.depth >= maxDepth {
		return
	}
	body := func(fn *ssa.Function, env []ssa.Value, parent *frame, site ssa.Instruction) {
		bf := parent.child(fn, env, site)
		bf.defer_ = d
		if out := e.run(bf, s); out != nil {
			*s = *out
		}
	}
	call := d.Common()
	// A deferred function literal: it runs at exit and reads the
	// variables as they are then.
	if fn, env, ok := flow.InlineCallee(call); ok {
		body(fn, env, fr, at)
		return
	}
	// cgo's `defer C.f(x)`: a closure invoked at the defer statement
	// evaluates the arguments and returns the closure that is deferred.
	if r, ok := call.Value.(*ssa.Call); ok && len(call.Args) == 0 {
		if outer, outerEnv, ok := flow.InlineCallee(&r.Call); ok {
			if inner := flow.ReturnedClosure(outer); inner != nil {
				if fn, ok := inner.Fn.(*ssa.Function); ok {
					body(fn, inner.Bindings, fr.child(outer, outerEnv, r), inner)
				}
			}
		}
		return
	}
	// A deferred call of a function or method: its arguments were
	// evaluated at the defer statement, so only what names their values
	// (not the variables they were read from) carries over.
	occFrame := &frame{fn: fr.fn, parent: fr.parent, env: fr.env, site: fr.site, defer_: d, depth: fr.depth}
	for _, ev := range e.cfg.Events(d) {
		var toks []tok
		for _, t := range e.eventTokens(ev, fr) {
			if t.kind == tokVal || t.kind == tokPath {
				toks = append(toks, t)
			}
		}
		if ev.Kind == Release {
			toks = s.withLoads(toks)
		}
		if len(toks) == 0 {
			continue
		}
		occ := e.occurrence(ev, d, occFrame)
		e.check(ev.Kind, toks, occ, s)
		if ev.Kind == Release {
			e.noteRelease(occ, toks, d)
			for _, t := range toks {
				s.released[t] = fact{occ: occ}
			}
		}
		if ev.Kind == Release || ev.Kind == Dispose {
			e.noteDisposed(toks, ev.Value)
			s.disown(toks)
			s.disownMay(ev.Value)
		}
	}
}

// noteLeaks records what is still owned at a return of the analysed
// function.
func (e *engine) noteLeaks(ret *ssa.Return, s *state) {
	for _, f := range s.owned {
		i := slices.IndexFunc(e.leaks, func(l Leak) bool { return l.Acquire.Pos == f.occ.Pos })
		if i < 0 {
			e.leaks = append(e.leaks, Leak{Acquire: f.occ})
			i = len(e.leaks) - 1
		}
		if !slices.Contains(e.leaks[i].Returns, ret.Pos()) {
			e.leaks[i].Returns = append(e.leaks[i].Returns, ret.Pos())
		}
	}
	slices.SortFunc(e.leaks, func(a, b Leak) int { return cmp.Compare(a.Acquire.Pos, b.Acquire.Pos) })
}

// nilOnEdge returns x when the branch condition cond compares x with nil
// and the i'th successor is taken when x is nil.
func nilOnEdge(cond ssa.Value, i int) (ssa.Value, bool) {
	flip := false
	for {
		u, ok := cond.(*ssa.UnOp)
		if !ok || u.Op != token.NOT {
			break
		}
		cond, flip = u.X, !flip
	}
	b, ok := cond.(*ssa.BinOp)
	if !ok || (b.Op != token.EQL && b.Op != token.NEQ) {
		return nil, false
	}
	x := b.X
	if isNilConst(x) {
		x = b.Y
	} else if !isNilConst(b.Y) {
		return nil, false
	}
	nilWhenTrue := (b.Op == token.EQL) != flip
	if nilWhenTrue == (i == 0) {
		return x, true
	}
	return nil, false
}

// intoVariable reports whether addr is the address of a local variable
// the engine tracks (cgo's _cgo0 temporaries included).
func (e *engine) intoVariable(addr ssa.Value, fr *frame) bool {
	c, ok := e.resolveCell(addr, fr)
	return ok && c.base != nil && c.global == nil && e.tameness(c.base).tracked
}

// disownMay ends the ownership of every acquisition v may point into, on
// some path: handing on a value that is the allocation on one path (a phi
// with nil) or a pointer into it (&buf[n]) hands on the allocation. For
// ownership the safe side is to let go.
func (s *state) disownMay(v ssa.Value) {
	if len(s.owned) == 0 || v == nil {
		return
	}
	roots := mayRoots(v, 0)
	maps.DeleteFunc(s.owned, func(_ tok, f fact) bool { return f.acq != nil && slices.Contains(roots, f.acq) })
}

// maxMayRoots bounds the walk through field and element addresses.
const maxMayRoots = 4

func mayRoots(v ssa.Value, depth int) []ssa.Value {
	var out []ssa.Value
	for _, r := range flow.Roots(v) {
		out = append(out, r)
		if depth >= maxMayRoots {
			continue
		}
		switch a := r.(type) {
		case *ssa.FieldAddr:
			out = append(out, mayRoots(a.X, depth+1)...)
		case *ssa.IndexAddr:
			out = append(out, mayRoots(a.X, depth+1)...)
		}
	}
	return out
}

// noteLoad records a load of a field in memory as holding the field's
// value (see state.loaded).
func (e *engine) noteLoad(fr *frame, ins ssa.Instruction, s *state) {
	load, ok := ins.(*ssa.UnOp)
	if !ok || load.Op != token.MUL || len(s.loaded) > maxLoaded {
		return
	}
	if _, ok := load.X.(*ssa.FieldAddr); !ok {
		return
	}
	if _, isCell := e.resolveCell(load.X, fr); isCell {
		return // a variable: tracked as such
	}
	v := tok{tokVal, load, ""}
	for _, t := range e.addrTokens(load.X, fr, 0) {
		if t.kind == tokPath && !slices.Contains(s.loaded[t], v) {
			s.loaded[t] = append(slices.Clone(s.loaded[t]), v)
		}
	}
}

// maxLoaded bounds the fields whose loads a state remembers: a function
// rarely reads more than a few dozen fields in memory between writes.
const maxLoaded = 64

// withLoads adds to a release of fields the loads that hold their value.
func (s *state) withLoads(toks []tok) []tok {
	out := toks
	for _, t := range toks {
		for _, v := range s.loaded[t] {
			if !slices.Contains(out, v) {
				out = append(slices.Clone(out), v)
			}
		}
	}
	return out
}
