// Package api is cgoguard's one table of API knowledge: what each function
// the checks care about does. Checks and the engine ask it typed questions
// (Classify a call, HandleType of a type); nothing else matches function
// or package names.
//
// It knows cgo's builtins and calls (C.malloc, C.free, C.CString, C.GoBytes
// and every other C function, as cmd/cgo spells them: _Cfunc_f, _CMalloc),
// the runtime guard's drop-ins (cguard.Malloc/Free, guard.Pinner,
// guard.NewHandle), runtime.Pinner, cgo.Handle, runtime.KeepAlive,
// SetFinalizer and AddCleanup, the locks of package sync, sync.Map, and
// the reflect and unsafe functions that turn values into pointers.
package api

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
)

// Import paths of the runtime guard, whose drop-ins behave like the
// standard calls they replace.
const (
	GuardPkg  = "github.com/cgoguard/cgoguard/guard"
	CguardPkg = "github.com/cgoguard/cgoguard/guard/cguard"
)

// Kind is what a known call does.
type Kind uint8

const (
	Other Kind = iota // nothing the table knows of

	// C memory.
	CAlloc   // returns fresh C memory: C.malloc/calloc/realloc/CString/CBytes/strdup, cguard.Malloc/Calloc/CString/CBytes
	CFree    // frees its first argument: C.free, cguard.Free
	CCopyOut // copies C memory into Go: C.GoString, C.GoStringN, C.GoBytes (argument 0 is read)
	CCall    // any other C function (see Call.C)

	// Handles (cgo.Handle and guard.Handle).
	HandleNew
	HandleValue
	HandleDelete

	// Pinning (runtime.Pinner and guard.Pinner).
	PinnerPin
	PinnerUnpin

	// Liveness.
	KeepAlive    // runtime.KeepAlive
	SetFinalizer // runtime.SetFinalizer
	AddCleanup   // runtime.AddCleanup
	CleanupStop  // runtime.Cleanup.Stop

	// Locks of package sync (sync.Mutex, sync.RWMutex, sync.Locker).
	Lock
	Unlock
	RLock
	RUnlock
	SyncMap // a method of sync.Map: safe for concurrent use

	// Views that share memory with their argument: unsafe.Add, Slice,
	// SliceData, String, StringData and cgo's _Cgo_ptr return (a pointer
	// into) argument 0.
	View
	// A pointer out of a reflect.Value: UnsafePointer, Pointer,
	// UnsafeAddr (the receiver's memory).
	ReflectPointer
	// reflect.ValueOf: a reflect.Value of argument 0.
	ReflectValueOf

	// cgo's own bookkeeping (_cgoCheckPointer, _Cgo_use, ...): not a use
	// of the value.
	CgoCheck

	// A function of package maps that writes its first argument
	// (maps.Copy, DeleteFunc, Insert).
	MapsWrite
)

// A Call is what Classify knows of a call.
type Call struct {
	Kind Kind
	// C is the C function's name for C calls ("malloc", "free", "f").
	C string
	// Guard: the runtime guard's drop-in (cguard.Free, guard.Pinner ...).
	Guard bool
	// Name is how the user's code spells the callee: "C.free",
	// "cguard.Free", "Delete", "runtime.KeepAlive".
	Name string
}

// Classify says what the call does.
func Classify(call *ssa.CallCommon) Call {
	if call == nil {
		return Call{}
	}
	if call.IsInvoke() {
		switch call.Method.Name() {
		case "Lock":
			return Call{Kind: Lock, Name: "Lock"}
		case "Unlock":
			return Call{Kind: Unlock, Name: "Unlock"}
		}
		return Call{}
	}
	if b, ok := call.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "Add", "SliceData", "StringData", "Slice", "String":
			return Call{Kind: View, Name: "unsafe." + b.Name()}
		}
		return Call{}
	}
	fn := call.StaticCallee()
	if fn == nil {
		return Call{}
	}
	if c, ok := cgoshape.CFuncName(fn); ok {
		return classifyC(c)
	}
	switch fn.Name() {
	case "_cgoCheckPointer", "_cgoCheckResult", "_Cgo_use", "_Cgo_keepalive":
		if fn.Parent() == nil {
			return Call{Kind: CgoCheck, Name: fn.Name()}
		}
	case "_Cgo_ptr":
		if fn.Parent() == nil {
			return Call{Kind: View, Name: fn.Name()}
		}
	}
	return classifyGo(fn)
}

func classifyC(name string) Call {
	c := Call{Kind: CCall, C: name, Name: "C." + name}
	switch name {
	case "malloc", "calloc", "realloc", "CString", "CBytes", "strdup", "strndup", "aligned_alloc":
		c.Kind = CAlloc
	case "free":
		c.Kind = CFree
	case "GoString", "GoStringN", "GoBytes":
		c.Kind = CCopyOut
	}
	return c
}

