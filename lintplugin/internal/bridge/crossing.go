package bridge

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// A Crossing is a value that C gets hold of.
type Crossing struct {
	Value ssa.Value
	Mode  Mode
	// Elems: Value is a slice and each of its elements crosses (a
	// variadic wrapper, or copy into C memory).
	Elems bool
	Instr ssa.Instruction // the call, store or return
	Sink  Sink
	Via   []string  // wrappers in between: "parameter p of pass()"
	Pos   token.Pos // where to report, in the user's file
	// ParamType is the declared type of the wrapper parameter the value
	// is passed as, for crossings through a wrapper (nil otherwise).
	ParamType types.Type
	// Unchecked: the value is an argument of a C function whose
	// parameter type cgo judges unable to point to pointers (char*, a
	// union without pointer members, an integer), so cgo emits no
	// _cgoCheckPointer for it: C sees the memory as integers.
	Unchecked bool
}

type summaries struct {
	pass  *analysis.Pass
	res   *Result
	memo  map[*ssa.Function][]Reach
	cross map[*ssa.Function][]Crossing
	// checks holds, per function, the roots of the values cgo's
	// _cgoCheckPointer calls check.
	checks map[*ssa.Function]map[ssa.Value]bool
}

func newSummaries(pass *analysis.Pass, res *Result) *summaries {
	return &summaries{pass: pass, res: res,
		memo:   make(map[*ssa.Function][]Reach),
		cross:  make(map[*ssa.Function][]Crossing),
		checks: make(map[*ssa.Function]map[ssa.Value]bool)}
}

// of returns which parameters of fn reach C: computed from the body for
// this package's functions (and the wrappers the SSA builder synthesised),
// read from facts for other packages'.
func (s *summaries) of(fn *ssa.Function) []Reach {
	if fn == nil {
		return nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if r, ok := s.memo[fn]; ok {
		return r
	}
	s.memo[fn] = nil // a recursive call contributes nothing new
	var out []Reach
	switch {
	case fn.Blocks != nil && (fn.Pkg == s.res.Pkg || fn.Synthetic != "") && !cgoshape.IsGenerated(fn):
		// Crossings in function literals count too: cgo wraps every C
		// call in one, which reads the caller's variables.
		var visit func(f *ssa.Function)
		visit = func(f *ssa.Function) {
			for _, c := range s.crossings(f) {
				out = appendReaches(out, fn, c)
			}
			for _, anon := range f.AnonFuncs {
				visit(anon)
			}
		}
		visit(fn)
	case fn.Object() != nil && fn.Object().Pkg() != s.pass.Pkg:
		var f ReachesC
		if s.pass.ImportObjectFact(fn.Object(), &f) {
			out = f.Params
		}
	}
	s.memo[fn] = out
	return out
}

// appendReaches adds the parameters of fn that the crossing c hands to C.
func appendReaches(out []Reach, fn *ssa.Function, c Crossing) []Reach {
	add := func(p *ssa.Parameter, mode Mode, elems bool) {
		i := slices.Index(fn.Params, p)
		if i < 0 {
			return
		}
		r := Reach{Index: i, Name: p.Name(), Mode: mode, Elems: elems, Sink: c.Sink, Via: c.Via,
			Unchecked: c.Unchecked}
		for j, have := range out {
			if have.Index == r.Index && have.Mode == r.Mode && have.Elems == r.Elems {
				out[j].Unchecked = have.Unchecked && r.Unchecked
				return
			}
		}
		out = append(out, r)
	}
	for _, root := range flow.Roots(c.Value) {
		switch root := root.(type) {
		case *ssa.Parameter:
			add(root, c.Mode, c.Elems)
		case *ssa.Alloc, *ssa.FreeVar:
			// C dereferences the address of a variable holding the
			// parameter: the parameter's value lies in memory C reads.
			if c.Mode != ByValue || c.Elems {
				continue
			}
			if contents, ok := flow.Contents(root, c.Instr); ok {
				for _, v := range contents {
					if p, ok := v.(*ssa.Parameter); ok {
						add(p, InMemory, false)
					}
				}
			}
		case *ssa.UnOp:
			// An element loaded from a slice parameter (ranging over a
			// variadic parameter) is passed on.
			if ia, ok := root.X.(*ssa.IndexAddr); ok && root.Op == token.MUL && !c.Elems {
				for _, base := range flow.Roots(ia.X) {
					if p, ok := base.(*ssa.Parameter); ok {
						if _, isSlice := p.Type().Underlying().(*types.Slice); isSlice {
							add(p, c.Mode, true)
						}
					}
				}
			}
		}
	}
	return out
}

// crossings lists every place in fn where a value crosses into C.
func (s *summaries) crossings(fn *ssa.Function) []Crossing {
	if cs, ok := s.cross[fn]; ok {
		return cs
	}
	s.cross[fn] = nil
	var out []Crossing
	export, isExport := s.res.Exports[fn]
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			switch ins := ins.(type) {
			case ssa.CallInstruction:
				out = s.callCrossings(out, ins)
			case *ssa.Store:
				if IsCMemory(ins.Addr) {
					out = append(out, Crossing{Value: ins.Val, Mode: InMemory, Instr: ins, Sink: Sink{Kind: CMemory},
						Pos: pickPos(s.pass, ins.Val.Pos(), ins.Pos(), fn.Pos())})
				} else if p := outParam(fn, ins.Addr); p != nil && isExport {
					out = append(out, Crossing{Value: ins.Val, Mode: InMemory, Instr: ins,
						Sink: Sink{Kind: ExportOut, Export: export, Param: p.Name()},
						Pos:  pickPos(s.pass, ins.Val.Pos(), ins.Pos(), fn.Pos())})
				}
			case *ssa.Return:
				if isExport {
					for _, v := range ins.Results {
						out = append(out, Crossing{Value: v, Mode: ByValue, Instr: ins,
							Sink: Sink{Kind: ExportResult, Export: export},
							Pos:  pickPos(s.pass, v.Pos(), ins.Pos(), fn.Pos())})
					}
				}
			}
		}
	}
	s.cross[fn] = out
	return out
}

