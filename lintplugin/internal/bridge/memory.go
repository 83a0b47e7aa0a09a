package bridge

import (
	"go/constant"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// A Step leads from a value in Go memory to a part of it: a struct field,
// or an array or slice element.
type Step struct {
	Field int   // the field index, or -1 for an element
	Index int64 // for an element, its index, or -1 when not a known constant
}

// A Path is the steps from an object to a part of it.
type Path []Step

func (p Path) String() string {
	b := make([]byte, 0, 8*len(p))
	for _, s := range p {
		switch {
		case s.Field >= 0:
			b = strconv.AppendInt(append(b, ".#"...), int64(s.Field), 10)
		case s.Index >= 0:
			b = append(strconv.AppendInt(append(b, '['), s.Index, 10), ']')
		default:
			b = append(b, "[i]"...)
		}
	}
	return string(b)
}

// constant reports whether every step of p names one part.
func (p Path) constant() bool {
	for _, s := range p {
		if s.Field < 0 && s.Index < 0 {
			return false
		}
	}
	return true
}

// covers reports whether p leads to q or to something enclosing q, as
// far as the analysis can tell (an unknown index may be any).
func (p Path) covers(q Path) bool {
	if len(p) > len(q) {
		return false
	}
	for i, s := range p {
		t := q[i]
		if s.Field != t.Field {
			return false
		}
		if s.Field < 0 && s.Index >= 0 && t.Index >= 0 && s.Index != t.Index {
			return false
		}
	}
	return true
}

// surely reports whether the constant path p certainly leads to q or to
// something enclosing q.
func (p Path) surely(q Path) bool {
	if len(p) > len(q) {
		return false
	}
	for i, s := range p {
		if s != q[i] || (s.Field < 0 && s.Index < 0) {
			return false
		}
	}
	return true
}

func (p Path) with(s ...Step) Path {
	out := make(Path, 0, len(p)+len(s))
	return append(append(out, p...), s...)
}

// A Place is part of an object in Go memory.
type Place struct {
	// Obj is the object: an *ssa.Alloc (a variable, new(T), a composite
	// literal), an *ssa.MakeSlice (the array make allocates) or an
	// *ssa.Global.
	Obj  ssa.Value
	Path Path
}

// Type is the type of the part of the object the place is.
func (p Place) Type() types.Type {
	return typeAt(p.Obj, p.Path)
}

func typeAt(obj ssa.Value, path Path) types.Type {
	t := obj.Type() // *T for an Alloc or Global, []T for a MakeSlice
	if _, ok := obj.(*ssa.MakeSlice); !ok {
		t = deref(t)
	} else {
		t = types.NewArray(t.Underlying().(*types.Slice).Elem(), -1)
	}
	for _, s := range path {
		switch u := t.Underlying().(type) {
		case *types.Struct:
			if s.Field < 0 || s.Field >= u.NumFields() {
				return nil
			}
			t = u.Field(s.Field).Type()
		case *types.Array:
			if s.Field >= 0 {
				return nil
			}
			t = u.Elem()
		case *types.Slice:
			if s.Field >= 0 {
				return nil
			}
			t = u.Elem()
		default:
			return nil
		}
	}
	return t
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// memory caches what the memory model computes for one package.
type memory struct {
	res    *Result
	places map[ssa.Value][]Place
	cgoFn  map[*ssa.Function]bool
	pins   map[*ssa.Function]bool
	inits  []*ssa.Function
	depth  int
}

func (r *Result) mem() *memory {
	if r.memo == nil {
		r.memo = &memory{res: r, places: make(map[ssa.Value][]Place),
			cgoFn: make(map[*ssa.Function]bool), pins: make(map[*ssa.Function]bool)}
		if r.Pkg != nil {
			for _, m := range r.Pkg.Members {
				if fn, ok := m.(*ssa.Function); ok && (fn.Name() == "init" || strings.HasPrefix(fn.Name(), "init#")) {
					r.memo.inits = append(r.memo.inits, fn)
				}
			}
			if fn := r.Pkg.Func("init"); fn != nil {
				// User init functions are anonymous members of the
				// package initialiser's callees, not package members.
				for _, b := range fn.Blocks {
					for _, ins := range b.Instrs {
						if c, ok := ins.(*ssa.Call); ok {
							if callee := c.Call.StaticCallee(); callee != nil && callee.Pkg == r.Pkg &&
								strings.HasPrefix(callee.Name(), "init#") {
								r.memo.inits = append(r.memo.inits, callee)
							}
						}
					}
				}
			}
		}
	}
	return r.memo
}

// Places returns the parts of Go memory the pointer (or slice) v may
// point to, found by tracing v to new(T), composite literals, variables,
// make([]T) and package-level variables, through fields, elements,
// slicing and conversions. A root the analysis cannot follow (a
// parameter, a call's result, a load from memory it does not model)
// contributes nothing.
func (r *Result) Places(v ssa.Value) []Place {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Pkg == nil {
		return nil
	}
	return r.mem().placesOf(v, 0)
}

func (m *memory) placesOf(v ssa.Value, depth int) []Place {
	if ps, ok := m.places[v]; ok {
		return ps
	}
	if depth > 16 {
		return nil
	}
	m.places[v] = nil // a cycle contributes nothing
	var out []Place
	for _, root := range flow.Roots(v) {
		switch root := root.(type) {
		case *ssa.Alloc, *ssa.Global, *ssa.MakeSlice:
			out = append(out, Place{Obj: root})
		case *ssa.FreeVar:
			for _, b := range flow.Bindings(root) {
				out = append(out, m.placesOf(b, depth+1)...)
			}
		case *ssa.FieldAddr:
			for _, p := range m.placesOf(root.X, depth+1) {
				out = append(out, Place{p.Obj, p.Path.with(Step{Field: root.Field})})
			}
		case *ssa.IndexAddr:
			idx := int64(-1)
			if c, ok := root.Index.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Int {
				if i, ok := constant.Int64Val(c.Value); ok && startsAtZero(root.X) {
					idx = i
				}
			}
			for _, p := range m.placesOf(root.X, depth+1) {
				out = append(out, Place{p.Obj, p.Path.with(Step{Field: -1, Index: idx})})
			}
		}
	}
	m.places[v] = out
	return out
}

// startsAtZero reports whether indexing x (a pointer to an array, or a
// slice) indexes the underlying array from its start.
func startsAtZero(x ssa.Value) bool {
	if _, ok := x.Type().Underlying().(*types.Pointer); ok {
		return true
	}
	s, ok := x.(*ssa.Slice)
	if !ok {
		return false
	}
	if s.Low != nil {
		c, ok := s.Low.(*ssa.Const)
		if !ok || c.Value == nil || constant.Sign(c.Value) != 0 {
			return false
		}
	}
	return startsAtZero(s.X)
}

// A Held is a value found in Go memory: what a store put at Path inside
// the object of the Place queried.
type Held struct {
	Value ssa.Value       // a pointer, unsafe.Pointer, string, slice, map, chan, func or interface
	Path  Path            // where, from the object
	At    ssa.Instruction // the store, or the copy, that put it there
}

// IsPointerSlot reports whether memory of type t is one word (or header)
// the garbage collector reads as a pointer: a pointer, unsafe.Pointer,
// string, slice, map, channel, func or interface. Integers (uintptr
// included) are not, whatever they were converted from.
func IsPointerSlot(t types.Type) bool {
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return false // depends on the instantiation: not known
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer || u.Info()&types.IsString != 0
	}
	return false
}

// IsAggregate reports whether t is a struct or array type: a value of it
// holds its parts in place.
func IsAggregate(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Struct, *types.Array:
		return true
	}
	return false
}

