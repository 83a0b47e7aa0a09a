// Package bridge finds where Go values cross into C, for every cgoguard
// check: arguments of C calls, arguments of Go wrappers that forward a
// parameter to C (within a package and, through facts, across packages),
// stores into C memory, and results of //export functions.
//
// It builds SSA only for packages that can be affected (those that use cgo,
// call a wrapper, or use the runtime guard), so the cost on the rest of a
// build is one look at the imports.
package bridge

import (
	"fmt"
	"go/types"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/csummary"
)

// Result is the SSA form of a cgo-relevant package and the crossings in it.
// Pkg is nil when the package cannot be affected or could not be built
// (ill-typed code), and checks then have nothing to do.
type Result struct {
	Pkg *ssa.Package
	// SrcFuncs are the user's functions, function literals included, in
	// source order; cgo's generated code is left out.
	SrcFuncs []*ssa.Function
	// Exports maps //export functions to their C names.
	Exports map[*ssa.Function]string

	sums *summaries
	memo *memory

	pass  *analysis.Pass
	cset  csummary.Settings
	cside *csummary.Package

	// mu serialises the checks, which run in parallel on one Result
	// and fill its caches lazily.
	mu sync.Mutex
}

// CFunc returns the summary of the C function the Go side calls as C.name,
// reading the package's C side on first use. No summary (an error) means
// the analysis cannot tell what the function does.
func (r *Result) CFunc(name string) (*csummary.Func, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.cSide()
	if c == nil {
		return nil, &csummary.NoSummary{Name: name, Reason: csummary.NotFound}
	}
	return c.Func(name)
}

// ThreadCallers returns the C functions the Go side calls that call the
// //export function export (directly or through their callees) from a
// thread they start.
func (r *Result) ThreadCallers(export string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.cSide()
	if c == nil {
		return nil
	}
	var out []string
	for _, name := range c.Uses() {
		f, err := c.Func(name)
		if err != nil {
			continue
		}
		for _, x := range f.Exports {
			if x.Name == export && x.Thread {
				out = append(out, name)
				break
			}
		}
	}
	return out
}

func (r *Result) cSide() *csummary.Package {
	if r.pass == nil || r.Pkg == nil {
		return nil
	}
	if r.cside == nil {
		r.cside = csummary.Load(csummary.InputFromPass(r.pass, r.cset))
	}
	return r.cside
}

// Analyze builds the Result of the pass's package and exports its
// ReachesC facts. c says what the user told about C functions.
func Analyze(pass *analysis.Pass, c csummary.Settings) *Result {
	out := &Result{pass: pass, cset: c}
	if !relevant(pass) || len(pass.TypeErrors) > 0 {
		// Ill-typed code has no reliable SSA form: no findings (the
		// compiler reports the errors).
		return out
	}
	pkg, funcs := buildSSA(pass)
	out.Pkg = pkg
	for _, fn := range funcs {
		if !cgoshape.IsGenerated(fn) {
			out.SrcFuncs = append(out.SrcFuncs, fn)
		}
	}
	for obj, name := range cgoshape.Exports(pass.Files, pass.TypesInfo) {
		if fn := pkg.Prog.FuncValue(obj); fn != nil {
			if out.Exports == nil {
				out.Exports = make(map[*ssa.Function]string)
			}
			out.Exports[fn] = name
		}
	}
	out.sums = newSummaries(pass, out)
	exportFacts(pass, out)
	return out
}

// relevant reports whether pkg can contain a crossing: it uses cgo, uses
// the runtime guard, or imports a package whose functions forward
// parameters to C.
func relevant(pass *analysis.Pass) bool {
	if cgoshape.UsesCgo(pass.Pkg) {
		return true
	}
	direct := make(map[*types.Package]bool)
	for _, imp := range pass.Pkg.Imports() {
		if api.IsGuard(imp.Path()) {
			return true
		}
		direct[imp] = true
	}
	for _, f := range pass.AllObjectFacts() {
		if _, ok := f.Fact.(*ReachesC); ok && direct[f.Object.Pkg()] {
			return true
		}
	}
	return false
}

