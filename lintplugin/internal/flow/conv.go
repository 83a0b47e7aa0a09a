package flow

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
)

// WordLike reports whether values of t are single machine words that
// conversions carry unchanged: pointers, unsafe.Pointer and integers.
func WordLike(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return true
	case *types.Basic:
		return u.Info()&types.IsInteger != 0 || u.Kind() == types.UnsafePointer
	}
	return false
}

// through returns the value v is made from, one step back, when v
// carries the same pointer (or points into the same memory): conversions
// between pointers, unsafe.Pointer and integers, interfaces and type
// assertions, slicing and slice-to-array-pointer conversions, and the
// calls PassThrough knows.
func through(v ssa.Value) (ssa.Value, bool) {
	switch x := v.(type) {
	case *ssa.ChangeType:
		return x.X, true
	case *ssa.Convert:
		if WordLike(x.X.Type()) && WordLike(x.Type()) {
			return x.X, true
		}
	case *ssa.MultiConvert:
		return x.X, true
	case *ssa.ChangeInterface:
		return x.X, true
	case *ssa.MakeInterface:
		return x.X, true
	case *ssa.TypeAssert:
		return x.X, true
	case *ssa.Extract:
		if ta, ok := x.Tuple.(*ssa.TypeAssert); ok && x.Index == 0 {
			return ta.X, true
		}
	case *ssa.Slice:
		// s[i:j] shares s's memory (or the array's, for arr[:]).
		return x.X, true
	case *ssa.SliceToArrayPointer:
		return x.X, true
	case *ssa.Call:
		return PassThrough(&x.Call)
	}
	return nil, false
}

// StripConversions looks through what keeps a pointer the same (see
// through), without following loads.
func StripConversions(v ssa.Value) ssa.Value {
	for range maxConversions {
		next, ok := through(v)
		if !ok {
			return v
		}
		v = next
	}
	return v
}

// maxConversions bounds a chain of conversions; real code has a handful
// (unsafe.Pointer(uintptr(unsafe.Pointer(p))) is three).
const maxConversions = 16

// PassThrough reports the argument whose memory a call's result points
// into: unsafe.Add, Slice, SliceData, String, StringData and cgo's
// _Cgo_ptr return (a pointer into) their first argument, and
// reflect.ValueOf(x).UnsafePointer() (or Pointer, UnsafeAddr) x's.
func PassThrough(call *ssa.CallCommon) (ssa.Value, bool) {
	if len(call.Args) == 0 {
		return nil, false
	}
	switch api.Classify(call).Kind {
	case api.View:
		return call.Args[0], true
	case api.ReflectPointer:
		if vo, ok := call.Args[0].(*ssa.Call); ok && api.Classify(&vo.Call).Kind == api.ReflectValueOf && len(vo.Call.Args) == 1 {
			return vo.Call.Args[0], true
		}
	}
	return nil, false
}
