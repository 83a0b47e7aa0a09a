// Package guard is a drop-in for runtime.Pinner and runtime/cgo.Handle
// whose debug build checks how Go values are lent to C.
//
// The names mirror the standard ones, so adopting it is a rename:
// runtime.Pinner becomes guard.Pinner, cgo.NewHandle becomes
// guard.NewHandle. C memory is allocated through the sibling package
// guard/cguard.
//
// # Two builds, one API
//
// A release build (no build tag) forwards every call to runtime.Pinner,
// cgo.Handle, malloc and free: no bookkeeping, no extra allocation, and
// the wrappers inline to the standard calls (cguard.CBytes keeps one direct
// call). Enabled reports false, Check
// returns nil, and the CGOGUARD_* variables are not read.
//
// A debug build (go build -tags cgoguard) records the stack of every pin,
// handle and C allocation; reports Value or Delete of a deleted or unknown
// handle, pinning a value the runtime refuses, and C-buffer overflow,
// underflow, double free, invalid free, write-after-free and
// use-after-free; and lists what is still held through Check, VerifyNone
// and guardhttp.Handler. Reports go through zap as structured entries; by default a
// violation is logged and then panics. Configuration comes from the
// environment, read once at start-up; see the README beside this file.
//
// # Why SetLogger is in package guardzap
//
// Release builds must not link zap, yet a program that wants reports in its
// own zap logger needs a SetLogger(*zap.Logger). Declaring that function here
// would make every importer of guard, release builds included, depend on zap.
// An interface satisfied by *zap.Logger cannot help either: all of
// *zap.Logger's logging methods take zap types, so any zap-free interface
// would have to accept values it cannot log to and fail at run time. So
// SetLogger lives in the small package guard/guardzap: only programs that
// call it import it, and those programs already link zap for the logger they
// pass. Release builds of programs that use guard and cguard alone link no
// zap, which a test checks with go list -deps.
//
// The HTTP view lives in package guard/guardhttp for the same reason:
// importing guard must not link net/http into release builds.
//
// VerifyNone likewise takes a two-method TestingT interface, satisfied by
// *testing.T, instead of testing.TB, to keep the testing package out of
// production binaries.
package guard