func exportFacts(pass *analysis.Pass, res *Result) {
	for _, fn := range res.SrcFuncs {
		if fn.Parent() != nil || fn.Object() == nil {
			continue
		}
		if reaches := res.sums.of(fn); len(reaches) > 0 {
			pass.ExportObjectFact(fn.Object(), &ReachesC{Params: reaches})
		}
	}
}

// Reaches reports which parameters of fn reach C (nil if none).
func (r *Result) Reaches(fn *ssa.Function) []Reach {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sums == nil {
		return nil
	}
	return r.sums.of(fn)
}

// Crossings returns every place in fn where a value crosses into C.
func (r *Result) Crossings(fn *ssa.Function) []Crossing {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sums == nil {
		return nil
	}
	return r.sums.crossings(fn)
}

// Callee resolves the function a call runs when the analysis can tell (a
// static call, a closure, or an interface call whose receiver has one
// concrete type), with the offset between its parameters and the call's
// arguments (1 for an interface call, whose receiver is call.Value).
func (r *Result) Callee(call *ssa.CallCommon) (*ssa.Function, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sums == nil {
		if fn := call.StaticCallee(); fn != nil && !call.IsInvoke() {
			return fn, 0
		}
		return nil, 0
	}
	return r.sums.callee(call)
}

// CrossingsAt returns the crossings made by the instruction ins.
func (r *Result) CrossingsAt(ins ssa.Instruction) []Crossing {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sums == nil || ins.Parent() == nil {
		return nil
	}
	var out []Crossing
	for _, c := range r.sums.crossings(ins.Parent()) {
		if c.Instr == ins {
			out = append(out, c)
		}
	}
	return out
}

// Mode says how C gets at a crossing value.
type Mode uint8

const (
	// ByValue: C receives the value (a pointer, unsafe.Pointer or
	// uintptr) as an argument or result and may dereference it.
	ByValue Mode = iota
	// InMemory: the value is stored in memory C reads.
	InMemory
)

// Reach records that a function hands one of its parameters to C.
type Reach struct {
	Index int    // parameter index (receiver first, for methods)
	Name  string // parameter name
	Mode  Mode
	Elems bool     // the parameter is a slice whose elements cross
	Sink  Sink     // where it ends
	Via   []string // wrappers in between, outermost first
	// Unchecked: it ends as a C argument cgo does not pointer-check
	// (see Crossing.Unchecked).
	Unchecked bool
}

// ReachesC is the fact that a function or method forwards parameters to C.
type ReachesC struct{ Params []Reach }

func (*ReachesC) AFact() {}

func (f *ReachesC) String() string {
	parts := make([]string, len(f.Params))
	for i, r := range f.Params {
		how := "value"
		if r.Mode == InMemory {
			how = "memory"
		}
		if r.Elems {
			how += " elems"
		}
		parts[i] = fmt.Sprintf("%s:%s->%s", r.Name, how, r.Sink)
	}
	return "reachesC(" + strings.Join(parts, ", ") + ")"
}

// SinkKind says where a crossing value ends up in C.
type SinkKind uint8

const (
	// CArg: an argument of the C function Sink.C.
	CArg SinkKind = iota
	// CMemory: stored into memory C allocated (C globals included).
	CMemory
	// ExportResult: returned to C by the //export function Sink.Export.
	ExportResult
	// ExportOut: stored through the pointer parameter Sink.Param of the
	// //export function Sink.Export, which C passed in: C memory, or
	// memory C reads after the call.
	ExportOut
)

// A Sink is where a crossing value ends up.
type Sink struct {
	Kind   SinkKind
	C      string // the C function, for CArg
	Arg    int    // the argument's index in the C call, for CArg
	Export string // the C name of the //export function
	Param  string // the out-parameter, for ExportOut
}

// String words the sink for messages: "C.f", "C memory", "C, as the
// result of exported F", "C memory, through the out-parameter p of
// exported F".
func (s Sink) String() string {
	switch s.Kind {
	case CMemory:
		return "C memory"
	case ExportResult:
		return "C, as the result of exported " + s.Export
	case ExportOut:
		return "C memory, through the out-parameter " + s.Param + " of exported " + s.Export
	}
	return "C." + s.C
}

// InMemory reports whether the value is stored in memory C owns.
func (s Sink) InMemory() bool { return s.Kind == CMemory || s.Kind == ExportOut }
