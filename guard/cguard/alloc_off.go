//go:build cgo && !cgoguard

package cguard

/*
#include <stdint.h>
#include <stdlib.h>

// Taking the pointer as an integer spares cgo's pointer check, which
// C.free(p) would run on every call and which kept free from inlining: Free
// compiles to a single cgo call. The check is for Go memory passed to C;
// freeing Go memory is a crash either way.
static void cguard_release(uintptr_t p) { free((void *)p); }
*/
import "C"

import "unsafe"

func malloc(n uintptr) unsafe.Pointer { return C.malloc(C.size_t(n)) }

func calloc(n, size uintptr) unsafe.Pointer { return C.calloc(C.size_t(n), C.size_t(size)) }

func cstring(s string) unsafe.Pointer { return unsafe.Pointer(C.CString(s)) }

func cbytes(b []byte) unsafe.Pointer { return C.CBytes(b) }

func free(p unsafe.Pointer) { C.cguard_release(C.uintptr_t(uintptr(p))) }
