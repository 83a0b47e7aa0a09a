// Package cgocallback defines an Analyzer that reports //export functions
// writing package-level maps without holding a lock.
package cgocallback

import (
	"cmp"
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
	"github.com/cgoguard/cgoguard/lintplugin/internal/flow"
	"github.com/cgoguard/cgoguard/lintplugin/internal/report"
)

const Doc = `report //export functions that write package maps unlocked

C may call an //export function from any thread, and from several at once.
Go maps do not allow concurrent writes: the runtime aborts the program
("concurrent map writes") or the map is corrupted. The check follows each
//export function, and the same-package functions it calls, to writes of
package-level maps (assignment, delete, clear, maps.Copy and the like)
made without a sync.Mutex or sync.RWMutex write lock held on every path to
the write (Lock and Unlock around it, or Lock and defer Unlock; RLock is
not a write lock). Hold a lock around the write, or use sync.Map.`

var Analyzer = New(engine.Default)

// New returns the check running on the engine analyzer eng (see
// engine.New).
func New(eng *analysis.Analyzer) *analysis.Analyzer {
	return engine.Check(eng, "cgocallback", Doc, run)
}

func run(pass *analysis.Pass, e *engine.Result) (any, error) {
	res := e.Bridge
	if res == nil || res.Pkg == nil || len(res.Exports) == 0 {
		return nil, nil
	}
	exports := make([]*ssa.Function, 0, len(res.Exports))
	for fn := range res.Exports {
		exports = append(exports, fn)
	}
	slices.SortFunc(exports, func(x, y *ssa.Function) int { return cmp.Compare(x.Pos(), y.Pos()) })
	w := &walker{pass: pass, res: res, r: report.New(pass, "cgocallback", e.Config), locks: newLocks(res.Pkg)}
	for _, fn := range exports {
		w.export, w.exportFn = res.Exports[fn], fn
		w.seen = make(map[walkKey]bool)
		w.walk(fn, false, nil, nil)
	}
	return nil, nil
}

type walker struct {
	pass     *analysis.Pass
	res      *bridge.Result
	r        *report.Reporter
	locks    *locks
	export   string
	exportFn *ssa.Function
	threads  map[string][]string // C callers on threads, by export
	seen     map[walkKey]bool
}

type walkKey struct {
	fn     *ssa.Function
	locked bool
	binds  string
}

// binds names the package-level values a function's parameters are bound
// to at a call ((*Registry).add called on the package variable registry:
// its receiver is registry).
type binds map[*ssa.Parameter]string

