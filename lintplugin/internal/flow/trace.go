package flow

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Roots returns where v comes from: the values left after looking through
// conversions (pointer, unsafe.Pointer, uintptr and integer kinds),
// interfaces, type assertions, phis, cgo's _Cgo_ptr, unsafe.Add /
// SliceData / StringData, and loads of local variables (including variables
// captured by closures, which is how cgo's generated wrappers see the user's
// arguments) back to the stores that reach the load.
//
// A root is typically an *ssa.Alloc or *ssa.FreeVar (the address of a
// variable), *ssa.FieldAddr, *ssa.IndexAddr, *ssa.Global, *ssa.Parameter, a
// call, a constant, or a load from memory the tracer does not model.
func Roots(v ssa.Value) []ssa.Value {
	t := tracer{seen: make(map[ssa.Value]bool)}
	t.walk(v)
	return t.roots
}

// Contents returns the roots of what the variable cell at root holds when
// site executes, if root is the address of a local variable (an Alloc, or a
// FreeVar bound to one). ok is false when root is not such a cell.
func Contents(root ssa.Value, site ssa.Instruction) (roots []ssa.Value, ok bool) {
	t := tracer{seen: make(map[ssa.Value]bool)}
	return t.roots, t.walkCell(root, nil, site, nil)
}

type tracer struct {
	seen  map[ssa.Value]bool
	roots []ssa.Value
	depth int
	// from records, when tracing for an explanation, the value each
	// value was reached from, and the store that carried it there.
	from map[ssa.Value]link
}

type link struct {
	v     ssa.Value
	store *ssa.Store
}

// to walks next, reached from v (through store, if any).
func (t *tracer) to(next, v ssa.Value, store *ssa.Store) {
	if t.from != nil && !t.seen[next] {
		t.from[next] = link{v, store}
	}
	t.walk(next)
}

// maxDepth bounds the walk through nested closures and stores; deeper
// chains are left untraced (the analysis stays silent on them).
const maxDepth = 64

func (t *tracer) add(v ssa.Value) { t.roots = append(t.roots, v) }

func (t *tracer) walk(v ssa.Value) {
	if v == nil || t.seen[v] {
		return
	}
	t.seen[v] = true
	t.depth++
	defer func() { t.depth-- }()
	if t.depth > maxDepth {
		return
	}
	if next, ok := through(v); ok {
		t.to(next, v, nil)
		return
	}
	switch v := v.(type) {
	case *ssa.Phi:
		for _, e := range v.Edges {
			t.to(e, v, nil)
		}
	case *ssa.UnOp:
		if v.Op == token.MUL && t.walkCell(stripPointerConversions(v.X), v, v, v) {
			return
		}
		t.add(v)
	default:
		t.add(v)
	}
}

// walkCell follows a load (or a contents query) of the variable addressed by
// addr back to the stores that reach site. load is the loading instruction
// (nil for a contents query, which accepts any element type). It reports
// false when addr is not a local variable cell.
func (t *tracer) walkCell(addr ssa.Value, load *ssa.UnOp, site ssa.Instruction, from ssa.Value) bool {
	c, ok := cellOf(addr)
	if !ok {
		return false
	}
	if load != nil && !sameShape(load.Type(), c.typ()) {
		// A reinterpreting load (e.g. reading a uintptr field out of a
		// struct variable) reads only part of what was stored.
		return false
	}
	var all []reachingStore
	for _, b := range c.bindings(site) {
		stores, ok := reachingStores(b.cell, b.site)
		if !ok {
			return false // a call may have written it: what it holds is unknown
		}
		all = append(all, stores...)
	}
	for _, st := range all {
		if st.rest == nil {
			t.to(st.store.Val, from, st.store)
			continue
		}
		// A whole-struct store (typically of a composite literal)
		// covering the field we load: continue in the stored value.
		if src, ok := st.store.Val.(*ssa.UnOp); ok && src.Op == token.MUL {
			if inner, ok := cellOf(src.X); ok {
				inner.path = append(append([]int(nil), inner.path...), st.rest...)
				stores, ok := reachingStores(inner, src)
				if !ok {
					continue
				}
				for _, s2 := range stores {
					if s2.rest == nil {
						t.to(s2.store.Val, from, s2.store)
					}
				}
			}
		}
	}
	// A variable no store reaches holds its zero value: no roots.
	return true
}

// sameShape reports whether a load of type load from a cell of type cell
// reads the whole stored value: identical types, or both single pointer-
// shaped words (a map or pointer read back as unsafe.Pointer).
func sameShape(load, cell types.Type) bool {
	if types.Identical(load, cell) {
		return true
	}
	return pointerShaped(load) && pointerShaped(cell)
}

func pointerShaped(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Chan, *types.Signature:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer || u.Kind() == types.Uintptr
	}
	return false
}

// stripPointerConversions looks through conversions between pointer types
// and unsafe.Pointer, so that *(*unsafe.Pointer)(unsafe.Pointer(&v)) is
// seen as a load of v (subject to sameShape).
func stripPointerConversions(v ssa.Value) ssa.Value {
	for {
		switch c := v.(type) {
		case *ssa.Convert:
			if !IsPointer(c.X.Type()) || !IsPointer(c.Type()) {
				return v
			}
			v = c.X
		case *ssa.ChangeType:
			v = c.X
		default:
			return v
		}
	}
}

// IsPointer reports whether t is a pointer type or unsafe.Pointer: a word
// the garbage collector follows (a uintptr is a number to it).
func IsPointer(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	}
	return false
}
