//go:build cgo

// Package rawc holds the raw cgo calls the benchmarks compare cguard
// against; test files cannot import "C". Each function is what a user's
// own C.malloc or C.free compiles to.
package rawc

// #include <stdlib.h>
import "C"

import "unsafe"

// Malloc is C.malloc.
func Malloc(n uintptr) unsafe.Pointer { return C.malloc(C.size_t(n)) }

// Calloc is C.calloc.
func Calloc(n, size uintptr) unsafe.Pointer { return C.calloc(C.size_t(n), C.size_t(size)) }

// CBytes is C.CBytes.
func CBytes(b []byte) unsafe.Pointer { return C.CBytes(b) }

// Free is C.free.
func Free(p unsafe.Pointer) { C.free(p) }

// CString is C.CString.
func CString(s string) unsafe.Pointer { return unsafe.Pointer(C.CString(s)) }
