package lifetime

import (
	"slices"

	"golang.org/x/tools/go/ssa"
)

// A frame is a function body the engine runs: the analysed function, or a
// closure run inline within it.
type frame struct {
	fn     *ssa.Function
	parent *frame
	// env binds fn's free variables to values of parent.fn.
	env []ssa.Value
	// site is the instruction of parent.fn at which the body runs; cells
	// of the parent read by the body hold what they hold there.
	site ssa.Instruction
	// defer_ is the defer statement of a body that runs deferred.
	defer_ *ssa.Defer
	depth  int
}

// maxDepth bounds the nesting of closures run inline.
const maxDepth = 8

func (f *frame) child(fn *ssa.Function, env []ssa.Value, site ssa.Instruction) *frame {
	return &frame{fn: fn, parent: f, env: env, site: site, defer_: f.defer_, depth: f.depth + 1}
}

// bind returns the value fv is bound to, in the parent frame.
func (f *frame) bind(fv *ssa.FreeVar) (ssa.Value, *frame, bool) {
	if f.parent == nil || fv.Parent() != f.fn {
		return nil, nil, false
	}
	i := slices.Index(f.fn.FreeVars, fv)
	if i < 0 || i >= len(f.env) {
		return nil, nil, false
	}
	return f.env[i], f.parent, true
}

// tameInfo says how far the engine can follow a variable.
type tameInfo struct {
	// tracked: every assignment to the variable is a store in its own
	// function, and its address goes nowhere else: it is read directly,
	// through fields, by closures that only read it, or joined in a phi
	// of such variables. The stores the engine sees are all there are.
	tracked bool
	// plain: tracked, and never joined in a phi, so the stores through
	// the variable's own address are all its stores (what content needs).
	plain bool
}

// tameness computes tameInfo for an *ssa.Alloc or an *ssa.Phi of them,
// for all the variables joined by phis at once.
func (e *engine) tameness(v ssa.Value) tameInfo {
	if t, ok := e.tameMemo[v]; ok {
		return t
	}
	// The component: variables and the phis that join them.
	comp := []ssa.Value{v}
	in := map[ssa.Value]bool{v: true}
	tracked := true
	for i := 0; i < len(comp) && len(comp) <= 64; i++ {
		x := comp[i]
		add := func(y ssa.Value) {
			if !in[y] {
				in[y] = true
				comp = append(comp, y)
			}
		}
		if phi, ok := x.(*ssa.Phi); ok {
			for _, ed := range phi.Edges {
				switch ed.(type) {
				case *ssa.Alloc, *ssa.Phi:
					add(ed)
				default:
					tracked = false
				}
			}
		}
		if refs := x.Referrers(); refs != nil {
			for _, r := range *refs {
				if phi, ok := r.(*ssa.Phi); ok {
					add(phi)
				}
			}
		}
	}
	if len(comp) > 64 {
		tracked = false
	}
	viaPhi := make(map[ssa.Value]bool)
	for _, x := range comp {
		var p bool
		if !tameRefs(x, true, 0, &p) {
			tracked = false
		}
		viaPhi[x] = p
	}
	for _, x := range comp {
		_, isAlloc := x.(*ssa.Alloc)
		e.tameMemo[x] = tameInfo{tracked: tracked, plain: tracked && isAlloc && !viaPhi[x]}
	}
	return e.tameMemo[v]
}

// tameRefs checks the uses of a variable's address v; stores are allowed
// only in the variable's own function (own).
func tameRefs(v ssa.Value, own bool, depth int, viaPhi *bool) bool {
	if depth > maxDepth {
		return false
	}
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.UnOp:
			// A load (the only unary operation on an address).
		case *ssa.Store:
			if r.Val == v || !own {
				return false
			}
		case *ssa.FieldAddr:
			if !tameRefs(r, own, depth+1, viaPhi) {
				return false
			}
		case *ssa.Phi:
			// Joined with other variables: checked as one component.
			if !own {
				return false
			}
			*viaPhi = true
		case *ssa.MakeClosure:
			// A closure that only reads the variable cannot change
			// it, wherever it runs.
			fn, ok := r.Fn.(*ssa.Function)
			if !ok {
				return false
			}
			for i, b := range r.Bindings {
				if b == v && i < len(fn.FreeVars) && !tameRefs(fn.FreeVars[i], false, depth+1, viaPhi) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}
