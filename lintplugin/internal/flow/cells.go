package flow

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
)

// A cell is a local variable, or a field path inside one, addressed either
// directly (an Alloc in the same function) or through a closure's free
// variable, which is how code in cgo's generated wrappers reads the
// variables the user passed.
type cell struct {
	alloc *ssa.Alloc
	fv    *ssa.FreeVar
	path  []int // field indices from the variable to the cell
}

func cellOf(addr ssa.Value) (cell, bool) {
	switch a := addr.(type) {
	case *ssa.Alloc:
		return cell{alloc: a}, true
	case *ssa.FreeVar:
		if _, ok := a.Type().Underlying().(*types.Pointer); !ok || a.Parent().Parent() == nil {
			// A captured value (a bound method's receiver), not a variable.
			return cell{}, false
		}
		return cell{fv: a}, true
	case *ssa.FieldAddr:
		c, ok := cellOf(a.X)
		if !ok {
			return cell{}, false
		}
		c.path = append(slices.Clone(c.path), a.Field)
		return c, true
	}
	return cell{}, false
}

// typ is the type of the value the cell holds.
func (c cell) typ() types.Type {
	var ptr types.Type
	if c.alloc != nil {
		ptr = c.alloc.Type()
	} else {
		ptr = c.fv.Type()
	}
	p, ok := ptr.Underlying().(*types.Pointer)
	if !ok {
		return ptr
	}
	t := p.Elem()
	for _, f := range c.path {
		st, ok := t.Underlying().(*types.Struct)
		if !ok || f >= st.NumFields() {
			return t
		}
		t = st.Field(f).Type()
	}
	return t
}

// binding is a cell resolved to an Alloc, and the instruction of the
// Alloc's function at which its contents matter.
type binding struct {
	cell cell
	site ssa.Instruction
}

// bindings resolves a cell addressed through free variables to the
// variable in the enclosing function, at each place the closure is made.
// (For cgo's immediately invoked wrappers that is where the call happens.)
func (c cell) bindings(site ssa.Instruction) []binding {
	if c.alloc != nil {
		return []binding{{c, site}}
	}
	fn := c.fv.Parent()
	idx := slices.Index(fn.FreeVars, c.fv)
	parent := fn.Parent()
	if idx < 0 || parent == nil {
		return nil
	}
	var out []binding
	for _, b := range parent.Blocks {
		for _, ins := range b.Instrs {
			mc, ok := ins.(*ssa.MakeClosure)
			if !ok || mc.Fn != fn || idx >= len(mc.Bindings) {
				continue
			}
			outer, ok := cellOf(mc.Bindings[idx])
			if !ok {
				continue
			}
			outer.path = append(slices.Clone(outer.path), c.path...)
			out = append(out, outer.bindings(mc)...)
		}
	}
	return out
}

// reachingStore is a store that may provide the value of a cell at a site.
// rest is non-nil when the store wrote an enclosing struct: the cell is the
// field path rest inside the stored value.
type reachingStore struct {
	store *ssa.Store
	rest  []int
}

// reachingStores walks backwards from site to the stores into c that reach
// it on some path. A path that reaches the Alloc itself contributes the
// zero value, which is nothing to report. ok is false when some path
// passes a call that may write the variable through its address (f(&v),
// C.f(&v), a closure that assigns it): what the variable holds is then
// unknown, and callers stay silent about it.
func reachingStores(c cell, site ssa.Instruction) (out []reachingStore, ok bool) {
	if c.alloc == nil || site.Block() == nil {
		return nil, true
	}
	ok = true
	visited := make(map[*ssa.BasicBlock]bool)
	var visit func(b *ssa.BasicBlock, from int)
	visit = func(b *ssa.BasicBlock, from int) {
		for i := from - 1; i >= 0; i-- {
			ins := b.Instrs[i]
			if ins == c.alloc {
				return
			}
			if writesThrough(ins, c.alloc) {
				ok = false
				return
			}
			st, isStore := ins.(*ssa.Store)
			if !isStore {
				continue
			}
			sc, isCell := cellOf(st.Addr)
			if !isCell || sc.alloc != c.alloc {
				continue
			}
			switch {
			case slices.Equal(sc.path, c.path):
				out = append(out, reachingStore{st, nil})
				return
			case len(sc.path) < len(c.path) && slices.Equal(sc.path, c.path[:len(sc.path)]):
				out = append(out, reachingStore{st, c.path[len(sc.path):]})
				return
			}
		}
		for _, p := range b.Preds {
			if !visited[p] {
				visited[p] = true
				visit(p, len(p.Instrs))
			}
		}
	}
	b := site.Block()
	visit(b, slices.Index(b.Instrs, site))
	return out, ok
}

