package csummary

import (
	"maps"
	"math/bits"

	"modernc.org/cc/v4"
)

// The summariser interprets one function body over an abstract state. A
// value (val) is the set of things a C value may be: tracked parameter
// labels, fresh heap objects allocated in the function, local objects whose
// address it holds, a pointer into global or parameter memory, or something
// unknown. Labels are bits: label 2i is parameter i itself, label 2i+1 the
// pointers loaded from the memory parameter i points to (its contents).

const (
	maxParams  = 32 // labels fit in a uint64
	maxSites   = 64 // heap allocation sites per function (a uint64)
	maxObjects = 64 // local objects per function (a uint64)
)

func selfLabel(i int) uint64     { return 1 << (2 * uint(i)) }
func contentsLabel(i int) uint64 { return 1 << (2*uint(i) + 1) }

type rootKind uint8

const (
	rootNone   rootKind = iota
	rootGlobal          // global or static variable
	rootParam           // memory a parameter points to
	rootMulti           // several roots: stores are weak
)

// A root is the named object a pointer points into.
type root struct {
	kind  rootKind
	name  string // variable or parameter name
	param int    // rootParam: 0-based index
	desc  string // rootGlobal: "static g", "global g", "static g in f"
}

type val struct {
	labels  uint64
	heap    uint64
	objs    uint64
	root    root
	path    string // canonical path of the pointee when known exactly; "" otherwise (weak)
	unknown string // may point to memory of unknown origin: why
	fn      string // a function designator
	null    bool   // the constant 0
}

func (v val) empty() bool {
	return v.labels == 0 && v.heap == 0 && v.objs == 0 && v.root.kind == rootNone && v.unknown == "" && v.fn == ""
}

// union joins two values that may both flow to the same place.
func union(a, b val) val {
	if a.empty() && !a.null {
		return b
	}
	if b.empty() && !b.null {
		return a
	}
	r := val{labels: a.labels | b.labels, heap: a.heap | b.heap, objs: a.objs | b.objs, null: a.null && b.null}
	switch {
	case a.root.kind == rootNone:
		r.root, r.path = b.root, b.path
	case b.root.kind == rootNone:
		r.root, r.path = a.root, a.path
	case a.root == b.root:
		r.root = a.root
		if a.path == b.path {
			r.path = a.path
		}
	default:
		r.root = a.root
		r.root.kind = rootMulti
	}
	r.unknown = a.unknown
	if r.unknown == "" {
		r.unknown = b.unknown
	}
	if a.fn == b.fn {
		r.fn = a.fn
	}
	return r
}

// A slot is a place outside the function's frame that currently holds a
// value: a global, parameter memory, or a thread the function started.
type slot struct {
	place Place
	v     val
}

type state struct {
	live   bool
	env    map[*cc.Declarator]val // scalar locals and parameters: strong updates
	objs   map[int]val            // contents of local objects (aggregates, address-taken locals): weak
	heap   map[int]val            // contents of fresh heap objects: weak
	slots  map[string]slot        // by canonical key
	freed  uint64                 // labels freed on every path to here
	mayFr  uint64                 // labels freed on some path to here
	null   uint64                 // labels known NULL on this path
	sfreed uint64                 // heap sites freed on this path
	joined map[string]bool        // thread slots joined (pthread_join)
}

func newState() *state {
	return &state{live: true, env: map[*cc.Declarator]val{}, objs: map[int]val{}, heap: map[int]val{}, slots: map[string]slot{}}
}

func (s *state) clone() *state {
	if !s.live {
		return &state{}
	}
	c := *s
	c.env = maps.Clone(s.env)
	c.objs = maps.Clone(s.objs)
	c.heap = maps.Clone(s.heap)
	c.slots = maps.Clone(s.slots)
	c.joined = maps.Clone(s.joined)
	return &c
}

// join merges o into s (both are states at the same program point).
func (s *state) join(o *state) {
	switch {
	case o == nil || !o.live:
		return
	case !s.live:
		*s = *o.clone()
		return
	}
	for k, v := range o.env {
		s.env[k] = union(s.env[k], v)
	}
	for k, v := range o.objs {
		s.objs[k] = union(s.objs[k], v)
	}
	for k, v := range o.heap {
		s.heap[k] = union(s.heap[k], v)
	}
	for k, v := range o.slots {
		if w, ok := s.slots[k]; ok {
			w.v = union(w.v, v.v)
			s.slots[k] = w
		} else {
			s.slots[k] = v
		}
	}
	// A parameter that is NULL on one side counts as freed there: freeing
	// NULL is nothing to do (if (p) free(p)).
	both := s.null & o.null
	freed := (s.freed|s.null)&(o.freed|o.null)&^both | s.freed&o.freed
	s.mayFr |= o.mayFr | s.freed | o.freed
	s.freed = freed
	s.null = both
	s.sfreed &= o.sfreed
	for k := range s.joined {
		if !o.joined[k] {
			delete(s.joined, k)
		}
	}
}

// equal reports whether joining o into s would change nothing (loops).
func (s *state) equal(o *state) bool {
	if s.live != o.live || s.freed != o.freed || s.mayFr != o.mayFr || s.null != o.null || s.sfreed != o.sfreed {
		return false
	}
	eqVal := func(a, b val) bool { return a == b }
	eqSlot := func(a, b slot) bool { return a.v == b.v }
	return maps.EqualFunc(s.env, o.env, eqVal) && maps.EqualFunc(s.objs, o.objs, eqVal) &&
		maps.EqualFunc(s.heap, o.heap, eqVal) && maps.EqualFunc(s.slots, o.slots, eqSlot) &&
		maps.Equal(s.joined, o.joined)
}

// contentsOf returns everything reachable from v through local and heap
// objects (v itself included), with the heap sites and objects visited.
func (s *state) reach(v val) val {
	r := v
	for {
		before := r
		for m := r.objs; m != 0; m &= m - 1 {
			r = union(r, s.objs[bits.TrailingZeros64(m)])
		}
		for m := r.heap; m != 0; m &= m - 1 {
			r = union(r, s.heap[bits.TrailingZeros64(m)])
		}
		if r.labels == before.labels && r.heap == before.heap && r.objs == before.objs {
			return r
		}
	}
}
