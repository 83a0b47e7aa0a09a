package lifetime

import (
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// forgetReachable forgets, at a Go call the engine does not run inline,
// what the callee may change: package variables (any Go code can assign
// them), and memory the callee can reach from its arguments. Which memory
// a call can reach is judged by type: to assign field f of an object of
// type S, the callee must be handed something that holds a *S (or an
// interface, an unsafe.Pointer, a function value, which may hold
// anything). Memory reached only through other objects stays known. The
// one way around it, the callee reaching the object through a package
// variable that points to it, is not followed.
func (e *engine) forgetReachable(fr *frame, call *ssa.CallCommon, s *state) {
	if len(s.released) == 0 {
		return
	}
	args := call.Args
	opaque := false // a call of an unknown function value
	switch v := call.Value.(type) {
	case *ssa.Function:
	case *ssa.MakeClosure:
		args = append(append([]ssa.Value(nil), args...), v.Bindings...)
	default:
		if call.IsInvoke() {
			args = append([]ssa.Value{v}, args...)
		} else {
			opaque = true
		}
	}
	var reach typeReach
	s.forget(func(t tok) bool {
		if !t.inMemory() {
			return false
		}
		if t.kind != tokPath || opaque {
			return true
		}
		objs, ok := objectTypes(t.v.Type(), t.path)
		if !ok {
			return true
		}
		for _, a := range args {
			for _, o := range objs {
				if reach.reaches(a.Type(), o) {
					return true
				}
			}
		}
		return false
	})
}

// objectTypes returns the types of the objects the steps of path follow
// pointers into, from a value of type t; ok is false when a step leads
// somewhere the types do not say (an unsafe.Pointer).
func objectTypes(t types.Type, path string) ([]types.Type, bool) {
	var out []types.Type
	for path != "" {
		if path[0] == '*' {
			p, ok := t.Underlying().(*types.Pointer)
			if !ok {
				return nil, false
			}
			t = p.Elem()
			out = append(out, t)
			path = path[1:]
			continue
		}
		i := strings.IndexByte(path, '.')
		if i < 0 {
			return nil, false
		}
		f, err := strconv.Atoi(path[:i])
		st, ok := t.Underlying().(*types.Struct)
		if err != nil || !ok || f >= st.NumFields() {
			return nil, false
		}
		t = st.Field(f).Type()
		path = path[i+1:]
	}
	return out, true
}

// typeReach answers whether a value of one type can lead to an object of
// another.
type typeReach struct{}

// maxReachDepth bounds the walk through a type's structure; deeper types
// are assumed to reach (the engine then forgets, which is safe).
const maxReachDepth = 8

func (r *typeReach) reaches(from, obj types.Type) bool {
	return r.walk(from, obj, 0, make(map[types.Type]bool))
}

func (r *typeReach) walk(from, obj types.Type, depth int, seen map[types.Type]bool) bool {
	if depth > maxReachDepth {
		return true
	}
	if seen[from] {
		return false
	}
	seen[from] = true
	res := false
	switch u := from.Underlying().(type) {
	case *types.Pointer:
		res = types.Identical(u.Elem(), obj) || r.walk(u.Elem(), obj, depth+1, seen)
	case *types.Struct:
		for i := range u.NumFields() {
			if r.walk(u.Field(i).Type(), obj, depth+1, seen) {
				res = true
				break
			}
		}
	case *types.Array:
		res = r.walk(u.Elem(), obj, depth+1, seen)
	case *types.Slice:
		res = types.Identical(u.Elem(), obj) || r.walk(u.Elem(), obj, depth+1, seen)
	case *types.Map:
		res = r.walk(u.Key(), obj, depth+1, seen) || r.walk(u.Elem(), obj, depth+1, seen)
	case *types.Chan:
		res = r.walk(u.Elem(), obj, depth+1, seen)
	case *types.Interface, *types.Signature, *types.TypeParam:
		res = true
	case *types.Basic:
		res = u.Kind() == types.UnsafePointer
	case *types.Tuple:
		res = true
	}
	return res
}

// PathName extends the name of a value of type t with the field names
// of path: "w" and "*1." give "w.buf".
func PathName(name string, t types.Type, path string) string {
	for path != "" {
		if path[0] == '*' {
			p, ok := t.Underlying().(*types.Pointer)
			if !ok {
				return ""
			}
			t, path = p.Elem(), path[1:]
			continue
		}
		i := strings.IndexByte(path, '.')
		if i < 0 {
			return ""
		}
		f, err := strconv.Atoi(path[:i])
		st, ok := t.Underlying().(*types.Struct)
		if err != nil || !ok || f >= st.NumFields() {
			return ""
		}
		name += "." + st.Field(f).Name()
		t, path = st.Field(f).Type(), path[i+1:]
	}
	return name
}
