package cgofinalizer

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

type analyzer struct {
	pass *analysis.Pass
	res  *bridge.Result
	memo map[memoKey][]release
	// impl holds the functions that carry out a release: the finalizer
	// and cleanup functions and the same-package functions they hand
	// the object to. Their own C calls are the release, not a race with it.
	impl map[*ssa.Function]bool

	// The package's static calls by callee, the functions (by object)
	// also used as values, and the method names called through
	// interfaces; built on first use by indexCalls.
	sites    map[*ssa.Function][]*ssa.Call
	valueUse map[types.Object]bool
	invoked  map[string]bool

	keepMemo  map[memoKey]bool // see keeps
	scope     string           // config.Config.FinalizerScope
	regsCache []*registration
}

type memoKey struct {
	fn  *ssa.Function
	idx int
}

// A registration is a runtime.SetFinalizer or runtime.AddCleanup call
// whose function releases C memory held in fields of the object.
type registration struct {
	kind string        // "finalizer" or "cleanup"
	call *ssa.Call     // the SetFinalizer or AddCleanup call
	obj  *types.Named  // the object's type (the object is a *obj)
	fn   *ssa.Function // the finalizer or cleanup function
	rel  []release
}

// A release is a field of the object that the function hands to C.
type release struct {
	path []int  // field indices from the object
	sink string // "C.free", "C.obj_destroy"
	// pos is where the function hands the field over: the C call, or the
	// call of the same-package function that does (then direct is false).
	pos    token.Pos
	direct bool
}

// better reports whether r names a field's release better than have: C.free
// is the release whatever else the function does with the field; failing
// that, a C call of the function itself rather than of a helper it calls,
// and then the first such call (a Close that closes the handle, then looks
// up the error through a helper on failure, releases with the close).
func (r release) better(have release) bool {
	if (r.sink == "C.free") != (have.sink == "C.free") {
		return r.sink == "C.free"
	}
	if r.direct != have.direct {
		return r.direct
	}
	return r.pos.IsValid() && (!have.pos.IsValid() || r.pos < have.pos)
}

// registrations finds the package's finalizers and cleanups that release
// C memory held in the object's fields.
func (a *analyzer) registrations() []*registration {
	var out []*registration
	for _, fn := range a.res.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, ins := range b.Instrs {
				call, ok := ins.(*ssa.Call)
				if !ok {
					continue
				}
				if reg := a.registration(call); reg != nil {
					out = append(out, reg)
				}
			}
		}
	}
	return out
}

func (a *analyzer) registration(call *ssa.Call) *registration {
	kind := api.Classify(call.Common()).Kind
	args := call.Call.Args
	switch {
	case kind == api.SetFinalizer && len(args) == 2:
		mi, ok := args[0].(*ssa.MakeInterface)
		if !ok {
			return nil
		}
		obj := structOf(mi.X.Type())
		fn := flow.FuncValue(args[1])
		if obj == nil || fn == nil || len(fn.Params) == 0 {
			return nil
		}
		reg := &registration{kind: "finalizer", call: call, obj: obj, fn: fn, rel: slices.Clone(a.released(fn, 0, 0))}
		if len(reg.rel) == 0 {
			return nil
		}
		aliases(reg)
		return reg
	case kind == api.AddCleanup && len(args) == 3:
		obj := structOf(args[0].Type())
		fn := flow.FuncValue(args[1])
		if obj == nil || fn == nil || len(fn.Params) == 0 {
			return nil
		}
		sink := ""
		for _, r := range a.res.Reaches(fn) {
			if r.Index == 0 && r.Mode == bridge.ByValue && !r.Elems && r.Sink.Kind == bridge.CArg {
				sink = r.Sink.String()
				break
			}
		}
		if sink == "" {
			return nil
		}
		reg := &registration{kind: "cleanup", call: call, obj: obj, fn: fn}
		a.impl[fn] = true
		for _, root := range fieldLoads(args[2]) {
			if base, path, ok := fieldLoad(root); ok && structOf(base.Type()) == obj {
				reg.rel = append(reg.rel, release{path: path, sink: sink})
			}
		}
		if len(reg.rel) == 0 {
			return nil
		}
		return reg
	}
	return nil
}

