package a

/*
#include <stdint.h>
static void take(uintptr_t h) {}
static int reg(uintptr_t h) { return 0; }
static void take_ptr(void *p) {}
*/
import "C"

import (
	"errors"
	"runtime/cgo"
	"unsafe"
)

var errRefused = errors.New("refused")

// Use after Delete.

func value(v any) any {
	h := cgo.NewHandle(v)
	C.take(C.uintptr_t(h))
	h.Delete()
	return h.Value() // want `cgohandle: h deleted at line 24, used at line 25 \(Value called\): Value panics on a deleted handle`
}

func errorPathNoReturn(v any) {
	h := cgo.NewHandle(v)
	if C.reg(C.uintptr_t(h)) != 0 {
		h.Delete()
	}
	C.take(C.uintptr_t(h)) // want `cgohandle: h deleted at line 31, used at line 33 \(passed to C.take\): C will hand back a handle that no longer exists`
}

func alias(v any) any {
	h := cgo.NewHandle(v)
	h2 := h
	C.take(C.uintptr_t(h))
	h.Delete()
	return h2.Value() // want `cgohandle: h deleted at line 40, used at line 41 through h2 \(Value called\)`
}

func notify(h cgo.Handle) { C.take(C.uintptr_t(h)) }

func wrapper(v any) {
	h := cgo.NewHandle(v)
	C.take(C.uintptr_t(h))
	h.Delete()
	notify(h) // want `cgohandle: h deleted at line 49, used at line 50 \(passed to notify, which hands it to C.take\)`
}

func deferredUse(v any) {
	h := cgo.NewHandle(v)
	defer func() {
		_ = h.Value() // want `cgohandle: h deleted at line 59, used at line 56 \(Value called\), in the call deferred at line 55`
	}()
	C.take(C.uintptr_t(h))
	h.Delete()
}

// Delete after Delete.

func double(v any) {
	h := cgo.NewHandle(v)
	C.take(C.uintptr_t(h))
	h.Delete()
	h.Delete() // want `cgohandle: h deleted at line 67, deleted again at line 68: Delete panics on a deleted handle; delete once on every path`
}

func doubleJoin(v any, fail bool) {
	h := cgo.NewHandle(v)
	C.take(C.uintptr_t(h))
	if fail {
		h.Delete()
	}
	h.Delete() // want `cgohandle: h deleted at line 75, deleted again at line 77`
}

func doubleDefer(v any) error {
	h := cgo.NewHandle(v)
	defer h.Delete()
	if C.reg(C.uintptr_t(h)) != 0 {
		h.Delete() // want `cgohandle: h deleted at line 84, deleted again when the function returns, by the Delete deferred at line 82`
		return errRefused
	}
	return nil
}

func doubleLoop(v any, n int) {
	h := cgo.NewHandle(v)
	C.take(C.uintptr_t(h))
	for i := 0; i < n; i++ {
		h.Delete() // want `cgohandle: h deleted at line 94, deleted again at line 94 on a later iteration of the loop`
	}
}

// Leaks.

func leak(v any) any {
	h := cgo.NewHandle(v) // want `cgohandle: handle from cgo.NewHandle at line 101 is never deleted and never leaves the function`
	return h.Value()
}

func discarded(v any) {
	cgo.NewHandle(v) // want `cgohandle: handle from cgo.NewHandle at line 106 is never deleted`
}

// A pointer to a handle passed to C, which keeps it: the handle is not
// deleted here, so it is meant for later.

func address(v any) {
	h := cgo.NewHandle(v)
	C.take_ptr(unsafe.Pointer(&h)) // want `cgohandle: &h, a Go pointer to the cgo.Handle made at line 113, passed to C.take_ptr at line 114, and the handle is not deleted here, so C keeps it: C must not keep a Go pointer`
}
