package a

/*
#include <stdlib.h>
static char *buffer(void) { return malloc(16); }
static int *ints(void) { return calloc(4, sizeof(int)); }
*/
import "C"

import (
	"reflect"
	"unsafe"
)

// Flagged, with a fix.

func Bytes(n int) []byte {
	var b []byte
	hdr := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	hdr.Data = uintptr(unsafe.Pointer(C.buffer())) // want `cgoheader: reflect.SliceHeader.Data set at line 20 to C memory \(the result of C.buffer at line 20\): the header hides the pointer in a uintptr and builds a slice the compiler cannot check, and reflect.SliceHeader is deprecated; use unsafe.Slice\(\(\*byte\)\(unsafe.Pointer\(C.buffer\(\)\)\), n\)`
	hdr.Len = n
	hdr.Cap = n
	return b
}

func Ints(p *C.int, n, c int) (out []C.int) {
	h := (*reflect.SliceHeader)(unsafe.Pointer(&out))
	h.Len = n
	h.Data = uintptr(unsafe.Pointer(p)) // want `cgoheader: reflect.SliceHeader.Data set at line 29 to C memory \(p, a \*C.int\).*use unsafe.Slice\(\(\*C.int\)\(unsafe.Pointer\(p\)\), c\)\[:n\]`
	h.Cap = c
	return
}

func Str(p *C.char, n int) string {
	h := reflect.StringHeader{Data: uintptr(unsafe.Pointer(p)), Len: n} // want `cgoheader: reflect.StringHeader.Data set at line 35 to C memory \(p, a \*C.char\).*builds a string .*use unsafe.String\(\(\*byte\)\(unsafe.Pointer\(p\)\), n\)`
	s := *(*string)(unsafe.Pointer(&h))
	return s
}

func Inline(n int) []C.int {
	return *(*[]C.int)(unsafe.Pointer(&reflect.SliceHeader{Data: uintptr(unsafe.Pointer(C.ints())), Len: n, Cap: n})) // want `cgoheader: .*the result of C.ints at line 41.*use unsafe.Slice\(\(\*C.int\)\(unsafe.Pointer\(C.ints\(\)\)\), n\)`
}

// Flagged, without a fix: the header outlives the assignments.

func Reused(p *C.char, n int) ([]byte, int) {
	var b []byte
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(unsafe.Pointer(p)) // want `cgoheader: reflect.SliceHeader.Data set at line 49 to C memory \(p, a \*C.char\).*use unsafe.Slice\(\(\*T\)\(p\), n\)`
	h.Len = n
	h.Cap = n
	return b, h.Len
}

// A header variable filled field by field.
func Filled(p *C.char, n int) []byte {
	var h reflect.SliceHeader
	h.Data = uintptr(unsafe.Pointer(p)) // want `cgoheader: reflect.SliceHeader.Data set at line 58`
	h.Len, h.Cap = n, n
	return *(*[]byte)(unsafe.Pointer(&h))
}

// Silent: Go memory, and the replacement itself.

func GoMemory(arr *[16]byte) []byte {
	var b []byte
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(unsafe.Pointer(arr))
	h.Len, h.Cap = 16, 16
	return b
}

func Modern(n int) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(C.buffer())), n)
}

// Reading a header is not building one.
func DataOf(b []byte) uintptr {
	return (*reflect.SliceHeader)(unsafe.Pointer(&b)).Data
}

// A C string copied into Go memory.
func Copied(p *C.char) string {
	s := C.GoString(p)
	h := (*reflect.StringHeader)(unsafe.Pointer(&s))
	return string(unsafe.Slice((*byte)(unsafe.Pointer(h.Data)), h.Len))
}

// An alias of the C pointer.
func Alias(n int) []byte {
	p := C.buffer()
	q := unsafe.Pointer(p)
	var b []byte
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(q) // want `cgoheader: reflect.SliceHeader.Data set at line 95 to C memory \(the result of C.buffer at line 91\)`
	h.Len = n
	h.Cap = n
	return b
}

// C memory on one branch, Go memory on the other: left alone.
func Mixed(useC bool, arr *[16]byte) []byte {
	var p unsafe.Pointer = unsafe.Pointer(arr)
	if useC {
		p = unsafe.Pointer(C.buffer())
	}
	var b []byte
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(p)
	h.Len, h.Cap = 16, 16
	return b
}

// In a loop.
func Rows(n int) [][]byte {
	var rows [][]byte
	for range n {
		var b []byte
		h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
		h.Data = uintptr(unsafe.Pointer(C.buffer())) // want `cgoheader: reflect.SliceHeader.Data set at line 120 to C memory`
		h.Len = 16
		h.Cap = 16
		rows = append(rows, b)
	}
	return rows
}