func (s *summaries) callCrossings(out []Crossing, ins ssa.CallInstruction) []Crossing {
	call := ins.Common()
	if api.Classify(call).Kind == api.CgoCheck {
		return out
	}
	fn := ins.Parent()
	if cname, ok := cgoshape.CCall(call); ok {
		if k := api.Classify(call).Kind; k == api.CCopyOut || cname == "CString" || cname == "CBytes" {
			return out
		}
		for i, a := range call.Args {
			out = append(out, Crossing{Value: a, Mode: ByValue, Instr: ins, Sink: Sink{Kind: CArg, C: cname, Arg: i},
				Pos:       pickPos(s.pass, a.Pos(), ins.Pos(), fn.Pos()),
				Unchecked: !s.checked(fn, a)})
		}
		return out
	}
	if b, ok := call.Value.(*ssa.Builtin); ok && b.Name() == "copy" && len(call.Args) == 2 && IsCMemory(call.Args[0]) {
		return append(out, Crossing{Value: call.Args[1], Mode: InMemory, Elems: true, Instr: ins, Sink: Sink{Kind: CMemory},
			Pos: pickPos(s.pass, ins.Pos(), fn.Pos())})
	}
	callee, offset := s.callee(call)
	for _, r := range s.of(callee) {
		i := r.Index - offset
		if i < 0 || i >= len(call.Args) {
			continue
		}
		a := call.Args[i]
		via := append([]string{"parameter " + r.Name + " of " + FuncLabel(callee) + "()"}, r.Via...)
		c := Crossing{Value: a, Mode: r.Mode, Elems: r.Elems, Instr: ins, Sink: r.Sink, Via: via,
			Pos: pickPos(s.pass, a.Pos(), ins.Pos(), fn.Pos()), ParamType: paramType(callee, r.Index),
			Unchecked: r.Unchecked}
		if r.Elems {
			// A variadic call or slice literal: each element crosses.
			if elems, ok := flow.ElemValues(a); ok {
				for _, e := range elems {
					ce := c
					ce.Value, ce.Elems = e, false
					ce.Pos = pickPos(s.pass, e.Pos(), c.Pos)
					out = append(out, ce)
				}
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// callee resolves the function a call runs, when the analysis can tell,
// and the offset between its parameters and the call's arguments (1 for an
// interface method call, whose receiver is not among the arguments).
func (s *summaries) callee(call *ssa.CallCommon) (*ssa.Function, int) {
	if call.IsInvoke() {
		var found *ssa.Function
		for _, r := range flow.Roots(call.Value) {
			t := r.Type()
			if types.IsInterface(t) {
				return nil, 0
			}
			prog := s.res.Pkg.Prog
			sel := prog.MethodSets.MethodSet(t).Lookup(call.Method.Pkg(), call.Method.Name())
			if sel == nil {
				return nil, 0
			}
			fn := prog.MethodValue(sel)
			if found != nil && fn != found {
				return nil, 0
			}
			found = fn
		}
		return found, 1
	}
	if fn := call.StaticCallee(); fn != nil {
		return fn, 0
	}
	roots := flow.Roots(call.Value)
	if len(roots) != 1 {
		return nil, 0
	}
	switch r := roots[0].(type) {
	case *ssa.Function:
		return r, 0
	case *ssa.MakeClosure:
		fn, _ := r.Fn.(*ssa.Function)
		return fn, 0
	}
	return nil, 0
}

// IsCMemory reports whether every root of the address v is memory C
// allocated: the result of a C function (C.malloc and friends included), or
// a field, element or pointer loaded from such memory.
func IsCMemory(v ssa.Value) bool {
	return isCMemory(v, 0)
}

func isCMemory(v ssa.Value, depth int) bool {
	if depth > 8 {
		return false
	}
	roots := flow.Roots(v)
	if len(roots) == 0 {
		return false
	}
	for _, r := range roots {
		switch r := r.(type) {
		case *ssa.Call:
			if k := api.Classify(r.Common()).Kind; k != api.CCall && k != api.CAlloc {
				return false
			}
		case *ssa.FieldAddr:
			if !isCMemory(r.X, depth+1) {
				return false
			}
		case *ssa.IndexAddr:
			if !isCMemory(r.X, depth+1) {
				return false
			}
		case *ssa.UnOp:
			if cgoshape.IsCVarAddr(r) {
				continue // a C global variable
			}
			// A C pointer read out of C memory.
			if r.Op != token.MUL || !isCPointer(r.Type()) || !isCMemory(r.X, depth+1) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// isCPointer reports whether t is a pointer to a C type, or unsafe.Pointer.
func isCPointer(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return cgoshape.IsCType(u.Elem())
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	}
	return false
}

// FuncLabel names fn as a user would: "pass", "(*Client).Send", or "the
// function literal in run".
func FuncLabel(fn *ssa.Function) string {
	if fn == nil {
		return "?"
	}
	if p := fn.Parent(); p != nil {
		return "the function literal in " + FuncLabel(p)
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		sig := obj.Type().(*types.Signature)
		if recv := sig.Recv(); recv != nil {
			t := recv.Type()
			ptr := ""
			if p, ok := t.(*types.Pointer); ok {
				t, ptr = p.Elem(), "*"
			}
			if n, ok := types.Unalias(t).(*types.Named); ok {
				return "(" + ptr + n.Obj().Name() + ")." + obj.Name()
			}
		}
		return obj.Name()
	}
	return fn.Name()
}

// pickPos returns the first of the positions that lies in user code.
func pickPos(pass *analysis.Pass, ps ...token.Pos) token.Pos {
	for _, p := range ps {
		if p.IsValid() && !cgoshape.InGeneratedFile(pass.Fset, p) {
			return p
		}
	}
	return token.NoPos
}

// paramType is the declared type of parameter i of fn (of the generic
// function, for an instance: T, not what T was instantiated with).
func paramType(fn *ssa.Function, i int) types.Type {
	if fn != nil && fn.Origin() != nil {
		fn = fn.Origin()
	}
	if fn == nil || i >= len(fn.Params) {
		return nil
	}
	return fn.Params[i].Type()
}

// outParam returns the pointer parameter of fn that every root of the
// address addr (a field or element of what it points to, or the pointee
// itself) comes from, if there is one: for an //export function, memory
// its C caller passed in.
func outParam(fn *ssa.Function, addr ssa.Value) *ssa.Parameter {
	var found *ssa.Parameter
	roots := flow.Roots(addr)
	for _, r := range roots {
		for {
			if fa, ok := r.(*ssa.FieldAddr); ok {
				r = fa.X
				continue
			}
			if ia, ok := r.(*ssa.IndexAddr); ok {
				r = ia.X
				continue
			}
			break
		}
		if inner := flow.Roots(r); len(inner) == 1 {
			r = inner[0]
		}
		p, ok := r.(*ssa.Parameter)
		if !ok || p.Parent() != fn || (found != nil && p != found) {
			return nil
		}
		found = p
	}
	return found
}
