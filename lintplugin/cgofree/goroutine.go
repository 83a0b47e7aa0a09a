package cgofree

import (
	"fmt"
	"go/token"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
	"github.com/cgoguard/cgoguard/lintplugin/internal/lifetime"
)

// checkGoroutines reports C memory a function frees (when it returns, by
// a deferred free, or after the go statement) while a goroutine it
// started may still use it: nothing orders the goroutine's use before the
// free. A function that may wait for the goroutine after starting it (a
// channel receive, a select, a call to Go code, which may wait) is left
// alone.
func (c *checker) checkGoroutines(fn *ssa.Function, res lifetime.Result) {
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			g, ok := ins.(*ssa.Go)
			if !ok {
				continue
			}
			roots := goroutineRoots(g)
			if len(roots) == 0 || mayWaitAfter(g) {
				continue
			}
			for _, rel := range res.Releases {
				if rel.Root == nil || !slices.Contains(roots, rel.Root) {
					continue
				}
				if rel.Defer == nil && rel.Pos <= g.Pos() {
					continue // freed before the goroutine starts: a use after free, reported as such
				}
				name := rel.Name
				if name == "" {
					name = "the memory"
				}
				when := "after the go statement"
				if rel.Defer != nil {
					when = "when the function returns"
				}
				c.r.Report(analysis.Diagnostic{Pos: g.Pos(),
					Message: fmt.Sprintf("goroutine gets %s, which is %s %s, and nothing waits for the goroutine: "+
						"it may use the memory after the free; free it in the goroutine when it is done, or wait for it (sync.WaitGroup) before freeing",
						name, rel.What, when),
					Related: []analysis.RelatedInformation{{Pos: rel.Pos, Message: name + " " + rel.What + " here"}}})
				break
			}
		}
	}
}

// goroutineRoots returns the roots of the pointers a go statement hands
// its goroutine: arguments, and the variables a function literal
// captures, as they are when it starts.
func goroutineRoots(g *ssa.Go) []ssa.Value {
	var out []ssa.Value
	for _, a := range g.Call.Args {
		out = append(out, flow.Roots(a)...)
	}
	if mc, ok := g.Call.Value.(*ssa.MakeClosure); ok {
		for _, b := range mc.Bindings {
			if contents, ok := flow.Contents(b, g); ok {
				out = append(out, contents...)
				continue
			}
			out = append(out, flow.Roots(b)...)
		}
	}
	return out
}

// mayWaitAfter reports whether anything after g may wait for the
// goroutine: a channel operation or select, or a call to Go code (which
// may wait on a WaitGroup, a channel or a lock). C calls, builtins and
// cgo's bookkeeping do not.
func mayWaitAfter(g *ssa.Go) bool {
	seen := map[*ssa.BasicBlock]bool{}
	var visit func(b *ssa.BasicBlock, from int) bool
	visit = func(b *ssa.BasicBlock, from int) bool {
		for _, ins := range b.Instrs[from:] {
			switch ins := ins.(type) {
			case *ssa.Select, *ssa.Send:
				return true
			case *ssa.UnOp:
				if ins.Op == token.ARROW {
					return true
				}
			case ssa.CallInstruction:
				if _, ok := ins.(*ssa.Go); ok {
					continue
				}
				if blocks(ins.Common()) {
					return true
				}
			}
		}
		for _, s := range b.Succs {
			if !seen[s] {
				seen[s] = true
				if visit(s, 0) {
					return true
				}
			}
		}
		return false
	}
	b := g.Block()
	return visit(b, slices.Index(b.Instrs, ssa.Instruction(g))+1)
}

// blocks reports whether a call may wait for another goroutine.
func blocks(call *ssa.CallCommon) bool {
	switch api.Classify(call).Kind {
	case api.CCall, api.CAlloc, api.CFree, api.CCopyOut, api.CgoCheck, api.View, api.KeepAlive:
		return false
	}
	if _, ok := call.Value.(*ssa.Builtin); ok {
		return false
	}
	if mc, ok := call.Value.(*ssa.MakeClosure); ok && flow.CalledOnTheSpot(mc) {
		fn, _ := mc.Fn.(*ssa.Function)
		return fn == nil || closureBlocks(fn)
	}
	return true
}

// closureBlocks reports whether a function literal run on the spot (cgo's
// wrappers) may wait.
func closureBlocks(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			if call, ok := ins.(ssa.CallInstruction); ok && blocks(call.Common()) {
				return true
			}
			if _, ok := ins.(*ssa.Select); ok {
				return true
			}
		}
	}
	return false
}
