//go:build cgo && !cgoguard

package cguard

// #include <stdlib.h>
import "C"

import "unsafe"

func malloc(n uintptr) unsafe.Pointer { return C.malloc(C.size_t(n)) }

func calloc(n, size uintptr) unsafe.Pointer { return C.calloc(C.size_t(n), C.size_t(size)) }

func cstring(s string) unsafe.Pointer { return unsafe.Pointer(C.CString(s)) }

func cbytes(b []byte) unsafe.Pointer { return C.CBytes(b) }

func free(p unsafe.Pointer) { C.free(p) }
