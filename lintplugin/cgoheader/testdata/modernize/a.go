package modernize

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

// With the modernize option: the header of a real slice or string set to
// C memory, correct but deprecated.

func Bytes(n int) []byte {
	var b []byte
	hdr := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	hdr.Data = uintptr(unsafe.Pointer(C.buffer())) // want `cgoheader: reflect.SliceHeader of b set to C memory \(the result of C.buffer\): correct, but the header types are deprecated and the uintptr hides the pointer from the compiler and vet; use unsafe.Slice\(\(\*byte\)\(unsafe.Pointer\(C.buffer\(\)\)\), n\)`
	hdr.Len = n
	hdr.Cap = n
	return b
}

func Ints(p *C.int, n, c int) (out []C.int) {
	h := (*reflect.SliceHeader)(unsafe.Pointer(&out))
	h.Len = n
	h.Data = uintptr(unsafe.Pointer(p)) // want `cgoheader: reflect.SliceHeader of out set to C memory \(p, a \*C.int\).*use unsafe.Slice\(\(\*C.int\)\(unsafe.Pointer\(p\)\), c\)\[:n\]`
	h.Cap = c
	return
}

func Name(p *C.char, n int) (s string) {
	h := (*reflect.StringHeader)(unsafe.Pointer(&s))
	h.Data = uintptr(unsafe.Pointer(p)) // want `cgoheader: reflect.StringHeader of s set to C memory \(p, a \*C.char\).*use unsafe.String\(\(\*byte\)\(unsafe.Pointer\(p\)\), n\)`
	h.Len = n
	return
}

// A header value stored whole into a real slice's header (karalabe/usb).
func Interfaces(n int) []C.int {
	var ifaces []C.int
	*(*reflect.SliceHeader)(unsafe.Pointer(&ifaces)) = reflect.SliceHeader{ // want `cgoheader: reflect.SliceHeader of ifaces set to C memory \(the result of C.ints\).*use unsafe.Slice\(\(\*C.int\)\(unsafe.Pointer\(C.ints\(\)\)\), n\)`
		Data: uintptr(unsafe.Pointer(C.ints())),
		Len:  n,
		Cap:  n,
	}
	return ifaces
}

// An alias of the C pointer, and the memory named on another line.
func Alias(n int) []byte {
	p := C.buffer()
	q := unsafe.Pointer(p)
	var b []byte
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(q) // want `cgoheader: reflect.SliceHeader of b set to C memory \(the result of C.buffer\).*use unsafe.Slice\(\(\*byte\)\(q\), n\)`
	h.Len = n
	h.Cap = n
	return b
}

// In a loop, fields set in one statement.
func Rows(n int) [][]byte {
	var rows [][]byte
	for range n {
		var b []byte
		h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
		h.Data = uintptr(unsafe.Pointer(C.buffer())) // want `cgoheader: reflect.SliceHeader of b set to C memory`
		h.Len, h.Cap = 16, 16
		rows = append(rows, b)
	}
	return rows
}

// Reported without a fix: the header outlives the assignments.
func Reused(p *C.char, n int) ([]byte, int) {
	var b []byte
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(unsafe.Pointer(p)) // want `cgoheader: reflect.SliceHeader of b set to C memory \(p, a \*C.char\).*use unsafe.Slice\(\(\*byte\)\(p\), n\)`
	h.Len = n
	h.Cap = n
	return b, h.Len
}

// A hazard is still reported as one.
func Plain(p *C.char, n int) []byte {
	h := reflect.SliceHeader{Data: uintptr(unsafe.Pointer(p)), Len: n, Cap: n}
	return *(*[]byte)(unsafe.Pointer(&h)) // want `cgoheader: reflect.SliceHeader value h is converted to a \[\]byte`
}

// Silent: Go memory, C memory on one branch only, and the replacement.

func GoMemory(arr *[16]byte) []byte {
	var b []byte
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(unsafe.Pointer(arr))
	h.Len, h.Cap = 16, 16
	return b
}

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

func Modern(n int) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(C.buffer())), n)
}

// A C string copied into Go memory, its header read.
func Copied(p *C.char) string {
	s := C.GoString(p)
	h := (*reflect.StringHeader)(unsafe.Pointer(&s))
	return string(unsafe.Slice((*byte)(unsafe.Pointer(h.Data)), h.Len))
}