type holdState struct {
	kills []Path // constant paths a later store overwrote, on this path
	k     string // the kills, printed: the state's identity
}

func (s holdState) key() string { return s.k }

func (s holdState) killed(p Path) bool {
	for _, k := range s.kills {
		if k.surely(p) {
			return true
		}
	}
	return false
}

func (s holdState) kill(p Path) holdState {
	if len(s.kills) >= 16 {
		return s
	}
	return holdState{kills: append(append([]Path(nil), s.kills...), p), k: s.k + p.String() + "|"}
}

// Holds returns the pointer-shaped values that may lie in the memory at pl
// (the place and everything inside it) when site runs: the stores into it
// that reach site along some path on which no later store overwrites them
// and no call the analysis cannot see into might have changed the object.
// Aggregates copied in (a struct or array loaded from another object) are
// looked into. Stores made inside closures the site is in count; the walk
// continues from a closure into the function that made it (see flow.WalkBack).
// For a package-level variable, the stores of the package's initialisers
// count too, unless a call on the way might have changed it.
func (r *Result) Holds(pl Place, site ssa.Instruction) []Held {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Pkg == nil || pl.Obj == nil {
		return nil
	}
	return r.mem().holds(pl, site)
}

func (m *memory) holds(pl Place, site ssa.Instruction) []Held {
	if m.depth > 6 {
		return nil
	}
	m.depth++
	defer func() { m.depth-- }()
	var out []Held
	_, global := pl.Obj.(*ssa.Global)
	add := func(st holdState, ins ssa.Instruction, val ssa.Value, sp Path, must bool) (holdState, bool) {
		if st.killed(sp) {
			return st, true
		}
		keep := func(hs []Held) {
			for _, h := range hs {
				if !st.killed(h.Path) {
					out = append(out, h)
				}
			}
		}
		switch {
		case pl.Path.covers(sp):
			keep(m.expand(val, sp, nil, ins))
			if must && sp.constant() {
				st = st.kill(sp)
			}
		case sp.covers(pl.Path):
			keep(m.expand(val, sp, pl.Path[len(sp):], ins))
			if must && sp.constant() {
				return st, false
			}
		}
		return st, true
	}
	home, _ := pl.Obj.(ssa.Instruction)
	visit := func(ins ssa.Instruction, st holdState) (holdState, bool) {
		if ins == home {
			return st, false
		}
		switch ins := ins.(type) {
		case *ssa.Store:
			places := m.placesOf(ins.Addr, 0)
			must := len(places) == 1
			for _, p := range places {
				if p.Obj != pl.Obj || !storesAs(p, ins.Addr) {
					continue
				}
				var alive bool
				if st, alive = add(st, ins, ins.Val, p.Path, must); !alive {
					return st, false
				}
			}
		case ssa.CallInstruction:
			call := ins.Common()
			if b, ok := call.Value.(*ssa.Builtin); ok && b.Name() == "copy" && len(call.Args) == 2 {
				for _, d := range m.placesOf(call.Args[0], 0) {
					if d.Obj != pl.Obj {
						continue
					}
					sp := d.Path.with(Step{Field: -1, Index: -1})
					if !pl.Path.covers(sp) && !sp.covers(pl.Path) {
						continue
					}
					for _, q := range m.placesOf(call.Args[1], 0) {
						for _, h := range m.holds(q, ins) {
							rest := h.Path[len(q.Path):]
							if len(rest) > 0 {
								rest = rest[1:] // the source element's index
							}
							h.Path = sp.with(rest...)
							if (pl.Path.covers(h.Path) || h.Path.covers(pl.Path)) && !st.killed(h.Path) {
								out = append(out, h)
							}
						}
					}
				}
				return st, true
			}
			if m.mayWrite(ins, pl.Obj, global) {
				return st, false
			}
		}
		return st, true
	}
	top := func(st holdState) {
		if !global {
			return
		}
		for _, fn := range m.inits {
			for _, b := range fn.Blocks {
				for _, ins := range b.Instrs {
					if s, ok := ins.(*ssa.Store); ok {
						places := m.placesOf(s.Addr, 0)
						for _, p := range places {
							if p.Obj == pl.Obj && storesAs(p, s.Addr) {
								add(st, s, s.Val, p.Path, false)
							}
						}
					}
				}
			}
		}
	}
	flow.WalkBack(site, holdState{}, holdState.key, visit, top)
	return out
}

