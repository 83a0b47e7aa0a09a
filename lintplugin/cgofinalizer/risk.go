package cgofinalizer

import (
	"go/types"
	"maps"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
)

// lowRisk says why, under the scope, cand is not worth a finding although
// the letter of the rule flags it, or "" to report it.
//
// The default scope ("risk") keeps the findings a caller is likely to hit,
// the kind maintainers fix (measured on bench/corpus.sh, see BENCHMARKS.md):
//
//   - The type has an exported method that releases the memory (Close,
//     Free, Finish): a correct caller calls it after its last use, so the
//     object is alive through every other call; the finalizer only
//     catches the objects a caller forgot to release (go-sqlite3's
//     connections and statements, which database/sql holds and closes).
//   - A setter or check (a method of the object returning nothing or only
//     an error): a setter's effect is seen only through the object, so a
//     caller that cares uses the object after it; a check is one short
//     call (X509_check_ip).
//   - A one-call accessor: the C call gets no Go memory, and nothing of
//     what C returns is used after it or handed out; C reads the object
//     for the length of one call (an OpenSSL getter).
//   - An unexported function nothing in the package calls.
//
// What stays: calls that process the caller's Go memory (compressing,
// signing, writing a buffer: long calls, often the last use of a one-shot
// object, like DataDog/zstd's Compress, whose race crashed under GC
// pressure), pointers C returned into the object's memory used after its
// last use or handed to the caller, and goroutines.
func (a *analyzer) lowRisk(cand *candidate) string {
	switch a.scope {
	case ScopeAll:
		return ""
	case ScopeExported:
		if !exported(cand.outer) {
			return "not an exported function or method (finalizer scope \"exported\")"
		}
		return ""
	}
	if m := a.releaseMethod(cand.reg, cand.named); m != "" {
		return "the type has an exported method that releases the memory (" + m +
			"), which a correct caller calls after its last use: the finalizer only catches objects never released (finalizer scope \"risk\")"
	}
	if cand.kind != callKind {
		return ""
	}
	if fn := cand.outer; fn.Parent() == nil && !exported(fn) {
		if sites, known := a.callSites(fn); known && len(sites) == 0 {
			return "an unexported function nothing in the package calls (finalizer scope \"risk\")"
		}
	}
	if setter(cand.outer, cand.roots) {
		return "a setter or check (a method of the object returning nothing or only an error): a caller uses the object after it to see its effect, or the check is one short call (finalizer scope \"risk\")"
	}
	if len(cand.uses) == 0 && !a.givenGoMemory(cand.c) {
		return "a one-call accessor: its C call gets no Go memory and nothing C returns is used after the call (finalizer scope \"risk\")"
	}
	return ""
}

// releaseMethod returns the name of an exported method of the object's
// type that releases a field the registration's finalizer releases, or "".
func (a *analyzer) releaseMethod(reg *registration, named *types.Named) string {
	// released marks what it visits as the finalizer's own work (impl):
	// an exported method is not that.
	impl := maps.Clone(a.impl)
	defer func() { a.impl = impl }()
	prog := a.res.Pkg.Prog
	mset := prog.MethodSets.MethodSet(types.NewPointer(named))
	for i := range mset.Len() {
		sel := mset.At(i)
		if !sel.Obj().Exported() {
			continue
		}
		fn := prog.MethodValue(sel)
		if fn == nil || fn.Signature.Params().Len() > 0 {
			continue
		}
		// A release: the field handed to the same C function the
		// finalizer releases it with (other C calls merely use it).
		for _, rl := range a.released(fn, 0, 0) {
			if slices.ContainsFunc(reg.rel, func(r release) bool { return samePath(r.path, rl.path) && r.sink == rl.sink }) {
				return "(*" + named.Obj().Name() + ")." + sel.Obj().Name()
			}
		}
	}
	return ""
}

// givenGoMemory reports whether the C call of the crossing c also gets Go
// memory: a pointer into a slice, array or string (a buffer C reads or
// fills), as opposed to numbers and C pointers.
func (a *analyzer) givenGoMemory(c bridge.Crossing) bool {
	for _, other := range a.res.CrossingsAt(c.Instr) {
		if other.Value == c.Value || other.Sink.Kind != bridge.CArg {
			continue
		}
		for _, r := range flow.Roots(other.Value) {
			switch r := r.(type) {
			case *ssa.IndexAddr:
				if !bridge.IsCMemory(r.X) {
					return true
				}
			case *ssa.Const:
			default:
				if _, ok := r.Type().Underlying().(*types.Slice); ok && !bridge.IsCMemory(r) {
					return true
				}
				if b, ok := r.Type().Underlying().(*types.Basic); ok && b.Info()&types.IsString != 0 {
					return true
				}
			}
		}
	}
	return false
}

// setter reports whether fn is a method of the object (roots) that
// returns nothing or only an error.
func setter(fn *ssa.Function, roots []ssa.Value) bool {
	if fn.Signature.Recv() == nil || len(fn.Params) == 0 || !slices.Contains(roots, ssa.Value(fn.Params[0])) {
		return false
	}
	res := fn.Signature.Results()
	for i := range res.Len() {
		if !isError(res.At(i).Type()) {
			return false
		}
	}
	return true
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}
