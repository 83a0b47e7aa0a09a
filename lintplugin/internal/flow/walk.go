package flow

import (
	"golang.org/x/tools/go/ssa"
)

// walkBudget bounds the instructions one backward walk visits; a walk
// that runs out of budget reports what it found so far (every value it
// found does reach the site on the path it was found on).
const walkBudget = 50000

type walkItem[S any] struct {
	b     *ssa.BasicBlock
	from  int // visit b.Instrs[from-1] down to b.Instrs[0]
	state S
}

// WalkBack visits the instructions that may run before site, most recent
// first, along every path through the control-flow graph. A path that
// reaches the entry of a closure continues where the closure runs in the
// function that made it (see resumes): cgo wraps C calls in such closures,
// and deferred calls run when the function returns. visit returns the
// state to carry on with, and false to end the path. top is called when a
// path reaches the entry of a function no closure encloses. key identifies
// states, so that a block is visited once per distinct state.
func WalkBack[S any](site ssa.Instruction, init S, key func(S) string,
	visit func(ssa.Instruction, S) (S, bool), top func(S)) {
	if site == nil || site.Block() == nil {
		return
	}
	type seenKey struct {
		b    *ssa.BasicBlock
		from int
		k    string
	}
	seen := make(map[seenKey]bool)
	budget := walkBudget
	work := []walkItem[S]{{site.Block(), indexOf(site), init}}
	for len(work) > 0 && budget > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		st, alive := it.state, true
		for i := it.from - 1; i >= 0 && alive; i-- {
			budget--
			st, alive = visit(it.b.Instrs[i], st)
		}
		if !alive {
			continue
		}
		push := func(b *ssa.BasicBlock, from int) {
			k := seenKey{b, from, key(st)}
			if !seen[k] {
				seen[k] = true
				work = append(work, walkItem[S]{b, from, st})
			}
		}
		if len(it.b.Preds) > 0 {
			for _, p := range it.b.Preds {
				push(p, len(p.Instrs))
			}
			continue
		}
		fn := it.b.Parent()
		if it.b.Index != 0 {
			continue // a recover block: entered by a panic, not a path we follow
		}
		if fn.Parent() == nil {
			top(st)
			continue
		}
		for _, r := range resumes(fn) {
			push(r.Block(), indexOf(r))
		}
	}
}

func indexOf(ins ssa.Instruction) int {
	for i, x := range ins.Block().Instrs {
		if x == ins {
			return i
		}
	}
	return 0
}

// Sites returns the instructions at which what a crossing value points to
// matters: the instruction itself, or for a deferred call (defer f(p)),
// every return of the function, where the call runs.
func Sites(ins ssa.Instruction) []ssa.Instruction {
	if d, ok := ins.(*ssa.Defer); ok {
		return returns(d.Parent())
	}
	return []ssa.Instruction{ins}
}

// resumes returns where the closure fn runs, in the function that made
// it: at the closure's creation for a closure called on the spot (or
// started as a goroutine), at every return for a deferred one. cgo's
// deferred C calls take the shape `defer func() func() {...}()()`: the
// inner closure is returned by the outer one, whose result is deferred.
// A closure used any other way runs at a time the walk cannot tell, and
// resumes nowhere.
func resumes(fn *ssa.Function) []ssa.Instruction {
	parent := fn.Parent()
	var out []ssa.Instruction
	for _, u := range usesOf(fn) {
		switch u.ins.(type) {
		case *ssa.Call, *ssa.Go:
			out = append(out, u.at)
		case *ssa.Defer:
			out = append(out, returns(parent)...)
		case *ssa.Return:
			if parent.Parent() != nil {
				out = append(out, deferredResult(parent)...)
			}
		}
	}
	return out
}

// Deferred reports whether ins runs when its function returns: it is a
// defer statement, or lies in a function literal that is deferred (cgo's
// deferred C calls included) or called from one.
func Deferred(ins ssa.Instruction) bool {
	if _, ok := ins.(*ssa.Defer); ok {
		return true
	}
	for fn := ins.Parent(); fn.Parent() != nil; fn = fn.Parent() {
		immediate := false
		for _, u := range usesOf(fn) {
			switch u.ins.(type) {
			case *ssa.Defer:
				return true
			case *ssa.Return:
				if len(deferredResult(fn.Parent())) > 0 {
					return true
				}
			case *ssa.Call:
				immediate = true
			}
		}
		if !immediate {
			return false
		}
	}
	return false
}

// A use is an instruction of the enclosing function that calls, defers,
// starts or returns the function literal fn; at is where it is made (its
// MakeClosure, or the use itself for a literal without free variables,
// which the SSA builder does not wrap in a closure).
type use struct {
	ins ssa.Instruction
	at  ssa.Instruction
}

func usesOf(fn *ssa.Function) []use {
	parent := fn.Parent()
	if parent == nil {
		return nil
	}
	var out []use
	for _, b := range parent.Blocks {
		for _, ins := range b.Instrs {
			switch ins := ins.(type) {
			case *ssa.MakeClosure:
				if ins.Fn != fn {
					continue
				}
				for _, ref := range *ins.Referrers() {
					if isUseOf(ref, ins) {
						out = append(out, use{ref, ins})
					}
				}
			case ssa.CallInstruction, *ssa.Return:
				if isUseOf(ins, fn) {
					out = append(out, use{ins, ins})
				}
			}
		}
	}
	return out
}

// isUseOf reports whether ins calls, defers or starts v, or returns it.
func isUseOf(ins ssa.Instruction, v ssa.Value) bool {
	switch ins := ins.(type) {
	case ssa.CallInstruction:
		return ins.Common().Value == v
	case *ssa.Return:
		for _, r := range ins.Results {
			if r == v {
				return true
			}
		}
	}
	return false
}

// deferredResult returns the returns of the function that defers the
// result of calling the function literal fn on the spot (defer fn()()).
func deferredResult(fn *ssa.Function) []ssa.Instruction {
	var out []ssa.Instruction
	for _, u := range usesOf(fn) {
		call, ok := u.ins.(*ssa.Call)
		if !ok {
			continue
		}
		for _, ref := range *call.Referrers() {
			if d, ok := ref.(*ssa.Defer); ok && d.Call.Value == call {
				out = append(out, returns(fn.Parent())...)
			}
		}
	}
	return out
}

// ClosuresOf returns the MakeClosure instructions that make fn.
func ClosuresOf(fn *ssa.Function) []*ssa.MakeClosure {
	parent := fn.Parent()
	if parent == nil {
		return nil
	}
	var out []*ssa.MakeClosure
	for _, b := range parent.Blocks {
		for _, ins := range b.Instrs {
			if mc, ok := ins.(*ssa.MakeClosure); ok && mc.Fn == fn {
				out = append(out, mc)
			}
		}
	}
	return out
}

func returns(fn *ssa.Function) []ssa.Instruction {
	var out []ssa.Instruction
	for _, b := range fn.Blocks {
		if n := len(b.Instrs); n > 0 {
			if r, ok := b.Instrs[n-1].(*ssa.Return); ok {
				out = append(out, r)
			}
		}
	}
	return out
}