// storesAs reports whether a store through addr writes the place p as the
// type it has: a store through a reinterpreting conversion (other than
// between one-word pointer types) is not followed.
func storesAs(p Place, addr ssa.Value) bool {
	t := p.Type()
	if t == nil {
		return false
	}
	st := deref(addr.Type())
	return types.Identical(t, st) || onePointer(t) && onePointer(st)
}

func onePointer(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Chan, *types.Signature:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	}
	return false
}

// expand returns the pointer-shaped values inside val, stored at sp, that
// lie at sp+rest and below: val itself when it is one, the contents of
// the object an aggregate was loaded from otherwise.
func (m *memory) expand(val ssa.Value, sp, rest Path, at ssa.Instruction) []Held {
	t := val.Type()
	if !IsAggregate(t) {
		if len(rest) == 0 && IsPointerSlot(t) {
			return []Held{{Value: val, Path: sp, At: at}}
		}
		return nil
	}
	load, ok := val.(*ssa.UnOp)
	if !ok || load.Op.String() != "*" {
		// A zero value, or an aggregate from somewhere the analysis
		// does not model (a call, a parameter): nothing known.
		return nil
	}
	var out []Held
	for _, q := range m.placesOf(load.X, 0) {
		q = Place{q.Obj, q.Path.with(rest...)}
		for _, h := range m.holds(q, load) {
			h.Path = sp.with(h.Path[len(q.Path)-len(rest):]...)
			out = append(out, h)
		}
	}
	return out
}

