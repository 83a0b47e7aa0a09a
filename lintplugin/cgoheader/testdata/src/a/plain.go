package a

/*
#include <stdlib.h>
static char *buffer(void) { return malloc(16); }
static int *ints(void) { return calloc(4, sizeof(int)); }
static unsigned char *keys(int *n) { static unsigned char k[8]; *n = 8; return k; }
*/
import "C"

import (
	"reflect"
	"unsafe"
)

// Flagged: a header value converted to a slice or string is not the
// header of a real one.

func Inline(n int) []C.int {
	return *(*[]C.int)(unsafe.Pointer(&reflect.SliceHeader{Data: uintptr(unsafe.Pointer(C.ints())), Len: n, Cap: n})) // want `cgoheader: reflect.SliceHeader literal is converted to a \[\]C.int, but a header is valid only as \*reflect.SliceHeader over a real slice: in a plain value Data is an integer that neither the GC nor escape analysis sees as a pointer; build the slice with unsafe.Slice\(\(\*C.int\)\(unsafe.Pointer\(C.ints\(\)\)\), n\)`
}

func Str(p *C.char, n int) string {
	h := reflect.StringHeader{Data: uintptr(unsafe.Pointer(p)), Len: n}
	s := *(*string)(unsafe.Pointer(&h)) // want `cgoheader: reflect.StringHeader value h is converted to a string, .*over a real string: .*build the string with unsafe.String\(\(\*byte\)\(unsafe.Pointer\(p\)\), n\)`
	return s
}

// A literal over several lines, converted in the next statement.
func Table(length int) []C.int {
	hdr := reflect.SliceHeader{
		Data: uintptr(unsafe.Pointer(C.ints())),
		Len:  length,
		Cap:  length,
	}
	table := *(*[]C.int)(unsafe.Pointer(&hdr)) // want `cgoheader: reflect.SliceHeader value hdr is converted to a \[\]C.int`
	return table
}

// A header variable filled field by field (go-sdl2's GetKeyboardState).
func Keys() []uint8 {
	var numkeys C.int
	start := C.keys(&numkeys)
	sh := reflect.SliceHeader{}
	sh.Len = int(numkeys)
	sh.Cap = int(numkeys)
	sh.Data = uintptr(unsafe.Pointer(start))
	return *(*[]uint8)(unsafe.Pointer(&sh)) // want `cgoheader: reflect.SliceHeader value sh is converted to a \[\]uint8.*unsafe.Slice\(\(\*uint8\)\(unsafe.Pointer\(start\)\), int\(numkeys\)\)`
}

func Filled(p *C.char, n int) []byte {
	var h reflect.SliceHeader
	h.Data = uintptr(unsafe.Pointer(p))
	h.Len, h.Cap = n, n
	return *(*[]byte)(unsafe.Pointer(&h)) // want `cgoheader: reflect.SliceHeader value h is converted to a \[\]byte`
}

// Go memory in a header value: the stack array may move or die while only
// the integer in Data refers to it.
func GoArray() []byte {
	var arr [16]byte
	h := reflect.SliceHeader{Data: uintptr(unsafe.Pointer(&arr)), Len: 16, Cap: 16}
	return *(*[]byte)(unsafe.Pointer(&h)) // want `cgoheader: reflect.SliceHeader value h is converted to a \[\]byte`
}

// Flagged without a fix: the header is read after the conversion.
func Reused(p *C.char, n int) ([]byte, int) {
	h := reflect.SliceHeader{Data: uintptr(unsafe.Pointer(p)), Len: n, Cap: n}
	b := *(*[]byte)(unsafe.Pointer(&h)) // want `cgoheader: reflect.SliceHeader value h is converted to a \[\]byte.*build the slice with unsafe.Slice\(\(\*byte\)\(p\), n\)`
	return b, h.Len
}

// Flagged without a fix: Data is set twice.
func DataTwice(p, q *C.char, n int) []byte {
	h := reflect.SliceHeader{Data: uintptr(unsafe.Pointer(p)), Len: n, Cap: n}
	h.Data = uintptr(unsafe.Pointer(q))
	return *(*[]byte)(unsafe.Pointer(&h)) // want `cgoheader: reflect.SliceHeader value h is converted to a \[\]byte.*unsafe.Slice\(\(\*byte\)\(p\), n\)`
}

// Silent near-misses.

// The header of a real slice set to C memory: correct, merely deprecated
// (reported only with the modernize option).
func RealHeader(n int) []byte {
	var b []byte
	hdr := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	hdr.Data = uintptr(unsafe.Pointer(C.buffer()))
	hdr.Len = n
	hdr.Cap = n
	return b
}

// A header value stored whole into a real slice's header (karalabe/usb):
// the value never becomes a slice itself.
func StoredWhole(n int) []C.int {
	var ifaces []C.int
	*(*reflect.SliceHeader)(unsafe.Pointer(&ifaces)) = reflect.SliceHeader{
		Data: uintptr(unsafe.Pointer(C.ints())),
		Len:  n,
		Cap:  n,
	}
	return ifaces
}

// A header value that is never converted.
func Describe(p *C.char, n int) reflect.SliceHeader {
	return reflect.SliceHeader{Data: uintptr(unsafe.Pointer(p)), Len: n, Cap: n}
}

// A copy of a real slice's header, read: no header is built.
func DataOf(b []byte) uintptr {
	h := *(*reflect.SliceHeader)(unsafe.Pointer(&b))
	return h.Data
}

func Modern(n int) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(C.buffer())), n)
}
