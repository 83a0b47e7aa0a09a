package a

/*
#include <stdlib.h>
struct gslice { void *data; long len; long cap; };
*/
import "C"

import (
	"reflect"
	"unsafe"
)

// Flagged: a header in C memory (a C struct shaped like a slice) holding
// Go memory.
func Expose() *C.struct_gslice {
	buf := make([]byte, 16)
	cs := (*C.struct_gslice)(C.malloc(C.size_t(unsafe.Sizeof(C.struct_gslice{}))))
	h := (*reflect.SliceHeader)(unsafe.Pointer(cs))
	h.Data = uintptr(unsafe.Pointer(&buf[0])) // want `cgoheader: Data of a reflect.SliceHeader in C memory set to Go memory: C must not hold Go pointers, and in a uintptr the pointer is hidden from the GC and from cgo's checks, so the Go memory may move or be freed while C uses it; copy the data into C memory \(C.CBytes, C.malloc\), or pin it with a runtime.Pinner for as long as C holds it`
	h.Len, h.Cap = 16, 16
	return cs
}

// Silent near-misses: C memory in the C header, and a header whose own
// memory may be Go's (a C-typed pointer from the caller).

func ExposeC() *C.struct_gslice {
	cs := (*C.struct_gslice)(C.malloc(C.size_t(unsafe.Sizeof(C.struct_gslice{}))))
	h := (*reflect.SliceHeader)(unsafe.Pointer(cs))
	h.Data = uintptr(C.malloc(16))
	h.Len, h.Cap = 16, 16
	return cs
}

func Fill(cs *C.struct_gslice) {
	buf := make([]byte, 16)
	h := (*reflect.SliceHeader)(unsafe.Pointer(cs))
	h.Data = uintptr(unsafe.Pointer(&buf[0]))
	h.Len, h.Cap = 16, 16
}
