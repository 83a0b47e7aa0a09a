package a

/*
#include <stdint.h>
static void take2(uintptr_t h) {}
static int reg2(uintptr_t h) { return 0; }
static void get_handle(void *out) {}
static void with_context(void *ctx) {}
void register_handle(uintptr_t h); // a library: what it does is unknown
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// Near misses: the check is silent on all of these.

func deleteLast(v any) any {
	h := cgo.NewHandle(v)
	C.take2(C.uintptr_t(h))
	out := h.Value()
	h.Delete()
	return out
}

func deferred(v any) any {
	h := cgo.NewHandle(v)
	defer h.Delete()
	C.take2(C.uintptr_t(h))
	return h.Value()
}

func errorPathReturns(v any) error {
	h := cgo.NewHandle(v)
	if C.reg2(C.uintptr_t(h)) != 0 {
		h.Delete()
		return errRefused
	}
	C.take2(C.uintptr_t(h))
	h.Delete()
	return nil
}

func eachIteration(vs []any) {
	for _, v := range vs {
		h := cgo.NewHandle(v)
		C.take2(C.uintptr_t(h))
		h.Delete()
	}
}

func remade(v any) any {
	h := cgo.NewHandle(v)
	C.take2(C.uintptr_t(h))
	h.Delete()
	h = cgo.NewHandle(v)
	defer h.Delete()
	return h.Value()
}

func twoHandles(a, b any) {
	h1 := cgo.NewHandle(a)
	h2 := cgo.NewHandle(b)
	h1.Delete()
	C.take2(C.uintptr_t(h2))
	h2.Delete()
}

// Handles that leave the function: C or the caller deletes them.

func registered(v any) {
	h := cgo.NewHandle(v)
	C.register_handle(C.uintptr_t(h))
}

func returned(v any) cgo.Handle {
	return cgo.NewHandle(v)
}

type sink struct{ h cgo.Handle }

func stored(s *sink, v any) {
	s.h = cgo.NewHandle(v)
}

func captured(v any, done chan struct{}) {
	h := cgo.NewHandle(v)
	go func() {
		<-done
		h.Delete()
	}()
}

// A callback from C deletes the handle it was given.
func callback(x C.uintptr_t) {
	h := cgo.Handle(x)
	fn := h.Value().(func())
	h.Delete()
	fn()
}

// An out parameter: C fills the handle in.
func outParam() any {
	var h cgo.Handle
	C.get_handle(unsafe.Pointer(&h))
	defer h.Delete()
	return h.Value()
}

// The void* pattern runtime/cgo documents: C uses &h during the call only,
// and the handle is deleted when the function returns.
func voidContext(v any) {
	h := cgo.NewHandle(v)
	defer h.Delete()
	C.with_context(unsafe.Pointer(&h))
}
