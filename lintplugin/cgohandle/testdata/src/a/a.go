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
	return h.Value() // want `cgohandle: h used by Value after it was deleted by Delete`
}

func errorPathNoReturn(v any) {
	h := cgo.NewHandle(v)
	if C.reg(C.uintptr_t(h)) != 0 {
		h.Delete()
	}
	C.take(C.uintptr_t(h)) // want `cgohandle: h passed to C\.take after it was deleted by Delete`
}

func alias(v any) any {
	h := cgo.NewHandle(v)
	h2 := h
	C.take(C.uintptr_t(h))
	h.Delete()
	return h2.Value() // want `cgohandle: h2 \(an alias of h\) used by Value after it was deleted by Delete`
}

func notify(h cgo.Handle) { C.take(C.uintptr_t(h)) }

func wrapper(v any) {
	h := cgo.NewHandle(v)
	C.take(C.uintptr_t(h))
	h.Delete()
	notify(h) // want `cgohandle: h passed to notify, which hands it to C\.take after it was deleted by Delete`
}

func deferredUse(v any) {
	h := cgo.NewHandle(v)
	defer func() {
		_ = h.Value() // want `cgohandle: h used by the deferred Value after it was deleted by Delete, when the function returns`
	}()
	C.take(C.uintptr_t(h))
	h.Delete()
}

// Delete after Delete.

func double(v any) {
	h := cgo.NewHandle(v)
	C.take(C.uintptr_t(h))
	h.Delete()
	h.Delete() // want `cgohandle: h deleted by Delete after it was already deleted by Delete`
}

func doubleJoin(v any, fail bool) {
	h := cgo.NewHandle(v)
	C.take(C.uintptr_t(h))
	if fail {
		h.Delete()
	}
	h.Delete() // want `cgohandle: h deleted by Delete after it was already deleted by Delete`
}

func doubleDefer(v any) error {
	h := cgo.NewHandle(v)
	defer h.Delete()
	if C.reg(C.uintptr_t(h)) != 0 {
		h.Delete() // want `cgohandle: h deleted by Delete, then deleted by the deferred Delete when the function returns`
		return errRefused
	}
	return nil
}

func doubleLoop(v any, n int) {
	h := cgo.NewHandle(v)
	C.take(C.uintptr_t(h))
	for i := 0; i < n; i++ {
		h.Delete() // want `cgohandle: h deleted by Delete after it was already deleted by Delete, on a later iteration of the loop`
	}
}

// Leaks.

func leak(v any) any {
	h := cgo.NewHandle(v) // want `cgohandle: handle from cgo\.NewHandle is never deleted and never leaves the function`
	return h.Value()
}

func discarded(v any) {
	cgo.NewHandle(v) // want `cgohandle: handle from cgo\.NewHandle is never deleted and never leaves the function`
}

// A pointer to a handle passed to C, which keeps it: the handle is not
// deleted here, so it is meant for later.

func address(v any) {
	h := cgo.NewHandle(v)
	C.take_ptr(unsafe.Pointer(&h)) // want `cgohandle: &h, a Go pointer to the cgo\.Handle from cgo\.NewHandle, passed to C\.take_ptr, and the handle is not deleted in this function, so C keeps it`
}
