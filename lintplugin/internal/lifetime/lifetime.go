// Package lifetime finds, within one function, uses of a resource after it
// was released and second releases of it, on some path: C memory after
// C.free (cgofree), a cgo.Handle after Delete (cgohandle). A check says what
// each instruction does (Config.Events); the package follows the control
// flow.
//
// The analysis is a forward may-analysis on the function's SSA control-flow
// graph. A release records facts ("this value was released", "this variable
// holds a released value"); they flow along every path until the variable is
// assigned again, or the value that named the resource is computed afresh (a
// loop iteration's new C.malloc). A use or release that meets such a fact is
// a finding. Branch joins merge facts, so a release in one branch reaches a
// use after the join; a path that returns after releasing carries nothing
// further.
//
// # Closures
//
// cmd/cgo turns C.free(p) into an immediately invoked closure,
// func() { _cgo0 := p; _cgoCheckPointer(_cgo0, nil); _Cfunc_free(_cgo0) }(),
// so p is a variable the closure captures by reference, and the release
// happens in another function. The engine runs every closure that is called
// where it is made inline, with its free variables bound to the enclosing
// function's variables; deferred calls run at the function's exit: cgo's
// `defer C.free(p)` (an invoked closure whose result is deferred) and
// deferred calls of methods or functions with the arguments they had at
// the defer statement, a deferred function literal with the variables as
// they are at exit.
//
// # Identity
//
// Two expressions name the same resource when the engine can tell they hold
// the same value (a must-alias): they read the same local variable, or their
// values trace back — through conversions, unsafe.Slice and friends, and
// variables with a single reaching assignment — to one SSA value (a
// C.malloc call, a parameter, a phi). Fields (s.buf) and package variables
// are tracked too, conservatively forgotten at any call that might change
// them. A variable whose address escapes (passed to a function, captured by
// a closure that is not run inline) is not tracked: something else may
// assign it. When identity is unknown the engine stays silent.
//
// # Use
//
// A check describes its resource and calls Analyze on each function:
//
//	res := lifetime.Analyze(fn, lifetime.Config{
//		Events: func(ins ssa.Instruction) []lifetime.Event {
//			// e.g. C.free(p): {Kind: lifetime.Release, Value: p}
//		},
//	})
//	for _, f := range res.Findings {
//		// f.Release, then f.Then: report both lines
//	}
//
// cgofree and cgohandle are the two users; their events functions are the
// examples.
package lifetime

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// Kind says what an instruction does to a resource.
type Kind uint8

const (
	// Use: the instruction reads or hands on the resource.
	Use Kind = iota
	// Release: the instruction frees or deletes it.
	Release
	// Acquire: the instruction allocates a resource the function then
	// owns (C.CString): Result.Leaks reports the paths to a return on
	// which it is neither released nor disposed of.
	Acquire
	// Dispose: the instruction hands the resource on (returns it, stores
	// it where it outlives the function, passes it to code that keeps or
	// frees it, or to code the analysis cannot see): the function no
	// longer owns it.
	Dispose
)

// An Event is what one instruction does to one resource.
type Event struct {
	Kind  Kind
	Value ssa.Value // the resource, as the instruction sees it
	What  string    // how, for messages: "passed to C.use", "read"
	// Cause names the call that releases or uses the resource in the
	// end, through any helpers: "C.free", "Delete", "C.use".
	Cause string
	Pos   token.Pos // where; the instruction's position when not set
	// Name is how the source names the resource here, if the check can
	// tell (SSA keeps a handle in h as a bare value); otherwise the engine
	// names it from the variables it was read from.
	Name string
	// Addr: Value is an address the instruction loads from or stores
	// to; the event is about the pointer it is computed from (through
	// fields and elements), and none when it is a variable's address.
	Addr bool
	// Path: the event is about a part of Value, or of memory reached
	// from it (a callee's summary says it frees the field buf of what
	// its receiver points to: Path is that path, see Steps).
	Path string
	// Var: Value is the address of a variable, and the event is about
	// what the variable holds (a closure captures it).
	Var bool
	// Into: for a Dispose by a store, the address stored to; storing
	// into a local variable the engine tracks disposes of nothing.
	Into ssa.Value
	// Unless: for a Release, a value in whose nil the release did not
	// happen (the result of C.realloc): past a branch that finds it nil,
	// the resource is not released.
	Unless ssa.Value
}

