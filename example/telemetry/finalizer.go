package telemetry

/*
#include <stdlib.h>
#include <string.h>

// tm_fill stands for the agent writing a frame; tm_read copies it out.
static void tm_fill(char *buf, size_t n) { memset(buf, '#', n); }
static void tm_read(char *buf, void *dst, size_t n) { memcpy(dst, buf, n); }
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

// ReadUnsafe hands f.buf to C, which copies the frame into p, and never
// uses f again: once the arguments are evaluated f is garbage, and the
// finalizer may free f.buf while C still reads it (a caller's last use of
// a frame is typically reading it out).
func (f *Frame) ReadUnsafe(p []byte) int {
	n := min(len(p), int(f.size))
	C.tm_read(f.buf, unsafe.Pointer(&p[0]), C.size_t(n))
	return n
}

// Read keeps f (and so f.buf) alive until C returns.
func (f *Frame) Read(p []byte) int {
	n := min(len(p), int(f.size))
	C.tm_read(f.buf, unsafe.Pointer(&p[0]), C.size_t(n))
	runtime.KeepAlive(f)
	return n
}

// Fill is a setter: C writes the frame, which the caller then reads
// through f, keeping f alive past this call; the default scope leaves it
// alone (scope "all" reports it).
func (f *Frame) Fill() {
	C.tm_fill(f.buf, f.size)
}