// maxReleaseDepth bounds the chain of same-package functions a finalizer
// hands the object to (a Close calling a close helper calling a free
// helper): real finalizers release within two or three calls.
const maxReleaseDepth = 4

// released lists the fields of parameter idx of fn (a pointer to a
// struct) that fn hands to C, directly, through Go wrappers, or through
// same-package functions it passes the parameter to.
func (a *analyzer) released(fn *ssa.Function, idx, depth int) []release {
	key := memoKey{fn, idx}
	if r, ok := a.memo[key]; ok {
		return r
	}
	a.memo[key] = nil
	if idx >= len(fn.Params) || depth > maxReleaseDepth {
		return nil
	}
	param := fn.Params[idx]
	var out []release
	add := func(r release) {
		for i, have := range out {
			if samePath(have.path, r.path) {
				if r.better(have) {
					out[i] = r
				}
				return
			}
		}
		out = append(out, r)
	}
	var visit func(f *ssa.Function)
	visit = func(f *ssa.Function) {
		a.impl[f] = true
		for _, c := range a.res.Crossings(f) {
			if !toC(c) {
				continue
			}
			for _, root := range fieldLoads(c.Value) {
				if base, path, ok := fieldLoad(root); ok && hasRoot(base, param) {
					add(release{path: path, sink: c.Sink.String(), pos: c.Pos, direct: len(c.Via) == 0})
				}
			}
		}
		for _, b := range f.Blocks {
			for _, ins := range b.Instrs {
				ci, ok := ins.(ssa.CallInstruction)
				if !ok {
					continue
				}
				callee := ci.Common().StaticCallee()
				if callee == nil || callee.Pkg != a.res.Pkg || callee.Parent() != nil || cgoshape.IsGenerated(callee) {
					continue
				}
				for i, arg := range ci.Common().Args {
					// The parameter itself, or the address of one of its
					// fields (an embedded struct whose method releases
					// its own fields: the path grows by the field's).
					prefix, ok := fieldPath(arg, param)
					if !ok {
						continue
					}
					for _, r := range a.released(callee, i, depth+1) {
						r.path = append(slices.Clone(prefix), r.path...)
						r.pos, r.direct = ci.Pos(), false
						add(r)
					}
				}
			}
		}
		for _, anon := range f.AnonFuncs {
			visit(anon)
		}
	}
	visit(fn)
	a.memo[key] = out
	return out
}

// inRelease reports whether fn, or a function literal enclosing it, carries
// out a release.
func (a *analyzer) inRelease(fn *ssa.Function) bool {
	for f := fn; f != nil; f = f.Parent() {
		if a.impl[f] {
			return true
		}
	}
	return false
}

// fieldLoads returns the field loads v may come from: v itself after
// conversions and phis, or, failing that, its roots (which look through
// local variables, such as those cgo's generated closures capture).
func fieldLoads(v ssa.Value) []ssa.Value {
	var out []ssa.Value
	seen := make(map[ssa.Value]bool)
	var walk func(v ssa.Value)
	walk = func(v ssa.Value) {
		if seen[v] {
			return
		}
		seen[v] = true
		switch x := v.(type) {
		case *ssa.ChangeType:
			walk(x.X)
		case *ssa.Convert:
			walk(x.X)
		case *ssa.MakeInterface:
			walk(x.X)
		case *ssa.Phi:
			for _, e := range x.Edges {
				walk(e)
			}
		default:
			if _, _, ok := fieldLoad(v); ok {
				out = append(out, v)
				return
			}
			for _, r := range flow.Roots(v) {
				if _, _, ok := fieldLoad(r); ok && !seen[r] {
					seen[r] = true
					out = append(out, r)
				}
			}
		}
	}
	walk(v)
	return out
}

// fieldLoad reports whether root is a load of a field (possibly of a
// nested struct field) through a pointer base, and the field path.
func fieldLoad(root ssa.Value) (base ssa.Value, path []int, ok bool) {
	load, ok := root.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil, nil, false
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok {
		return nil, nil, false
	}
	for {
		path = append([]int{fa.Field}, path...)
		inner, ok := fa.X.(*ssa.FieldAddr)
		if !ok {
			return fa.X, path, true
		}
		fa = inner
	}
}

