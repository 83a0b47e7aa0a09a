package a

/*
#include <stdlib.h>
#include <string.h>
typedef struct { char buf[64]; } obj;
static obj *o_new(void) { return calloc(1, sizeof(obj)); }
static void o_free(obj *o) { free(o); }
static int o_fill(obj *o, void *dst, size_t n) { memcpy(dst, o->buf, n < 64 ? n : 64); return 0; }
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Finalizers on embedded types, reached through promoted fields.

// Base's finalizer frees h; Reader embeds a *Base.
type Base struct{ h *C.obj }

func newBase() *Base {
	b := &Base{h: C.o_new()}
	runtime.SetFinalizer(b, func(b *Base) { C.o_free(b.h) })
	return b
}

type Reader struct {
	*Base
	off int
}

func NewReader() *Reader { return &Reader{Base: newBase()} }

// Flagged: r.h is r.Base.h; keeping r alive keeps its Base alive.
func (r *Reader) Read(p []byte) int {
	return int(C.o_fill(r.h, unsafe.Pointer(&p[0]), C.size_t(len(p)))) // want `cgofinalizer: the finalizer set in newBase releases r\.h with C\.o_free; \(\*Reader\)\.Read passes r\.h to C\.o_fill and does not use r after the call`
}

// Silent: r kept alive.
func (r *Reader) ReadKept(p []byte) int {
	n := C.o_fill(r.h, unsafe.Pointer(&p[0]), C.size_t(len(p)))
	runtime.KeepAlive(r)
	return int(n)
}

// Object and Blob follow git2go: Blob embeds Object by value, keeps the
// pointer Object.ptr holds also as cast, and its finalizer is Object's
// Free, promoted.
type Object struct{ ptr *C.obj }

func (o *Object) free() { C.o_free(o.ptr) }

type Blob struct {
	Object
	cast *C.obj
}

func NewBlob() *Blob {
	p := C.o_new()
	b := &Blob{Object: Object{ptr: p}, cast: p}
	runtime.SetFinalizer(b, (*Blob).free)
	return b
}

// Flagged: cast is the pointer the promoted finalizer frees as Object.ptr.
func (b *Blob) Contents(p []byte) int {
	return int(C.o_fill(b.cast, unsafe.Pointer(&p[0]), C.size_t(len(p)))) // want `cgofinalizer: the finalizer set in NewBlob releases b\.cast with C\.o_free; \(\*Blob\)\.Contents passes b\.cast to C\.o_fill and does not use b after the call`
}

// Silent: b kept alive.
func (b *Blob) ContentsKept(p []byte) int {
	n := C.o_fill(b.cast, unsafe.Pointer(&p[0]), C.size_t(len(p)))
	runtime.KeepAlive(b)
	return int(n)
}
