package flow

import (
	"slices"

	"golang.org/x/tools/go/ssa"
)

// The closures cmd/cgo and users write to be run on the spot: cgo wraps
// every C call with pointer arguments in an immediately invoked closure,
// and `defer C.f(x)` in one that returns the closure deferred. This file is
// the one place that recognises them.

// InlineCallee returns the closure a call runs and its bindings, when the
// closure is made right there for this one call (cgo's wrappers, or
// func(){...}()): such a body can be run inline.
func InlineCallee(call *ssa.CallCommon) (*ssa.Function, []ssa.Value, bool) {
	if call.IsInvoke() {
		return nil, nil, false
	}
	switch v := call.Value.(type) {
	case *ssa.MakeClosure:
		fn, ok := v.Fn.(*ssa.Function)
		if !ok || !CalledOnTheSpot(v) || len(fn.Blocks) == 0 {
			return nil, nil, false
		}
		return fn, v.Bindings, true
	case *ssa.Function:
		if v.Parent() != nil && len(v.FreeVars) == 0 && len(v.Blocks) > 0 {
			return v, nil, true
		}
	}
	return nil, nil, false
}

// CalledOnTheSpot reports whether the closure mc is used only as the
// function of one call or defer statement, where it is made (cgo's
// wrappers, func(){...}()): such a body can be analysed inline.
func CalledOnTheSpot(mc *ssa.MakeClosure) bool {
	n := 0
	for _, r := range *mc.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
			continue
		case *ssa.Call:
			if r.Call.Value != mc || slices.Contains(r.Call.Args, ssa.Value(mc)) {
				return false
			}
		case *ssa.Defer:
			if r.Call.Value != mc || slices.Contains(r.Call.Args, ssa.Value(mc)) {
				return false
			}
		default:
			return false
		}
		n++
	}
	return n == 1
}

// ReturnedClosure returns the closure every return of fn yields, if it is
// one made in fn (cgo's `defer C.f(x)`: an invoked closure evaluates the
// arguments and returns the closure that is deferred).
func ReturnedClosure(fn *ssa.Function) *ssa.MakeClosure {
	var found *ssa.MakeClosure
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		if len(ret.Results) != 1 {
			return nil
		}
		mc, ok := ret.Results[0].(*ssa.MakeClosure)
		if !ok || (found != nil && mc != found) {
			return nil
		}
		found = mc
	}
	return found
}

// RunsInline reports whether fn is a function literal that the analyses run
// inline wherever it is used (every closure of it is called or deferred
// where it is made), so that analysing it on its own adds nothing.
func RunsInline(fn *ssa.Function) bool {
	parent := fn.Parent()
	if parent == nil {
		return false
	}
	n := 0
	for _, b := range parent.Blocks {
		for _, ins := range b.Instrs {
			switch ins := ins.(type) {
			case *ssa.MakeClosure:
				if ins.Fn == fn {
					if !CalledOnTheSpot(ins) {
						return false
					}
					n++
				}
			case ssa.CallInstruction:
				if ins.Common().Value == fn {
					n++
				}
			}
		}
	}
	return n > 0
}

// Lift maps an instruction inside function literals run on the spot (cgo
// wraps most C calls in one) to the call of the outermost such literal, in
// the function that wrote the code: that call is where the user's C call
// happens.
func Lift(ins ssa.Instruction) ssa.Instruction {
	for fn := ins.Parent(); fn != nil && fn.Parent() != nil; fn = ins.Parent() {
		call := ImmediateCall(fn)
		if call == nil {
			return ins
		}
		ins = call
	}
	return ins
}

// ImmediateCall returns the one call of the function literal fn in its
// parent, when that is the literal's only use.
func ImmediateCall(fn *ssa.Function) *ssa.Call {
	parent := fn.Parent()
	if parent == nil {
		return nil
	}
	var val ssa.Value = fn
	for _, b := range parent.Blocks {
		for _, ins := range b.Instrs {
			if mc, ok := ins.(*ssa.MakeClosure); ok && mc.Fn == fn {
				val = mc
			}
		}
	}
	var found *ssa.Call
	uses := 0
	for _, b := range parent.Blocks {
		for _, ins := range b.Instrs {
			for _, op := range ins.Operands(nil) {
				if *op != val {
					continue
				}
				uses++
				if call, ok := ins.(*ssa.Call); ok && call.Call.Value == val {
					found = call
				}
			}
		}
	}
	if uses != 1 {
		return nil
	}
	return found
}

// Bindings returns the values bound to the free variable fv where its
// closure is made.
func Bindings(fv *ssa.FreeVar) []ssa.Value {
	fn := fv.Parent()
	idx := slices.Index(fn.FreeVars, fv)
	var out []ssa.Value
	for _, mc := range ClosuresOf(fn) {
		if idx >= 0 && idx < len(mc.Bindings) {
			out = append(out, mc.Bindings[idx])
		}
	}
	return out
}

// CallsInOrder returns the calls of fn (and of the closures it runs on the
// spot, cgo's wrappers) that keep says matter, along a chain where each
// runs before the next on every path (it dominates it): a call in a branch
// or a loop that does not lie on that chain is left out. Callers use it
// for straight-line reasoning ("this C call, then that Delete, then").
// Deferred calls are not in it: they run at the returns.
func CallsInOrder(fn *ssa.Function, keep func(ssa.CallInstruction) bool) []ssa.CallInstruction {
	var out []ssa.CallInstruction
	var visit func(f *ssa.Function)
	visit = func(f *ssa.Function) {
		for _, b := range f.DomPreorder() {
			for _, ins := range b.Instrs {
				ci, ok := ins.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if _, deferred := ci.(*ssa.Defer); deferred {
					continue
				}
				if mc, ok := ci.Common().Value.(*ssa.MakeClosure); ok {
					if inner, ok := mc.Fn.(*ssa.Function); ok && inner.Parent() == f {
						visit(inner)
						continue
					}
				}
				if keep(ci) {
					out = append(out, ci)
				}
			}
		}
	}
	visit(fn)
	var chain []ssa.CallInstruction
	for _, ci := range out {
		if len(chain) == 0 || Dominates(chain[len(chain)-1], ci) {
			chain = append(chain, ci)
		}
	}
	return chain
}

// Dominates reports whether a runs before b on every path to b, looking
// through cgo's wrappers to the calls that run them.
func Dominates(a, b ssa.Instruction) bool {
	a, b = Lift(a), Lift(b)
	if a.Parent() != b.Parent() {
		return false
	}
	if a.Block() == b.Block() {
		return slices.Index(a.Block().Instrs, a) < slices.Index(b.Block().Instrs, b)
	}
	return a.Block().Dominates(b.Block())
}

// FuncValue returns the function a func-typed value (possibly in an
// interface) denotes, when it is one known function or function literal.
func FuncValue(v ssa.Value) *ssa.Function {
	roots := Roots(v)
	if len(roots) != 1 {
		return nil
	}
	switch r := roots[0].(type) {
	case *ssa.Function:
		return r
	case *ssa.MakeClosure:
		fn, _ := r.Fn.(*ssa.Function)
		return fn
	}
	return nil
}