// structOf returns the named struct type T when t is *T.
func structOf(t types.Type) *types.Named {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok || n.TypeArgs().Len() > 0 {
		return nil
	}
	if _, ok := n.Underlying().(*types.Struct); !ok {
		return nil
	}
	return n
}

func samePath(x, y []int) bool { return slices.Equal(x, y) }

// fieldName spells a field path of named: "buf", "res.handle".
func fieldName(named *types.Named, path []int) string {
	var parts []string
	var t types.Type = named
	for _, i := range path {
		st, ok := t.Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			break
		}
		parts = append(parts, st.Field(i).Name())
		t = st.Field(i).Type()
	}
	return strings.Join(parts, ".")
}

func hasRoot(v, want ssa.Value) bool {
	return slices.Contains(flow.Roots(v), want)
}

// fieldPath reports whether v is param, or the address of a field of it
// (&p.inner, &p.a.b), and the field path from param.
func fieldPath(v ssa.Value, param ssa.Value) ([]int, bool) {
	var path []int
	v = flow.StripConversions(v)
	for range maxFieldDepth {
		fa, ok := v.(*ssa.FieldAddr)
		if !ok {
			break
		}
		path = append([]int{fa.Field}, path...)
		v = flow.StripConversions(fa.X)
	}
	if v == param || hasRoot(v, param) {
		return path, true
	}
	return nil, false
}

// aliases adds to reg the fields that the function registering it sets
// from the same value as a released field: git2go's Commit keeps the
// pointer its finalizer frees as Object.ptr also as cast_ptr, and a C call
// given cast_ptr uses the memory the finalizer frees.
func aliases(reg *registration) {
	fn := reg.call.Parent()
	roots := flow.Roots(reg.call.Call.Args[0])
	if len(roots) != 1 {
		return
	}
	alloc, ok := roots[0].(*ssa.Alloc)
	if !ok || alloc.Parent() != fn {
		return
	}
	stored := storedFields(alloc, nil, 0)
	for _, rl := range slices.Clone(reg.rel) {
		from := stored[pathKey(rl.path)]
		if len(from) == 0 {
			continue
		}
		for key, vals := range stored {
			if key == pathKey(rl.path) || !slices.ContainsFunc(vals, func(v ssa.Value) bool { return slices.Contains(from, v) }) {
				continue
			}
			if slices.ContainsFunc(reg.rel, func(r release) bool { return pathKey(r.path) == key }) {
				continue
			}
			al := rl
			al.path = parsePath(key)
			reg.rel = append(reg.rel, al)
		}
	}
}

// storedFields maps the field paths of the struct at addr to the roots of
// the values its function stores there (following a nested composite
// literal built in a local and copied in whole).
func storedFields(addr ssa.Value, prefix []int, depth int) map[string][]ssa.Value {
	out := make(map[string][]ssa.Value)
	if depth > maxFieldDepth {
		return out
	}
	for _, ref := range *addr.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok || fa.X != addr {
			continue
		}
		path := append(slices.Clone(prefix), fa.Field)
		for _, r2 := range *fa.Referrers() {
			st, ok := r2.(*ssa.Store)
			if !ok || st.Addr != fa {
				continue
			}
			if load, ok := st.Val.(*ssa.UnOp); ok && load.Op == token.MUL {
				if local, ok := load.X.(*ssa.Alloc); ok {
					for k, v := range storedFields(local, path, depth+1) {
						out[k] = append(out[k], v...)
					}
					continue
				}
			}
			out[pathKey(path)] = append(out[pathKey(path)], flow.Roots(st.Val)...)
		}
		for k, v := range storedFields(fa, path, depth+1) {
			out[k] = append(out[k], v...)
		}
	}
	return out
}

func pathKey(path []int) string { return fmt.Sprint(path) }

func parsePath(key string) []int {
	var out []int
	for _, f := range strings.Fields(strings.Trim(key, "[]")) {
		n, _ := strconv.Atoi(f)
		out = append(out, n)
	}
	return out
}
