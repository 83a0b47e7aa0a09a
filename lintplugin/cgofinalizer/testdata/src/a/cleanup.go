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
	C.res_use(r.data) // want `cgofinalizer: cleanup added at line 23 releases r.data with C.res_release; \(\*Resource\).Use passes r.data`
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
	C.res_use(h.p) // want `cgofinalizer: finalizer set at line 40 frees h.p; \(\*Handle\).Peek passes h.p`
}
