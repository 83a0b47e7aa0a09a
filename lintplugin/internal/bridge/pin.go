package bridge

import (
	"fmt"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// objects returns what identifies the memory v points to: the objects of
// its places, or its roots where it has none (a call's result, a
// parameter).
func (m *memory) objects(v ssa.Value) []ssa.Value {
	var out []ssa.Value
	for _, root := range flow.Roots(v) {
		ps := m.placesOf(root, 0)
		for _, p := range ps {
			out = append(out, p.Obj)
		}
		if len(ps) > 0 {
			continue
		}
		// An address inside memory the analysis does not model (a
		// []byte(s) conversion, a call's result): the object is what
		// its base comes from.
		switch r := root.(type) {
		case *ssa.FieldAddr:
			out = append(out, m.objects(r.X)...)
		case *ssa.IndexAddr:
			out = append(out, m.objects(r.X)...)
		default:
			out = append(out, root)
		}
	}
	return out
}

type pinState struct {
	unpinned []ssa.Value // pinners whose Unpin runs later on this path
}

func (s pinState) key() string {
	k := ""
	for _, p := range s.unpinned {
		k += fmt.Sprintf("%p,", p)
	}
	return k
}

// Pinned reports whether the memory v points to may be pinned when site
// runs: a runtime.Pinner (or the guard's) pinned it on some path to site
// and was not unpinned since, or a function of this package that pins
// was handed it. Pinning is what makes a Go pointer legal in C memory and
// in memory passed to C; when unsure, Pinned says yes.
func (r *Result) Pinned(v ssa.Value, site ssa.Instruction) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Pkg == nil {
		return false
	}
	m := r.mem()
	objs := m.objects(v)
	if len(objs) == 0 {
		return false
	}
	hits := func(x ssa.Value) bool {
		for _, o := range m.objects(x) {
			if slices.Contains(objs, o) {
				return true
			}
		}
		return false
	}
	pinned := false
	visit := func(ins ssa.Instruction, st pinState) (pinState, bool) {
		call, ok := ins.(*ssa.Call)
		if !ok {
			return st, true
		}
		fn := call.Call.StaticCallee()
		if fn == nil {
			return st, true
		}
		args := call.Call.Args
		switch {
		case api.Classify(&call.Call).Kind == api.PinnerUnpin && len(args) == 1:
			if ps := m.placesOf(args[0], 0); len(ps) == 1 {
				st = pinState{unpinned: append(slices.Clone(st.unpinned), ps[0].Obj)}
			}
		case api.Classify(&call.Call).Kind == api.PinnerPin && len(args) == 2:
			if hits(args[1]) {
				for _, p := range m.placesOf(args[0], 0) {
					if slices.Contains(st.unpinned, p.Obj) {
						return st, true
					}
				}
				pinned = true
				return st, false
			}
		case fn.Pkg == r.Pkg && m.pinsSomething(fn):
			for _, a := range args {
				if hits(a) {
					pinned = true
					return st, false
				}
			}
		}
		return st, true
	}
	flow.WalkBack(site, pinState{}, pinState.key, visit, func(pinState) {})
	return pinned
}

// pinsSomething reports whether fn (or a function literal in it) calls a
// Pinner's Pin.
func (m *memory) pinsSomething(fn *ssa.Function) bool {
	if v, ok := m.pins[fn]; ok {
		return v
	}
	m.pins[fn] = false
	var found bool
	var scan func(f *ssa.Function)
	scan = func(f *ssa.Function) {
		for _, b := range f.Blocks {
			for _, ins := range b.Instrs {
				if c, ok := ins.(ssa.CallInstruction); ok {
					if api.Classify(c.Common()).Kind == api.PinnerPin {
						found = true
					}
				}
			}
		}
		for _, a := range f.AnonFuncs {
			scan(a)
		}
	}
	scan(fn)
	m.pins[fn] = found
	return found
}
