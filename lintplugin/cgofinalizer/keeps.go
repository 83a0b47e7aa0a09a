package cgofinalizer

import (
	"fmt"
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// KeepsFact records the parameters a function stores in a package-level
// variable (a map, a sync.Map, a field or element of a global), where they
// stay reachable after it returns: a registry such as mattn/go-pointer's
// Save. An object a constructor registers there is never unreachable while
// it is registered, so its finalizer cannot run during a call.
type KeepsFact struct{ Params []int }

func (*KeepsFact) AFact() {}

func (f *KeepsFact) String() string { return fmt.Sprintf("keeps%v", f.Params) }

// maxKeepDepth bounds the same-package calls followed to find a store into
// a global: registries store their argument directly or one helper down.
const maxKeepDepth = 3

// exportKeeps exports a KeepsFact for each of the package's functions that
// keeps a parameter.
func (a *analyzer) exportKeeps() {
	for _, fn := range a.res.SrcFuncs {
		if fn.Parent() != nil || fn.Object() == nil {
			continue
		}
		var params []int
		for i := range fn.Params {
			if a.keeps(fn, i, 0) {
				params = append(params, i)
			}
		}
		if len(params) > 0 {
			a.pass.ExportObjectFact(fn.Object(), &KeepsFact{Params: params})
		}
	}
}

// keeps reports whether fn stores its parameter i in a package-level
// variable on some path: computed for this package's functions, imported
// for others'.
func (a *analyzer) keeps(fn *ssa.Function, i, depth int) bool {
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if fn.Pkg != a.res.Pkg || fn.Blocks == nil {
		var f KeepsFact
		obj := fn.Object()
		return obj != nil && obj.Pkg() != a.pass.Pkg && a.pass.ImportObjectFact(obj, &f) && slices.Contains(f.Params, i)
	}
	key := memoKey{fn, i}
	if k, ok := a.keepMemo[key]; ok {
		return k
	}
	a.keepMemo[key] = false // a recursive call adds nothing
	k := i < len(fn.Params) && depth <= maxKeepDepth && a.storesGlobally(fn, []ssa.Value{fn.Params[i]}, depth)
	a.keepMemo[key] = k
	return k
}

// storesGlobally reports whether fn stores the values roots (or the values
// they flow into) in a package-level variable, directly or through a
// function it hands them to.
func (a *analyzer) storesGlobally(fn *ssa.Function, roots []ssa.Value, depth int) bool {
	vals, _ := objectValues(roots)
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			switch ins := ins.(type) {
			case *ssa.Store:
				if vals[ins.Val] && global(ins.Addr) {
					return true
				}
			case *ssa.MapUpdate:
				if (vals[ins.Key] || vals[ins.Value]) && global(ins.Map) {
					return true
				}
			case ssa.CallInstruction:
				c := ins.Common()
				if api.Classify(c).Kind == api.SyncMap && len(c.Args) == 3 && (vals[c.Args[1]] || vals[c.Args[2]]) && global(c.Args[0]) {
					return true
				}
				callee := c.StaticCallee()
				if callee == nil || c.IsInvoke() {
					continue
				}
				for j, arg := range c.Args {
					if vals[arg] && a.keeps(callee, j, depth+1) {
						return true
					}
				}
			}
		}
	}
	return false
}

// global reports whether the address or map v is, or lies inside, a
// package-level variable.
func global(v ssa.Value) bool {
	for range maxFieldDepth {
		switch x := v.(type) {
		case *ssa.Global:
			return true
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return false
			}
			v = x.X
		default:
			next := flow.StripConversions(v)
			if next == v {
				return false
			}
			v = next
		}
	}
	return false
}

// maxFieldDepth bounds the field, element and load steps from an address
// to the variable it lies in: real code nests a handful.
const maxFieldDepth = 8

// registered reports whether the function that registers reg hands the
// object to a function that keeps it in a package-level variable (see
// KeepsFact), before the registration or on every path that returns: the
// object then stays reachable from the registry, and the finalizer cannot
// run while it is there. It returns the keeping call.
func (a *analyzer) registered(reg *registration) *ssa.Call {
	regCall, fn := lift(reg.call)
	roots := flow.Roots(reg.call.Call.Args[0])
	var found *ssa.Call
	var visit func(f *ssa.Function)
	visit = func(f *ssa.Function) {
		for _, b := range f.Blocks {
			for _, ins := range b.Instrs {
				call, ok := ins.(*ssa.Call)
				if !ok || call.Call.IsInvoke() || found != nil {
					continue
				}
				callee := call.Call.StaticCallee()
				if callee == nil {
					continue
				}
				for j, arg := range call.Call.Args {
					if !slices.ContainsFunc(flow.Roots(arg), func(r ssa.Value) bool { return slices.Contains(roots, r) }) || !a.keeps(callee, j, 0) {
						continue
					}
					// Calls in cgo's wrappers count where the wrapper is called.
					at, _ := lift(call)
					if at.Parent() == fn && (dominates(at, regCall) || onEveryReturn(at)) {
						found = call
					}
				}
			}
		}
		for _, anon := range f.AnonFuncs {
			if flow.ImmediateCall(anon) != nil {
				visit(anon)
			}
		}
	}
	visit(fn)
	return found
}

// dominates reports whether instruction x runs before y on every path to y.
func dominates(x, y ssa.Instruction) bool {
	if x.Block() == y.Block() {
		return slices.Index(x.Block().Instrs, x) < slices.Index(y.Block().Instrs, y)
	}
	return x.Block().Dominates(y.Block())
}

// onEveryReturn reports whether ins runs on every path that returns from
// its function.
func onEveryReturn(ins ssa.Instruction) bool {
	for _, b := range ins.Parent().Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && !ins.Block().Dominates(b) {
			return false
		}
	}
	return true
}
