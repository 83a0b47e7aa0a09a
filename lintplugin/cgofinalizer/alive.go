package cgofinalizer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// lift maps an instruction inside immediately invoked function literals
// (cgo wraps most C calls in one) to the call of the outermost such
// literal, and returns the function that holds the object: that call is
// where the object has to stay alive (see flow.Lift).
func lift(ins ssa.Instruction) (ssa.Instruction, *ssa.Function) {
	ins = flow.Lift(ins)
	return ins, ins.Parent()
}

// owned reports whether every root of the object is a value of fn itself
// that may carry a registered finalizer at site: a parameter, the result of
// a call to a function that registers one, or an allocation fn registers
// one on before site (on some path). The object is then reachable from
// fn's frame only as long as fn uses it. An object loaded from memory (a
// global, another object's field) is reachable from there, and is left
// alone.
func owned(roots []ssa.Value, fn *ssa.Function, site ssa.Instruction, regs []*registration) bool {
	if len(roots) == 0 {
		return false
	}
	for _, r := range roots {
		switch r := r.(type) {
		case *ssa.Parameter:
			if r.Parent() != fn {
				return false
			}
		case *ssa.Call:
			callee := r.Call.StaticCallee()
			if r.Parent() != fn || callee == nil || !slices.ContainsFunc(regs, func(g *registration) bool {
				return g.call.Parent() == callee
			}) {
				return false
			}
		case *ssa.Alloc:
			if r.Parent() != fn || !slices.ContainsFunc(regs, func(g *registration) bool {
				return g.call.Parent() == fn && slices.Contains(flow.Roots(g.call.Call.Args[0]), ssa.Value(r)) &&
					precedes(g.call, site)
			}) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// precedes reports whether some path of their function runs from after
// instruction a to instruction b.
func precedes(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab == bb && slices.Index(ab.Instrs, a) < slices.Index(ab.Instrs, b) {
		return true
	}
	seen := make(map[*ssa.BasicBlock]bool)
	work := slices.Clone(ab.Succs)
	for len(work) > 0 {
		blk := work[len(work)-1]
		work = work[:len(work)-1]
		if blk == bb {
			return true
		}
		if !seen[blk] {
			seen[blk] = true
			work = append(work, blk.Succs...)
		}
	}
	return false
}

// clearsFinalizer reports whether fn calls runtime.SetFinalizer(obj, nil)
// or stops a cleanup: the function then manages the object's lifetime by
// hand.
func clearsFinalizer(fn *ssa.Function, roots []ssa.Value) bool {
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			call, ok := ins.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := call.Common()
			switch api.Classify(c).Kind {
			case api.SetFinalizer:
				if len(c.Args) == 2 && isNil(c.Args[1]) && slices.ContainsFunc(flow.Roots(c.Args[0]), func(v ssa.Value) bool {
					return slices.Contains(roots, v)
				}) {
					return true
				}
			case api.CleanupStop:
				return true
			}
		}
	}
	return false
}

func isNil(v ssa.Value) bool {
	if mi, ok := v.(*ssa.MakeInterface); ok {
		v = mi.X
	}
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

// keptAlive reports whether fn uses the object (whose values are roots) on
// some path after site, or defers a call that uses it. That is what
// keeps an object reachable during a call; runtime.KeepAlive is the
// explicit way to write it.
func keptAlive(fn *ssa.Function, site ssa.Instruction, roots []ssa.Value) bool {
	vals, cells := objectValues(roots)
	uses := func(ins ssa.Instruction) bool {
		switch ins := ins.(type) {
		case *ssa.UnOp:
			if cells[ins.X] {
				return true
			}
		case *ssa.MakeClosure:
			for _, b := range ins.Bindings {
				if cells[b] {
					return true
				}
			}
		}
		for _, op := range ins.Operands(nil) {
			if *op != nil && vals[*op] {
				return true
			}
		}
		return false
	}
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			d, ok := ins.(*ssa.Defer)
			if !ok {
				continue
			}
			if uses(ins) {
				return true
			}
			// A deferred function literal that captures the object.
			if mc, ok := d.Call.Value.(*ssa.MakeClosure); ok && slices.ContainsFunc(mc.Bindings, func(v ssa.Value) bool { return vals[v] || cells[v] }) {
				return true
			}
		}
	}
	// The rest of site's block, then every block reachable from it.
	b := site.Block()
	for _, ins := range b.Instrs[slices.Index(b.Instrs, site)+1:] {
		if uses(ins) {
			return true
		}
	}
	seen := make(map[*ssa.BasicBlock]bool)
	work := slices.Clone(b.Succs)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		for _, ins := range b.Instrs {
			if uses(ins) {
				return true
			}
		}
		work = append(work, b.Succs...)
	}
	return false
}

