package telemetry

/*
#include <stdlib.h>
#include <string.h>

// tm_fill stands for the agent writing a frame into a caller's buffer.
static void tm_fill(char *buf, size_t n) { memset(buf, '#', n); }
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Frame is a C buffer the agent fills; a finalizer frees it when the Frame
// is garbage.
type Frame struct {
	buf  *C.char
	size C.size_t
}

// NewFrame allocates a frame of size bytes.
func NewFrame(size int) *Frame {
	f := &Frame{buf: (*C.char)(C.malloc(C.size_t(size))), size: C.size_t(size)}
	runtime.SetFinalizer(f, func(f *Frame) { C.free(unsafe.Pointer(f.buf)) })
	return f
}

// FillUnsafe hands f.buf to C and never uses f again: once the arguments
// are evaluated f is garbage, and the finalizer may free f.buf while C
// still writes into it.
func (f *Frame) FillUnsafe() {
	C.tm_fill(f.buf, f.size)
}

// Fill keeps f (and so f.buf) alive until C returns.
func (f *Frame) Fill() {
	C.tm_fill(f.buf, f.size)
	runtime.KeepAlive(f)
}
