//go:build cgo

package cguard

import "unsafe"

// Malloc allocates n bytes of C memory, like C.malloc: it never returns nil
// (running out of memory crashes the program) and Malloc(0) returns a
// unique pointer. Release the memory with Free, or from C with cguard_free.
func Malloc(n uintptr) unsafe.Pointer { return malloc(n) }

// Calloc allocates zeroed C memory for n objects of size bytes each, like
// C.calloc: it returns nil if n*size overflows or memory runs out.
func Calloc(n, size uintptr) unsafe.Pointer { return calloc(n, size) }

// CString copies s into NUL-terminated C memory, like C.CString. Callers
// convert the result: (*C.char)(cguard.CString(s)).
func CString(s string) unsafe.Pointer { return cstring(s) }

// CBytes copies b into C memory, like C.CBytes.
func CBytes(b []byte) unsafe.Pointer { return cbytes(b) }

// Free releases memory from Malloc, Calloc, CString or CBytes, like C.free.
// Free(nil) does nothing.
func Free(p unsafe.Pointer) { free(p) }