// escapes reports whether fn stores the object where it outlives fn's
// frame (a global, a field, a map, a channel, a goroutine, a cgo.Handle, a
// runtime.Pinner), itself or through a same-package function it hands the
// object to, before site on some path (or in site's own arguments), which
// keeps it reachable from then on. A store after site is a use after the
// call (keptAlive); one on another branch does nothing for site. Calls
// that merely take the object are not escapes.
func (a *analyzer) escapes(fn *ssa.Function, site ssa.Instruction, roots []ssa.Value) bool {
	return a.escapesDepth(fn, site, roots, 0)
}

// escapesDepth is escapes; a nil site takes a store anywhere in fn.
func (a *analyzer) escapesDepth(fn *ssa.Function, site ssa.Instruction, roots []ssa.Value, depth int) bool {
	vals, cells := objectValues(roots)
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			if site != nil && ins != site && !precedes(ins, site) {
				continue
			}
			switch ins := ins.(type) {
			case *ssa.Store:
				if vals[ins.Val] && !cells[ins.Addr] && localHolder(ins.Addr) == nil {
					return true
				}
			case *ssa.MapUpdate:
				if (vals[ins.Key] || vals[ins.Value]) && localHolder(ins.Map) == nil {
					return true
				}
			case *ssa.Send:
				if vals[ins.X] {
					return true
				}
			case *ssa.Go:
				if slices.ContainsFunc(ins.Call.Args, func(v ssa.Value) bool { return vals[v] }) {
					return true
				}
				if mc, ok := ins.Call.Value.(*ssa.MakeClosure); ok && slices.ContainsFunc(mc.Bindings, func(v ssa.Value) bool { return cells[v] || vals[v] }) {
					return true
				}
			case *ssa.Call:
				if retains(&ins.Call) && slices.ContainsFunc(ins.Call.Args, func(v ssa.Value) bool { return vals[v] }) {
					return true
				}
				// A function literal called here (cgo evaluates a C
				// call's arguments in one) that captures the object.
				if mc, ok := ins.Call.Value.(*ssa.MakeClosure); ok {
					if lit, ok := mc.Fn.(*ssa.Function); ok {
						for j, b := range mc.Bindings {
							if j < len(lit.FreeVars) && (vals[b] || cells[b]) && a.escapesDepth(lit, nil, captured(lit.FreeVars[j], cells[b]), depth) {
								return true
							}
						}
					}
				}
				// A same-package function that stores the object away. Not
				// the call at site itself: when site is a call of the
				// function that makes the C call, what it stores on some
				// path does not keep the object alive on the others.
				callee := ins.Call.StaticCallee()
				if callee != nil && callee.Pkg != fn.Pkg && !ins.Call.IsInvoke() {
					// Another package's registry (mattn/go-pointer's Save).
					for i, arg := range ins.Call.Args {
						if vals[arg] && a.keeps(callee, i, 0) {
							return true
						}
					}
				}
				if ins == site || callee == nil || depth >= 3 || callee.Pkg != fn.Pkg || len(callee.Blocks) == 0 || cgoshape.IsGenerated(callee) {
					continue
				}
				for i, arg := range ins.Call.Args {
					if vals[arg] && i < len(callee.Params) && a.escapesDepth(callee, nil, []ssa.Value{callee.Params[i]}, depth+1) {
						return true
					}
				}
			}
		}
	}
	return false
}

