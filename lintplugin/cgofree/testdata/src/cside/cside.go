// Package cside frees C memory through C functions whose bodies the
// analysis reads: the preamble's and those of the .c file beside it.
package cside

/*
#include <stdlib.h>
typedef struct obj { char *name; int n; } obj;
obj *obj_new(void);
void obj_destroy(obj *o);
void obj_reset(obj *o);
void obj_print(obj *o);
static void buf_release(void *p) { if (p) free(p); }
static void buf_touch(void *p) { ((char *)p)[0] = 0; }
*/
import "C"

import "unsafe"

func destroyThenUse() {
	o := C.obj_new()
	C.obj_destroy(o)
	C.obj_print(o) // want `cgofree: o passed to C\.obj_print after it was freed by C\.obj_destroy`
}

func destroyTwice() {
	o := C.obj_new()
	C.obj_destroy(o)
	C.obj_destroy(o) // want `cgofree: o freed by C\.obj_destroy after it was already freed by C\.obj_destroy`
}

func resetThenUse() {
	o := C.obj_new()
	C.obj_reset(o) // frees the fields, not o
	C.obj_print(o)
	C.obj_destroy(o)
}

func releaseThenTouch() {
	p := C.malloc(8)
	C.buf_release(p)
	C.buf_touch(p) // want `cgofree: p passed to C\.buf_touch after it was freed by C\.buf_release`
}

func touchThenRelease() {
	p := C.malloc(8)
	C.buf_touch(p)
	C.buf_release(p)
}

func releaseThenFree() {
	p := C.malloc(8)
	C.buf_release(p)
	C.free(unsafe.Pointer(p)) // want `cgofree: p freed by C\.free after it was already freed by C\.buf_release`
}
