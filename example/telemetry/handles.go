package telemetry

/*
#include <stdint.h>

// The agent calls one flush sink, named by a handle it keeps.
static uintptr_t tm_sink;
static int tm_register_sink(uintptr_t h) { if (tm_sink) return -1; tm_sink = h; return 0; }
static void tm_flush_sink(uintptr_t h) { (void)h; }
static void tm_register_sink_at(void *p) { tm_sink = *(uintptr_t *)p; }
*/
import "C"

import (
	"errors"
	"runtime/cgo"
	"unsafe"
)

var errSinkBusy = errors.New("telemetry: a flush sink is already registered")

// RegisterSinkUnsafe deletes the handle when the agent refuses it, but
// goes on and hands the deleted handle to the agent.
func RegisterSinkUnsafe(sink func()) {
	h := cgo.NewHandle(sink)
	if C.tm_register_sink(C.uintptr_t(h)) != 0 {
		h.Delete()
	}
	C.tm_flush_sink(C.uintptr_t(h))
}

// RegisterSink returns once the handle is deleted; the agent keeps the
// handle it accepted.
func RegisterSink(sink func()) error {
	h := cgo.NewHandle(sink)
	if C.tm_register_sink(C.uintptr_t(h)) != 0 {
		h.Delete()
		return errSinkBusy
	}
	C.tm_flush_sink(C.uintptr_t(h))
	return nil
}

// RegisterSinkAtUnsafe gives the agent the address of the Go variable
// holding the handle, not the handle.
func RegisterSinkAtUnsafe(sink func()) {
	h := cgo.NewHandle(sink)
	C.tm_register_sink_at(unsafe.Pointer(&h))
}

// RegisterSinkAt passes the address of a C.uintptr_t holding the
// handle, which the agent reads during the call and does not keep.
func RegisterSinkAt(sink func()) {
	h := cgo.NewHandle(sink)
	v := C.uintptr_t(h)
	C.tm_register_sink_at(unsafe.Pointer(&v))
}