func classifyGo(fn *ssa.Function) Call {
	if o := fn.Origin(); o != nil {
		fn = o
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Pkg() == nil {
		return Call{}
	}
	name := obj.Name()
	recv := recvName(obj)
	switch obj.Pkg().Path() {
	case CguardPkg:
		switch name {
		case "Malloc", "Calloc", "CString", "CBytes":
			return Call{Kind: CAlloc, Guard: true, Name: "cguard." + name}
		case "Free":
			return Call{Kind: CFree, Guard: true, Name: "cguard.Free"}
		}
	case "runtime":
		switch {
		case recv == "Pinner" && name == "Pin":
			return Call{Kind: PinnerPin, Name: "Pin"}
		case recv == "Pinner" && name == "Unpin":
			return Call{Kind: PinnerUnpin, Name: "Unpin"}
		case recv == "Cleanup" && name == "Stop":
			return Call{Kind: CleanupStop, Name: "Stop"}
		case recv == "" && name == "KeepAlive":
			return Call{Kind: KeepAlive, Name: "runtime.KeepAlive"}
		case recv == "" && name == "SetFinalizer":
			return Call{Kind: SetFinalizer, Name: "runtime.SetFinalizer"}
		case recv == "" && name == "AddCleanup":
			return Call{Kind: AddCleanup, Name: "runtime.AddCleanup"}
		}
	case GuardPkg:
		switch {
		case recv == "Pinner" && name == "Pin":
			return Call{Kind: PinnerPin, Guard: true, Name: "Pin"}
		case recv == "Pinner" && name == "Unpin":
			return Call{Kind: PinnerUnpin, Guard: true, Name: "Unpin"}
		case recv == "" && name == "NewHandle":
			return Call{Kind: HandleNew, Guard: true, Name: "guard.NewHandle"}
		case recv == "Handle" && name == "Value":
			return Call{Kind: HandleValue, Guard: true, Name: "Value"}
		case recv == "Handle" && name == "Delete":
			return Call{Kind: HandleDelete, Guard: true, Name: "Delete"}
		}
	case "runtime/cgo":
		switch {
		case recv == "" && name == "NewHandle":
			return Call{Kind: HandleNew, Name: "cgo.NewHandle"}
		case recv == "Handle" && name == "Value":
			return Call{Kind: HandleValue, Name: "Value"}
		case recv == "Handle" && name == "Delete":
			return Call{Kind: HandleDelete, Name: "Delete"}
		}
	case "sync":
		switch recv {
		case "Mutex", "RWMutex":
			switch name {
			case "Lock", "TryLock":
				return Call{Kind: Lock, Name: name}
			case "Unlock":
				return Call{Kind: Unlock, Name: name}
			case "RLock", "TryRLock":
				return Call{Kind: RLock, Name: name}
			case "RUnlock":
				return Call{Kind: RUnlock, Name: name}
			}
		case "Map":
			return Call{Kind: SyncMap, Name: "sync.Map." + name}
		}
	case "maps":
		switch name {
		case "Copy", "DeleteFunc", "Insert":
			return Call{Kind: MapsWrite, Name: "maps." + name}
		}
	case "reflect":
		if recv == "" && name == "ValueOf" {
			return Call{Kind: ReflectValueOf, Name: "reflect.ValueOf"}
		}
		if recv == "Value" {
			switch name {
			case "UnsafePointer", "Pointer", "UnsafeAddr":
				return Call{Kind: ReflectPointer, Name: "reflect.Value." + name}
			}
		}
	}
	return Call{}
}

// recvName is the name of the receiver's named type of a method, or "".
func recvName(obj *types.Func) string {
	recv := obj.Type().(*types.Signature).Recv()
	if recv == nil {
		return ""
	}
	t := recv.Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// WritesNothing reports whether a call of this kind leaves the memory its
// arguments reach as it was: C calls are not among them (C may write what
// it is given), but cgo's checks, views, reflect's pointer accessors,
// KeepAlive, pinning and handle lookups are.
func (c Call) WritesNothing() bool {
	switch c.Kind {
	case CgoCheck, View, ReflectValueOf, ReflectPointer, KeepAlive, PinnerPin, PinnerUnpin,
		HandleValue, CCopyOut:
		return true
	}
	return false
}

// HandleType reports whether t is cgo.Handle or guard.Handle, and how the
// user's code names it.
func HandleType(t types.Type) (string, bool) {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Name() != "Handle" {
		return "", false
	}
	switch n.Obj().Pkg().Path() {
	case "runtime/cgo":
		return "cgo.Handle", true
	case GuardPkg:
		return "guard.Handle", true
	}
	return "", false
}

// ReflectHeader reports whether t is reflect.SliceHeader or
// reflect.StringHeader, and which.
func ReflectHeader(t types.Type) (string, bool) {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "reflect" {
		return "", false
	}
	switch n.Obj().Name() {
	case "SliceHeader", "StringHeader":
		return n.Obj().Name(), true
	}
	return "", false
}

// IsSyncMap reports whether t is sync.Map, whose entries live in memory
// the runtime manages, as a map's do.
func IsSyncMap(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "Map"
}

// IsGuard reports whether the import path is the runtime guard or one of
// its packages.
func IsGuard(path string) bool {
	return path == GuardPkg || strings.HasPrefix(path, GuardPkg+"/")
}

// NoReturn reports the standard functions that never return, so that code
// after them is unreachable.
func NoReturn(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	name := fn.Name()
	switch fn.Pkg().Path() {
	case "os":
		return name == "Exit"
	case "log":
		switch name {
		case "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln":
			return true
		}
	case "runtime":
		return name == "Goexit"
	case "syscall":
		return name == "Exit"
	case "testing":
		switch name {
		case "FailNow", "Fatal", "Fatalf", "SkipNow", "Skip", "Skipf":
			return fn.Type().(*types.Signature).Recv() != nil
		}
	}
	return false
}
