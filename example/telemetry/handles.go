package telemetry

/*
#include <stdint.h>

// The agent calls one flush sink, named by a handle it keeps.
static uintptr_t tm_sink;
static int tm_register_sink(uintptr_t h) { if (tm_sink) return -1; tm_sink = h; return 0; }
static void tm_flush_sink(uintptr_t h) { (void)h; }
#include <stdlib.h>

// The context-pointer flavour: the agent keeps ctx and reads the handle
// from it when it flushes, after the call has returned.
static void *tm_sink_ctx;
static void tm_register_sink_ctx(void *ctx) { tm_sink_ctx = ctx; }
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

// RegisterSinkCtxUnsafe gives the agent, which keeps it, the address of the
// Go variable holding the handle instead of the handle.
func RegisterSinkCtxUnsafe(sink func()) {
	h := cgo.NewHandle(sink)
	C.tm_register_sink_ctx(unsafe.Pointer(&h))
}

// RegisterSinkCtx gives the agent a copy of the handle in C memory, which
// C may keep.
func RegisterSinkCtx(sink func()) {
	ctx := (*C.uintptr_t)(C.malloc(C.size_t(unsafe.Sizeof(C.uintptr_t(0)))))
	*ctx = C.uintptr_t(cgo.NewHandle(sink))
	C.tm_register_sink_ctx(unsafe.Pointer(ctx))
}
