package a

/*
#include <stdlib.h>
static void res_use(char *p) {}
static void res_release(char *p) { free(p); }
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Resource frees its C buffer with a cleanup, through a named method.
type Resource struct {
	data *C.char
	meta *C.char
}

func NewResource() *Resource {
	r := &Resource{data: C.CString("x"), meta: C.CString("m")}
	runtime.AddCleanup(r, func(p *C.char) { C.res_release(p) }, r.data)
	return r
}

func (r *Resource) Use() {
	C.res_use(r.data) // want `cgofinalizer: the cleanup added in NewResource releases r\.data with C\.res_release; \(\*Resource\)\.Use passes r\.data to C\.res_use and does not use r after the call, so the cleanup can run while C still uses the memory; add runtime\.KeepAlive\(r\) after the call`
}

func (r *Resource) UseMeta() {
	C.res_use(r.meta) // not freed by the cleanup
}

// Handle's finalizer is a named method, which frees through a helper.
type Handle struct{ p *C.char }

func NewHandle() *Handle {
	h := &Handle{p: C.CString("h")}
	runtime.SetFinalizer(h, (*Handle).finalize)
	return h
}

func (h *Handle) finalize() { freeField(h) }

func freeField(h *Handle) { C.free(unsafe.Pointer(h.p)) }

func (h *Handle) Peek() {
	C.res_use(h.p) // want `cgofinalizer: the finalizer set in NewHandle frees h\.p; \(\*Handle\)\.Peek passes h\.p to C\.res_use and does not use h after the call, so the finalizer can run while C still uses the memory; add runtime\.KeepAlive\(h\) after the call`
}