// writesThrough reports whether ins is a call that may write the variable
// alloc through its address: the address (or a field's or element's) is an
// argument, or the called closure captured the variable and assigns it or
// passes its address on (cgo's closure for C.f(&v) does; the one for
// C.f(v) only reads v).
func writesThrough(ins ssa.Instruction, alloc *ssa.Alloc) bool {
	call, ok := ins.(ssa.CallInstruction)
	if !ok || api.Classify(call.Common()).Kind == api.CgoCheck {
		return false
	}
	common := call.Common()
	for _, a := range common.Args {
		if addressOf(a, alloc) {
			return true
		}
	}
	if mc, ok := common.Value.(*ssa.MakeClosure); ok {
		return closureWrites(mc, alloc, 0)
	}
	return false
}

// closureWrites reports whether the closure mc captured alloc and its body
// (or a closure it makes) assigns the variable or lets its address go.
func closureWrites(mc *ssa.MakeClosure, alloc *ssa.Alloc, depth int) bool {
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok || depth > 4 {
		return false
	}
	for i, b := range mc.Bindings {
		if i < len(fn.FreeVars) && addressOf(b, alloc) && addressLeaks(fn.FreeVars[i], alloc, depth) {
			return true
		}
	}
	return false
}

// addressLeaks reports whether the captured address fv is used other than
// to load the variable: stored through, passed on, converted.
func addressLeaks(addr ssa.Value, alloc *ssa.Alloc, depth int) bool {
	refs := addr.Referrers()
	if refs == nil {
		return false
	}
	for _, ref := range *refs {
		switch r := ref.(type) {
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return true
			}
		case *ssa.FieldAddr:
			if addressLeaks(r, alloc, depth) {
				return true
			}
		case *ssa.IndexAddr:
			if addressLeaks(r, alloc, depth) {
				return true
			}
		case *ssa.MakeClosure:
			if closureWrites(r, alloc, depth+1) {
				return true
			}
		case *ssa.DebugRef:
		default: // a store through it, or the address itself going somewhere
			return true
		}
	}
	return false
}

// addressOf reports whether v is the address of alloc or of a field or
// element inside it, looking through conversions only: following loads
// here would recurse into the very walk that asks.
func addressOf(v ssa.Value, alloc *ssa.Alloc) bool {
	for range 16 {
		switch a := StripConversions(v).(type) {
		case *ssa.FieldAddr:
			v = a.X
		case *ssa.IndexAddr:
			v = a.X
		default:
			return a == alloc
		}
	}
	return false
}

// ElemValues returns the values stored into the elements of a slice built
// locally from an array (a variadic call's implicit slice, or a slice
// literal), and whether v is such a slice.
func ElemValues(v ssa.Value) ([]ssa.Value, bool) {
	var out []ssa.Value
	any := false
	for _, r := range Roots(v) {
		arr, ok := r.(*ssa.Alloc)
		if !ok {
			continue
		}
		any = true
		for _, ref := range *arr.Referrers() {
			ia, ok := ref.(*ssa.IndexAddr)
			if !ok {
				continue
			}
			for _, ref2 := range *ia.Referrers() {
				if st, ok := ref2.(*ssa.Store); ok && st.Addr == ia {
					out = append(out, st.Val)
				}
			}
		}
	}
	return out, any
}
