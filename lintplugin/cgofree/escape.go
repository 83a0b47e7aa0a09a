package cgofree

import (
	"cmp"
	"fmt"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
	"github.com/cgoguard/cgoguard/lintplugin/internal/lifetime"
)

// checkEscape reports a deferred free of memory that outlives the
// function: returned (directly, or inside something returned), or stored
// where the caller or other code keeps it (a field or element of a
// parameter, a package variable, a captured variable). The defer frees it
// when the function returns, so whoever gets it holds freed memory. Loops
// are the usual place (defer C.free(cs) frees every iteration's cs only at
// the end); a helper that returns what it deferred a free of is the other.
//
// It returns the escape as a finding, which the caller reports; several
// deferred frees of one function that escape are one defect, reported
// once (see reportEscapes).
func (c *checker) checkEscape(fn *ssa.Function, rel lifetime.Released) *escape {
	d := rel.Defer
	if d.Block() == nil {
		return nil
	}
	after := reachable(d.Block())
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			var how string
			switch ins := ins.(type) {
			case *ssa.Return:
				if !after[b] {
					continue
				}
				for _, v := range ins.Results {
					if contains(fn, v, rel.Root, 0) {
						how = "returned"
						break
					}
				}
			case *ssa.Store:
				if !after[b] && !reachable(b)[d.Block()] {
					continue
				}
				if outlives(ins.Addr) && contains(fn, ins.Val, rel.Root, 0) {
					how = "stored where it outlives the call"
				}
			case *ssa.MapUpdate:
				if !after[b] && !reachable(b)[d.Block()] {
					continue
				}
				if outlives(ins.Map) && (contains(fn, ins.Value, rel.Root, 0) || contains(fn, ins.Key, rel.Root, 0)) {
					how = "stored in a map that outlives the call"
				}
			}
			if how == "" {
				continue
			}
			pos := ins.Pos()
			if !pos.IsValid() {
				pos = rel.Pos
			}
			name := rel.Name
			if name == "" {
				name = "the memory"
			}
			return &escape{rel: rel, name: name, how: how, at: pos}
		}
	}
	return nil
}

// An escape is a deferred free of memory that outlives the function.
type escape struct {
	rel  lifetime.Released
	name string
	how  string    // "returned", "stored where it outlives the call"
	at   token.Pos // where it escapes
}

// reportEscapes reports a function's escapes as one finding: the first,
// naming the others, with every free and escape as related positions.
func (c *checker) reportEscapes(es []*escape) {
	if len(es) == 0 {
		return
	}
	slices.SortFunc(es, func(a, b *escape) int { return cmp.Compare(a.rel.Defer.Pos(), b.rel.Defer.Pos()) })
	first := es[0]
	var related []analysis.RelatedInformation
	var others []string
	for i, e := range es {
		related = append(related, analysis.RelatedInformation{Pos: e.at, Message: e.name + " " + e.how + " here"})
		if i > 0 {
			others = append(others, e.name)
			related = append(related, analysis.RelatedInformation{Pos: e.rel.Defer.Pos(), Message: e.name + " " + deferredFree(e.rel.What) + " here"})
		}
	}
	also := ""
	if len(others) > 0 {
		also = fmt.Sprintf(" (and so are %s, freed the same way)", strings.Join(others, ", "))
	}
	c.r.Report(analysis.Diagnostic{Pos: first.rel.Defer.Pos(), Related: related,
		Message: fmt.Sprintf("%s %s when the function returns, but it is %s%s: "+
			"whoever gets it holds freed memory; free it where it is last used (the caller, or the end of each iteration) instead of deferring here",
			first.name, deferredFree(first.rel.What), first.how, also)})
}

func reachable(from *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	seen := map[*ssa.BasicBlock]bool{from: true}
	work := []*ssa.BasicBlock{from}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, s := range b.Succs {
			if !seen[s] {
				seen[s] = true
				work = append(work, s)
			}
		}
	}
	return seen
}

// outlives reports whether addr is memory that outlives the call: a field
// or element of what a parameter points to, of a package variable, or of a
// variable the function (a closure) captured, or of an object reached
// from them.
func outlives(addr ssa.Value) bool {
	for range 8 {
		switch a := addr.(type) {
		case *ssa.FieldAddr:
			addr = a.X
			continue
		case *ssa.IndexAddr:
			addr = a.X
			continue
		case *ssa.Global, *ssa.FreeVar:
			return true
		case *ssa.Alloc:
			return false
		case *ssa.UnOp:
			// A pointer, slice or map read out of memory that
			// outlives the call points to such memory too.
			if a.Op == token.MUL && outlives(a.X) {
				return true
			}
		}
		break
	}
	roots := flow.Roots(addr)
	for _, r := range roots {
		switch r.(type) {
		case *ssa.Parameter, *ssa.Global, *ssa.FreeVar:
		default:
			return false
		}
	}
	return len(roots) > 0
}

// contains reports whether the value v is root, or holds it: in a field or
// element of an object or slice built in fn, or appended to a slice.
func contains(fn *ssa.Function, v, root ssa.Value, depth int) bool {
	if depth > 4 || v == nil {
		return false
	}
	roots := flow.Roots(v)
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if a, ok := ld.X.(*ssa.Alloc); ok {
			roots = append(roots, a) // a struct or array variable read whole
		}
	}
	for _, r := range roots {
		if r == root {
			return true
		}
		if call, ok := r.(*ssa.Call); ok {
			if b, ok := call.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" && len(call.Call.Args) == 2 {
				// append(s, xs...) holds what s holds and the
				// elements of xs, copied: not xs's own memory.
				if contains(fn, call.Call.Args[0], root, depth+1) || elemsContain(fn, call.Call.Args[1], root, depth+1) {
					return true
				}
				continue
			}
		}
		switch r.(type) {
		case *ssa.Alloc, *ssa.MakeSlice, *ssa.Call:
			for _, st := range storesInto(fn, r) {
				if contains(fn, st.Val, root, depth+1) {
					return true
				}
			}
		}
	}
	return false
}

// elemsContain reports whether an element of the slice v holds root, for
// a slice built in fn (a variadic call's implicit slice, a literal).
func elemsContain(fn *ssa.Function, v, root ssa.Value, depth int) bool {
	for _, r := range flow.Roots(v) {
		switch r.(type) {
		case *ssa.Alloc, *ssa.MakeSlice:
			for _, st := range storesInto(fn, r) {
				if contains(fn, st.Val, root, depth) {
					return true
				}
			}
		}
	}
	return false
}

// storesInto returns the stores in fn into fields and elements of the
// object obj.
func storesInto(fn *ssa.Function, obj ssa.Value) []*ssa.Store {
	var out []*ssa.Store
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			st, ok := ins.(*ssa.Store)
			if !ok {
				continue
			}
			addr := st.Addr
			inside := false
			for {
				if fa, ok := addr.(*ssa.FieldAddr); ok {
					addr, inside = fa.X, true
					continue
				}
				if ia, ok := addr.(*ssa.IndexAddr); ok {
					addr, inside = ia.X, true
					continue
				}
				break
			}
			if !inside {
				continue
			}
			if addr == obj {
				out = append(out, st)
				continue
			}
			for _, r := range flow.Roots(addr) {
				if r == obj {
					out = append(out, st)
					break
				}
			}
		}
	}
	return out
}

// deferredFree words a deferred release: "freed by C.free" becomes
// "freed by the deferred C.free".
func deferredFree(what string) string {
	if w, ok := strings.CutPrefix(what, "freed by "); ok {
		return "freed by the deferred " + w
	}
	return what
}