// Steps renders a path from its parts for Event.Path: deref follows a
// pointer, then fields selects fields of the struct reached.
func Steps(deref bool, fields ...int) string {
	s := ""
	if deref {
		s = "*"
	}
	for _, f := range fields {
		s += fieldStep(f)
	}
	return s
}

// Config is what a check tells the engine.
type Config struct {
	// Events says what ins does to resources. It is called for the
	// instructions of the function, of closures run inline, and for
	// deferred calls (*ssa.Defer) when they run at exit.
	Events func(ins ssa.Instruction) []Event
	// Harmless reports Go calls that cannot assign the fields and package
	// variables that hold resources (C calls, builtins and cgo's helpers
	// are always harmless). Other calls make the engine forget what it
	// knew about fields and package variables.
	Harmless func(call *ssa.CallCommon) bool
}

// Problem is the kind of a finding.
type Problem uint8

const (
	// UseAfterRelease: a use on a path after a release.
	UseAfterRelease Problem = iota
	// DoubleRelease: a release on a path after a release.
	DoubleRelease
)

// An Occurrence is one event of a finding.
type Occurrence struct {
	Pos   token.Pos
	Name  string // the resource as the code names it there ("p", "s.buf"), or ""
	What  string
	Cause string // see Event.Cause
	// Deferred: the event happens when the function returns, in a call
	// deferred at Defer.
	Deferred bool
	Defer    token.Pos
}

// A Finding is a release and a later use or release of the same resource.
type Finding struct {
	Problem Problem
	Release Occurrence // the first release
	Then    Occurrence // the use, or the second release
	// Loop: Then comes before Release in the source, so the path runs
	// through a later iteration of a loop.
	Loop bool
}

// A Released is a release the analysis met, for checks that need more.
type Released struct {
	Occurrence
	// Root is the value the released resource is known to be (a C.malloc
	// or C.CString call, a parameter ...), or nil.
	Root ssa.Value
	// Defer is the defer statement of a deferred release.
	Defer *ssa.Defer
}

// Result is what Analyze finds in one function.
type Result struct {
	Findings []Finding
	Releases []Released
	// Exit lists the parameters (and the parts of them, or of memory
	// reached from them) that are released when the function returns,
	// on some path: what a caller sees the function do.
	Exit []ParamEvent
	// Used lists the parameters (and parts) the function uses.
	Used []ParamEvent
	// Leaks lists the resources acquired (Acquire events) that some path
	// to a return neither releases nor disposes of.
	Leaks []Leak
	// Disposed lists the parameters (indices) the function hands on or
	// releases on some path (Dispose and Release events), values that
	// may be them included: the others it only borrows.
	Disposed []int
}

// A Leak is an acquisition and the returns it leaks at.
type Leak struct {
	Acquire Occurrence
	Returns []token.Pos
}

// A ParamEvent is a release or use of a parameter of the analysed
// function, or of a part of it.
type ParamEvent struct {
	Param int    // index in the function's Params (the receiver is 0)
	Path  string // see Event.Path; "" for the parameter's own value
	Occurrence
	// Guarded: the event happens only under a branch condition that is
	// not about the resource itself (if owned { C.free(p) }), so a
	// caller cannot tell whether it does.
	Guarded bool
}

// Analyze runs the analysis on fn (closures run inline are part of it;
// other function literals are analysed on their own).
func Analyze(fn *ssa.Function, cfg Config) Result {
	if fn == nil || len(fn.Blocks) == 0 || cfg.Events == nil {
		return Result{}
	}
	e := newEngine(fn, cfg)
	e.report = true
	exit := e.run(e.root, newState())
	res := Result{Findings: e.findings, Releases: e.releases, Used: e.used, Leaks: e.leaks, Disposed: e.disposed}
	if exit != nil {
		res.Exit = e.paramEvents(exit)
	}
	return res
}
