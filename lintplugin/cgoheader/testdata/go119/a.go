package go119

/*
#include <stdlib.h>
struct big { char payload[1 << 20]; };
struct rec { void *p; long n; int flags; };
static char *buffer(void) { return malloc(16); }
static int *ints(void) { return calloc(4, sizeof(int)); }
*/
import "C"

import (
	"reflect"
	"unsafe"
)

// go.mod declares Go 1.19: unsafe.Slice, but not yet unsafe.String: the
// fixes write unsafe.Slice, and a []byte read as a string for strings.

func Bytes(n int) []byte {
	var b []byte
	hdr := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	hdr.Data = uintptr(unsafe.Pointer(C.buffer())) // want `cgoheader: reflect.SliceHeader of b set to C memory \(the result of C.buffer\): .*; use unsafe.Slice\(\(\*byte\)\(unsafe.Pointer\(C.buffer\(\)\)\), n\)`
	hdr.Len = n
	hdr.Cap = n
	return b
}

func Ints(p *C.int, n, c int) (out []C.int) {
	h := (*reflect.SliceHeader)(unsafe.Pointer(&out))
	h.Len = n
	h.Data = uintptr(unsafe.Pointer(p)) // want `cgoheader: reflect.SliceHeader of out set to C memory .*; use unsafe.Slice\(\(\*C\.int\)\(unsafe.Pointer\(p\)\), c\)\[:n\]`
	h.Cap = c
	return
}

func Recs(p *C.struct_rec, n int) []C.struct_rec {
	var rs []C.struct_rec
	h := (*reflect.SliceHeader)(unsafe.Pointer(&rs))
	h.Data = uintptr(unsafe.Pointer(p)) // want `cgoheader: reflect.SliceHeader of rs set to C memory .*; use unsafe.Slice\(\(\*C\.struct_rec\)\(unsafe.Pointer\(p\)\), n\)`
	h.Len = n
	h.Cap = n
	return rs
}

func Bigs(p *C.struct_big, n int) []C.struct_big {
	var bs []C.struct_big
	h := (*reflect.SliceHeader)(unsafe.Pointer(&bs))
	h.Data = uintptr(unsafe.Pointer(p)) // want `cgoheader: reflect.SliceHeader of bs set to C memory .*; use unsafe.Slice\(\(\*C\.struct_big\)\(unsafe.Pointer\(p\)\), n\)`
	h.Len = n
	h.Cap = n
	return bs
}

// A string: a []byte over the memory, read as a string.
func Name(p *C.char, n int) (s string) {
	h := (*reflect.StringHeader)(unsafe.Pointer(&s))
	h.Data = uintptr(unsafe.Pointer(p)) // want `cgoheader: reflect.StringHeader of s set to C memory .*; use unsafe.Slice\(\(\*byte\)\(unsafe.Pointer\(p\)\), n\)`
	h.Len = n
	return
}

func Interfaces(n int) []C.int {
	var ifaces []C.int
	*(*reflect.SliceHeader)(unsafe.Pointer(&ifaces)) = reflect.SliceHeader{ // want `cgoheader: reflect.SliceHeader of ifaces set to C memory .*; use unsafe.Slice\(\(\*C\.int\)\(unsafe.Pointer\(C.ints\(\)\)\), n\)`
		Data: uintptr(unsafe.Pointer(C.ints())),
		Len:  n,
		Cap:  n,
	}
	return ifaces
}

// Hazards.

func Plain(p *C.char, n int) []byte {
	h := reflect.SliceHeader{Data: uintptr(unsafe.Pointer(p)), Len: n, Cap: n}
	return *(*[]byte)(unsafe.Pointer(&h)) // want `cgoheader: reflect.SliceHeader value h is converted to a \[\]byte, .*; build the slice with unsafe.Slice\(\(\*byte\)\(unsafe.Pointer\(p\)\), n\)`
}

func PlainInline(n int) []C.int {
	return *(*[]C.int)(unsafe.Pointer(&reflect.SliceHeader{Data: uintptr(unsafe.Pointer(C.ints())), Len: n, Cap: n})) // want `cgoheader: reflect.SliceHeader literal is converted to a \[\]C.int, .*; build the slice with unsafe.Slice\(\(\*C\.int\)\(unsafe.Pointer\(C.ints\(\)\)\), n\)`
}

// A string header value becomes a []byte the conversion reads as a string.
func PlainString(p *C.char, n int) string {
	h := reflect.StringHeader{Data: uintptr(unsafe.Pointer(p)), Len: n}
	return *(*string)(unsafe.Pointer(&h)) // want `cgoheader: reflect.StringHeader value h is converted to a string, .*; build the string with unsafe.Slice\(\(\*byte\)\(unsafe.Pointer\(p\)\), n\)`
}

// No fix: before Go 1.20 a string needs an addressable []byte.
func PlainStringInline(p *C.char, n int) string {
	return *(*string)(unsafe.Pointer(&reflect.StringHeader{Data: uintptr(unsafe.Pointer(p)), Len: n})) // want `cgoheader: reflect.StringHeader literal is converted to a string, .*; build the string with a \[\]byte b := unsafe.Slice\(\(\*byte\)\(p\), n\) read as \*\(\*string\)\(unsafe.Pointer\(&b\)\)`
}

func Grow(p *C.char, n int, x byte) []byte {
	b := (*[1 << 30]byte)(unsafe.Pointer(p))[:n] // want `cgoheader: .*limit the capacity with \[:n:n\]`
	return append(b, x)
}

// Silent: the limited form.
func Limited(p *C.char, n int, x byte) []byte {
	b := (*[1 << 30]byte)(unsafe.Pointer(p))[:n:n]
	return append(b, x)
}
