package a

/*
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

static void *g_buf;
static char g_copy[64];

static void set_buf(void *p) { g_buf = p; }
static void use_now(void *p) { ((char *)p)[0] = 1; }
static void use_and_clear(void *p) { g_buf = p; use_now(g_buf); g_buf = NULL; }
static void keep_copy(const char *s) { strncpy(g_copy, s, sizeof g_copy - 1); }

static void *worker(void *arg) { use_now(arg); return NULL; }
static void start_worker(void *arg) {
	pthread_t t;
	pthread_create(&t, NULL, worker, arg);
}
static void run_worker(void *arg) {
	pthread_t t;
	pthread_create(&t, NULL, worker, arg);
	pthread_join(t, NULL);
}

void register_ctx(void *ctx);
void unknown_lib(void *p);
*/
import "C"

import (
	"runtime"
	"unsafe"
)

func retainedByStatic() {
	x := new(int)
	C.set_buf(unsafe.Pointer(x)) // want `cgoretain: Go memory \(new\(int\)\) passed to C\.set_buf, which keeps its parameter p in static g_buf after the call returns`
}

func retainedSliceElem() {
	buf := make([]byte, 16)
	C.set_buf(unsafe.Pointer(&buf[0])) // want `cgoretain: Go memory \(a Go slice\) passed to C\.set_buf, which keeps its parameter p in static g_buf`
}

func cMemoryRetained() {
	p := C.malloc(16)
	C.set_buf(p)
}

func pinnedRetained() {
	var pin runtime.Pinner
	x := new(int)
	pin.Pin(x)
	C.set_buf(unsafe.Pointer(x))
}

func usedOnly() {
	x := new(int)
	C.use_now(unsafe.Pointer(x))
}

func clearedBeforeReturn() {
	x := new(int)
	C.use_and_clear(unsafe.Pointer(x))
}

func copiedBeforeReturn() {
	s := []byte("hello\x00")
	C.keep_copy((*C.char)(unsafe.Pointer(&s[0])))
}

func handedToThread() {
	x := new(int)
	C.start_worker(unsafe.Pointer(x)) // want `cgoretain: Go memory \(new\(int\)\) passed to C\.start_worker, which keeps its parameter arg in the thread started by pthread_create`
}

func handedToJoinedThread() {
	x := new(int)
	C.run_worker(unsafe.Pointer(x))
}

func registeredInCFile() {
	var ctx struct{ n int }
	C.register_ctx(unsafe.Pointer(&ctx)) // want `cgoretain: Go memory \(the variable ctx\) passed to C\.register_ctx, which keeps its parameter ctx in`
}

func unknownLibrary() {
	x := new(int)
	C.unknown_lib(unsafe.Pointer(x))
}

// Through a Go wrapper.
func setBuf(p unsafe.Pointer) { C.set_buf(p) }

func retainedViaWrapper() {
	x := new(int)
	setBuf(unsafe.Pointer(x)) // want `cgoretain: Go memory \(new\(int\)\) passed to C\.set_buf via parameter p of setBuf\(\), which keeps its parameter p in static g_buf`
}

// Pinned, but unpinned while C still holds the pointer.
func pinnedThenUnpinned() {
	var pin runtime.Pinner
	x := new(int)
	pin.Pin(x)
	C.set_buf(unsafe.Pointer(x)) // want `cgoretain: Go memory \(new\(int\)\) passed to C\.set_buf, which keeps its parameter p in static g_buf, is unpinned before any later C call could make C let go of it`
	pin.Unpin()
}

func pinnedDeferredUnpin() {
	var pin runtime.Pinner
	defer pin.Unpin()
	x := new(int)
	pin.Pin(x)
	C.set_buf(unsafe.Pointer(x)) // want `cgoretain: Go memory \(new\(int\)\) passed to C\.set_buf, which keeps its parameter p in static g_buf, is unpinned before`
}

func pinnedReleasedThenUnpinned() {
	var pin runtime.Pinner
	x := new(int)
	pin.Pin(x)
	C.set_buf(unsafe.Pointer(x))
	C.use_now(unsafe.Pointer(x))
	C.set_buf(nil)
	pin.Unpin()
}