// captured returns the values a function literal sees the object as
// through its free variable fv: fv itself, or, when fv is the variable
// holding the object (byRef), the loads of it.
func captured(fv *ssa.FreeVar, byRef bool) []ssa.Value {
	if !byRef {
		return []ssa.Value{fv}
	}
	var out []ssa.Value
	for _, ref := range *fv.Referrers() {
		if load, ok := ref.(*ssa.UnOp); ok && load.Op == token.MUL && load.X == fv {
			out = append(out, load)
		}
	}
	return out
}

// retains reports whether call keeps its argument reachable after it
// returns: cgo.NewHandle and guard.NewHandle, runtime.Pinner's and
// guard.Pinner's Pin.
func retains(call *ssa.CallCommon) bool {
	switch api.Classify(call).Kind {
	case api.HandleNew, api.PinnerPin:
		return true
	}
	return false
}

// objectValues returns the values that hold the object or a pointer into
// it (its roots, their conversions, field addresses and phis), and the
// local variables it is stored in (loads of which are uses).
func objectValues(roots []ssa.Value) (vals, cells map[ssa.Value]bool) {
	vals, cells = make(map[ssa.Value]bool), make(map[ssa.Value]bool)
	work := slices.Clone(roots)
	for _, r := range roots {
		vals[r] = true
	}
	add := func(v ssa.Value) {
		if !vals[v] {
			vals[v] = true
			work = append(work, v)
		}
	}
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, ref := range *refs {
			switch ref := ref.(type) {
			case *ssa.ChangeType, *ssa.Convert, *ssa.MultiConvert, *ssa.MakeInterface, *ssa.ChangeInterface,
				*ssa.TypeAssert, *ssa.Phi, *ssa.FieldAddr, *ssa.IndexAddr, *ssa.Slice, *ssa.SliceToArrayPointer:
				add(ref.(ssa.Value))
			case *ssa.Store:
				if ref.Val != v {
					continue
				}
				if alloc, ok := ref.Addr.(*ssa.Alloc); ok && !cells[alloc] {
					cells[alloc] = true
					for _, r2 := range *alloc.Referrers() {
						if load, ok := r2.(*ssa.UnOp); ok && load.X == alloc {
							add(load)
						}
					}
				}
			}
		}
	}
	return vals, cells
}

// objectName is the name of the variable or parameter that holds the
// object, or "" if there is no single one.
func objectName(roots []ssa.Value) string {
	if len(roots) != 1 {
		return ""
	}
	switch r := roots[0].(type) {
	case *ssa.Parameter:
		if r.Name() != "_" && r.Name() != "" {
			return r.Name()
		}
	case *ssa.Call, *ssa.Alloc:
		if name := assignedName(r); name != "" {
			return name
		}
		// The local variable the object was stored in.
		name := ""
		for _, ref := range *r.Referrers() {
			st, ok := ref.(*ssa.Store)
			if !ok || st.Val != r {
				continue
			}
			alloc, ok := st.Addr.(*ssa.Alloc)
			if !ok || alloc.Comment == "" || (name != "" && name != alloc.Comment) {
				return ""
			}
			name = alloc.Comment
		}
		return name
	}
	return ""
}