func (b binds) String() string {
	var parts []string
	for p, n := range b {
		parts = append(parts, p.Name()+"="+n)
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// walk reports the unlocked map writes in fn, which runs with a write lock
// held on entry when locked is set, and follows calls into the package's
// own functions. via names the calls from the exported function to fn.
func (w *walker) walk(fn *ssa.Function, locked bool, via []string, bound binds) {
	key := walkKey{fn, locked, bound.String()}
	if w.seen[key] || fn.Blocks == nil || len(via) > 16 {
		return
	}
	w.seen[key] = true
	entry := w.locks.states(fn)
	for _, b := range fn.Blocks {
		st, ok := entry[b]
		if !ok {
			continue // unreachable
		}
		st = st.clone()
		for _, ins := range b.Instrs {
			held := locked || len(st.w) > 0
			if m, ok := mapWritten(ins); ok && !held {
				if name, ok := packageMap(m, bound); ok {
					w.report(ins, name, via, len(st.r) > 0)
				}
			}
			if callee := w.callee(ins); callee != nil {
				w.walk(callee, held, append(slices.Clip(via), bridge.FuncLabel(callee)), calleeBinds(ins.(*ssa.Call), callee, bound))
			}
			w.locks.transfer(&st, ins)
		}
	}
}

// callee returns the same-package function (or function literal) that ins
// calls, if it is a plain call (not go or defer) the analysis can follow.
func (w *walker) callee(ins ssa.Instruction) *ssa.Function {
	call, ok := ins.(*ssa.Call)
	if !ok {
		return nil
	}
	var fn *ssa.Function
	if mc, ok := call.Call.Value.(*ssa.MakeClosure); ok {
		fn, _ = mc.Fn.(*ssa.Function)
	} else {
		fn = call.Call.StaticCallee()
	}
	if fn == nil || fn.Pkg != w.res.Pkg || cgoshape.IsGenerated(fn) {
		return nil
	}
	return fn
}

func (w *walker) report(ins ssa.Instruction, name string, via []string, readLocked bool) {
	pos := ins.Pos()
	if !pos.IsValid() || cgoshape.InGeneratedFile(w.pass.Fset, pos) {
		return
	}
	path := ""
	if len(via) > 0 {
		path = " via " + strings.Join(via, ", then ")
	}
	lock := "without holding a write lock"
	if readLocked {
		lock = "holding only a read lock (RLock), which does not exclude other callers"
	}
	runs := "may run on several C threads at once"
	if callers := w.threadCallers(); len(callers) > 0 {
		runs = "runs on a thread C starts (C." + callers[0] + " starts it), concurrently with other callers"
	}
	w.r.Report(analysis.Diagnostic{Pos: pos,
		Message: fmt.Sprintf("exported %s %s, and writes package-level map %s%s %s: "+
			"concurrent map writes crash the program; hold a sync.Mutex around the write (mu.Lock(); defer mu.Unlock()) or use sync.Map",
			w.export, runs, name, path, lock),
		Related: []analysis.RelatedInformation{{Pos: w.exportFn.Pos(), Message: "exported " + w.export + " declared here"}}})
}

// mapWritten returns the map ins writes: m[k] = v, delete(m, k), clear(m),
// and maps.Copy, maps.DeleteFunc and maps.Insert into m.
func mapWritten(ins ssa.Instruction) (ssa.Value, bool) {
	switch ins := ins.(type) {
	case *ssa.MapUpdate:
		return ins.Map, true
	case *ssa.Call:
		args := ins.Call.Args
		if len(args) == 0 {
			return nil, false
		}
		if _, ok := args[0].Type().Underlying().(*types.Map); !ok {
			return nil, false
		}
		if b, ok := ins.Call.Value.(*ssa.Builtin); ok && (b.Name() == "delete" || b.Name() == "clear") {
			return args[0], true
		}
		if api.Classify(&ins.Call).Kind == api.MapsWrite {
			return args[0], true
		}
	}
	return nil, false
}

// packageMap reports whether the map m is held in a package-level
// variable (or reached from one through fields, arrays, pointers or other
// maps), and names it as the user would.
func packageMap(m ssa.Value, bound binds) (string, bool) {
	for _, r := range flow.Roots(m) {
		if name, ok := globalPath(r, bound, 0); ok {
			return name, true
		}
	}
	return "", false
}

// calleeBinds returns the package-level values the callee's parameters are
// bound to at call: arguments that are (parts of) package variables, or
// parameters of the caller bound to one.
func calleeBinds(call *ssa.Call, callee *ssa.Function, bound binds) binds {
	var out binds
	for i, a := range call.Call.Args {
		if i >= len(callee.Params) {
			break
		}
		for _, r := range flow.Roots(a) {
			if name, ok := globalPath(r, bound, 0); ok {
				if out == nil {
					out = make(binds)
				}
				out[callee.Params[i]] = name
				break
			}
		}
	}
	return out
}

func globalPath(v ssa.Value, bound binds, depth int) (string, bool) {
	if depth > 8 {
		return "", false
	}
	switch v := v.(type) {
	case *ssa.Global:
		return v.Name(), true
	case *ssa.Parameter:
		name, ok := bound[v]
		return name, ok
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return globalPath(v.X, bound, depth+1)
		}
	case *ssa.FieldAddr:
		if name, ok := globalPath(v.X, bound, depth+1); ok {
			return name + "." + fieldName(v), true
		}
	case *ssa.IndexAddr:
		if name, ok := globalPath(v.X, bound, depth+1); ok {
			return name + "[...]", true
		}
	case *ssa.Lookup:
		for _, r := range flow.Roots(v.X) {
			if name, ok := globalPath(r, bound, depth+1); ok {
				return name + "[...]", true
			}
		}
	}
	return "", false
}

func fieldName(fa *ssa.FieldAddr) string {
	p, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return "?"
	}
	st, ok := p.Elem().Underlying().(*types.Struct)
	if !ok || fa.Field >= st.NumFields() {
		return "?"
	}
	return st.Field(fa.Field).Name()
}

// threadCallers returns the C functions that call the exported function
// from a thread they start, read from the package's C side once per
// export.
func (w *walker) threadCallers() []string {
	if w.threads == nil {
		w.threads = make(map[string][]string)
	}
	if c, ok := w.threads[w.export]; ok {
		return c
	}
	c := w.res.ThreadCallers(w.export)
	w.threads[w.export] = c
	return c
}