// mayWrite reports whether the call might change the object obj in ways
// the analysis does not see: obj (or a part of it) is among its arguments
// or the variables a closure it calls captures, or, for a package-level
// variable, it calls Go code at all. C calls, cgo's own wrappers and
// checks, runtime.Pinner's methods and pure builtins change nothing.
func (m *memory) mayWrite(ins ssa.CallInstruction, obj ssa.Value, global bool) bool {
	call := ins.Common()
	if a := api.Classify(call); a.WritesNothing() || a.Kind == api.CCall || a.Kind == api.CAlloc {
		// C calls write only C memory: cgo forbids C to store Go
		// pointers into Go memory, and the model tracks Go pointers.
		return false
	}
	if b, ok := call.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "len", "cap", "print", "println", "min", "max", "real", "imag", "complex", "ssa:wrapnilchk", "recover":
			return false
		}
	} else if fn := call.StaticCallee(); fn != nil {
		if fn.Parent() != nil && m.isCgoClosure(fn) {
			return false
		}
		if global {
			return true
		}
	} else if global {
		return true
	}
	args := call.Args
	if mc, ok := call.Value.(*ssa.MakeClosure); ok {
		if len(mc.Bindings) > 0 {
			return true // a closure of this package, capturing variables
		}
	} else if call.IsInvoke() {
		args = append([]ssa.Value{call.Value}, args...)
	}
	for _, a := range args {
		if !mayPoint(a.Type()) {
			continue
		}
		for _, p := range m.placesOf(a, 0) {
			if p.Obj == obj {
				return true
			}
		}
	}
	return false
}

// mayPoint reports whether values of type t can carry an address.
func mayPoint(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Slice, *types.Interface, *types.Signature, *types.Struct, *types.Array, *types.TypeParam:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer || u.Kind() == types.Uintptr
	}
	return false
}

// isCgoClosure reports whether fn is one of the function literals cgo
// wraps C calls in: it calls C and cgo's checks only, and stores only
// into its own variables.
func (m *memory) isCgoClosure(fn *ssa.Function) bool {
	if v, ok := m.cgoFn[fn]; ok {
		return v
	}
	m.cgoFn[fn] = false
	callsC := false
	var ok func(f *ssa.Function) bool
	ok = func(f *ssa.Function) bool {
		for _, b := range f.Blocks {
			for _, ins := range b.Instrs {
				switch ins := ins.(type) {
				case *ssa.Store:
					if a, isAlloc := ins.Addr.(*ssa.Alloc); !isAlloc || a.Parent() != f {
						return false
					}
				case ssa.CallInstruction:
					c := ins.Common()
					if _, isC := cgoshape.CCall(c); isC {
						callsC = true
						continue
					}
					if a := api.Classify(c); a.Kind == api.CgoCheck || a.Kind == api.View {
						continue
					}
					if mc, isMC := c.Value.(*ssa.MakeClosure); isMC {
						if inner, isFn := mc.Fn.(*ssa.Function); isFn && inner.Parent() == f {
							continue
						}
					}
					if v, isCall := c.Value.(*ssa.Call); isCall {
						if mc, isMC := v.Call.Value.(*ssa.MakeClosure); isMC {
							if inner, isFn := mc.Fn.(*ssa.Function); isFn && inner.Parent() == f {
								continue
							}
						}
					}
					return false
				}
			}
		}
		for _, a := range f.AnonFuncs {
			if !ok(a) {
				return false
			}
		}
		return true
	}
	v := ok(fn) && callsC
	m.cgoFn[fn] = v
	return v
}

// Inside returns the pointer-shaped values v carries: v itself when it is
// one (At nil), or, for a struct or array value loaded from Go memory,
// what that memory held when it was loaded (Path from v, At the store).
func (r *Result) Inside(v ssa.Value) []Held {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Pkg == nil {
		return nil
	}
	return r.mem().expand(v, nil, nil, nil)
}