// callersKeepAlive reports whether every caller of fn keeps alive, past
// the call, the objects fn receives as the parameters roots: fn's callers
// are then all known (an unexported, non-generic function or method that
// the package only calls by name), and each call site uses the argument
// afterwards, stores it, gets it from memory, or is itself such a
// function whose callers keep it alive. The object then stays reachable
// in a caller's frame for the whole of fn, whatever fn does after its C
// call. A function with no calls in the package is not covered.
func (a *analyzer) callersKeepAlive(fn *ssa.Function, roots []ssa.Value, regs []*registration, depth int, active map[*ssa.Function]bool) bool {
	var idx []int
	for _, r := range roots {
		p, ok := r.(*ssa.Parameter)
		if !ok || p.Parent() != fn {
			return false
		}
		idx = append(idx, slices.Index(fn.Params, p))
	}
	if active[fn] {
		// A recursive call: the outermost call's caller decides.
		return true
	}
	if depth > 4 || fn.Parent() != nil || fn.Origin() != nil || fn.TypeParams().Len() > 0 {
		return false
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Exported() || fn.Synthetic != "" {
		return false
	}
	sites, known := a.callSites(fn)
	if !known || len(sites) == 0 {
		return false
	}
	active[fn] = true
	defer delete(active, fn)
	for _, call := range sites {
		site, outer := lift(call)
		for _, i := range idx {
			arg := call.Call.Args[i]
			argRoots := flow.Roots(arg)
			if !owned(argRoots, outer, site, regs) || clearsFinalizer(outer, argRoots) ||
				a.escapes(outer, site, argRoots) || keptAlive(outer, site, argRoots) ||
				a.callersKeepAlive(outer, argRoots, regs, depth+1, active) {
				continue
			}
			return false
		}
	}
	return true
}

// callSites returns the package's static calls of fn, and whether they are
// all of its uses: false if fn is also used as a value (a func value, a
// method value or expression), run by go or defer, or, for a method,
// possibly called through an interface method of the same name.
func (a *analyzer) callSites(fn *ssa.Function) ([]*ssa.Call, bool) {
	if a.sites == nil {
		a.indexCalls()
	}
	if a.valueUse[fn.Object()] {
		return nil, false
	}
	if fn.Signature.Recv() != nil && a.invoked[fn.Name()] {
		return nil, false
	}
	return a.sites[fn], true
}

// indexCalls records every static call of the package's functions and
// every other use of a function as an operand.
func (a *analyzer) indexCalls() {
	a.sites = make(map[*ssa.Function][]*ssa.Call)
	a.valueUse = make(map[types.Object]bool)
	a.invoked = make(map[string]bool)
	funcs := slices.Clone(a.res.SrcFuncs)
	// Package-level variable initialisers run in init.
	if init := a.res.Pkg.Func("init"); init != nil {
		var add func(f *ssa.Function)
		add = func(f *ssa.Function) {
			funcs = append(funcs, f)
			for _, anon := range f.AnonFuncs {
				add(anon)
			}
		}
		add(init)
	}
	for _, f := range funcs {
		for _, b := range f.Blocks {
			for _, ins := range b.Instrs {
				var callee ssa.Value
				if ci, ok := ins.(ssa.CallInstruction); ok {
					common := ci.Common()
					if common.IsInvoke() {
						a.invoked[common.Method.Name()] = true
					} else if call, ok := ins.(*ssa.Call); ok {
						if fn, ok := common.Value.(*ssa.Function); ok {
							a.sites[fn] = append(a.sites[fn], call)
							callee = fn
						}
					}
				}
				for _, op := range ins.Operands(nil) {
					if *op == nil || *op == callee {
						continue
					}
					if fn, ok := (*op).(*ssa.Function); ok && fn.Object() != nil {
						a.valueUse[fn.Object()] = true
					}
				}
			}
		}
	}
}

// localHolder returns the local struct, array or slice literal (or map)
// that addr lies in, when the function keeps it to itself: nothing but
// runtime.KeepAlive and loads ever see it. Storing the object there does
// not keep it alive by itself; using the holder does (see holders).
func localHolder(addr ssa.Value) ssa.Value {
	base := addrBase(addr)
	switch base.(type) {
	case *ssa.Alloc, *ssa.MakeMap, *ssa.MakeSlice:
	default:
		return nil
	}
	vals, cells := objectValues([]ssa.Value{base})
	// A copy of the holder's contents (a load of a struct or array)
	// carries the object as well.
	for {
		var loads []ssa.Value
		for v := range vals {
			for _, ref := range *v.Referrers() {
				if load, ok := ref.(*ssa.UnOp); ok && load.Op == token.MUL && !vals[load] && aggregate(load.Type()) {
					loads = append(loads, load)
				}
			}
		}
		if len(loads) == 0 {
			break
		}
		more, _ := objectValues(loads)
		for v := range more {
			vals[v] = true
		}
	}
	for c := range cells {
		for _, ref := range *c.Referrers() {
			if mc, ok := ref.(*ssa.MakeClosure); ok {
				if fn, ok := mc.Fn.(*ssa.Function); !ok || flow.ImmediateCall(fn) == nil {
					return nil
				}
			}
		}
	}
	for v := range vals {
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, ref := range *refs {
			switch ref := ref.(type) {
			case *ssa.Store:
				if vals[ref.Val] && !cells[ref.Addr] {
					return nil // stored elsewhere
				}
			case *ssa.MapUpdate:
				if vals[ref.Key] || vals[ref.Value] {
					return nil
				}
			case ssa.CallInstruction:
				k := api.Classify(ref.Common()).Kind
				if k != api.KeepAlive && k != api.CgoCheck {
					return nil
				}
			case *ssa.MakeClosure:
				// cgo's wrapper of a C call, called at once, reads
				// the holder; any other closure may keep it.
				if fn, ok := ref.Fn.(*ssa.Function); !ok || flow.ImmediateCall(fn) == nil {
					return nil
				}
			case *ssa.Return, *ssa.Send:
				return nil
			}
		}
	}
	return base
}

// holders returns the local holders (see localHolder) the object, whose
// values are roots, is stored in before site: a use of a holder after the
// call keeps the object reachable, like a use of the object.
func holders(fn *ssa.Function, site ssa.Instruction, roots []ssa.Value) []ssa.Value {
	vals, cells := objectValues(roots)
	var out []ssa.Value
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			if ins != site && !precedes(ins, site) {
				continue
			}
			var at ssa.Value
			switch ins := ins.(type) {
			case *ssa.Store:
				if vals[ins.Val] && !cells[ins.Addr] {
					at = ins.Addr
				}
			case *ssa.MapUpdate:
				if vals[ins.Key] || vals[ins.Value] {
					at = ins.Map
				}
			}
			if at == nil {
				continue
			}
			if h := localHolder(at); h != nil && !slices.Contains(out, h) {
				out = append(out, h)
			}
		}
	}
	return out
}

// addrBase returns the value whose memory addr lies in, after field and
// element addresses and slicing.
func addrBase(addr ssa.Value) ssa.Value {
	for range maxFieldDepth {
		switch x := addr.(type) {
		case *ssa.FieldAddr:
			addr = x.X
		case *ssa.IndexAddr:
			addr = x.X
		case *ssa.Slice:
			addr = x.X
		default:
			return addr
		}
	}
	return addr
}

func aggregate(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Struct, *types.Array:
		return true
	}
	return false
}

// assignedName returns the variable a call or composite literal is
// assigned to when the function defines it so (c := NewConn(), var c =
// &Conn{}), and assigns it nowhere else: the name that refers to this
// object for the rest of the function.
func assignedName(v ssa.Value) string {
	fn := v.Parent()
	if fn == nil || fn.Syntax() == nil || !v.Pos().IsValid() {
		return ""
	}
	var id *ast.Ident
	ast.Inspect(fn.Syntax(), func(n ast.Node) bool {
		if id != nil {
			return false
		}
		as, ok := n.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, rhs := range as.Rhs {
			if rhs.Pos() <= v.Pos() && v.Pos() < rhs.End() && ast.Unparen(rhs) == rhs {
				if lhs, ok := as.Lhs[i].(*ast.Ident); ok && lhs.Name != "_" && covers(rhs, v) {
					id = lhs
				}
			}
		}
		return true
	})
	if id == nil {
		return ""
	}
	// Assigned again later: the name may stand for another object.
	again := false
	ast.Inspect(fn.Syntax(), func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && as.Tok == token.ASSIGN {
			for _, l := range as.Lhs {
				if x, ok := l.(*ast.Ident); ok && x.Name == id.Name {
					again = true
				}
			}
		}
		return !again
	})
	if again {
		return ""
	}
	return id.Name
}

// covers reports whether the expression rhs evaluates to v itself (a call
// or a composite literal or its address), not to something v is part of.
func covers(rhs ast.Expr, v ssa.Value) bool {
	switch e := rhs.(type) {
	case *ast.CallExpr:
		return e.Lparen == v.Pos()
	case *ast.UnaryExpr:
		return e.Op == token.AND && e.Pos() <= v.Pos() && v.Pos() <= e.X.Pos()
	case *ast.CompositeLit:
		return e.Lbrace == v.Pos() || e.Pos() == v.Pos()
	}
	return false
}
