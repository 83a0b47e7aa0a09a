//go:build cgo && cgoguard

package cguard

import "C"

import "unsafe"

// cguardGoFree is cguard_free's way into the books, from any C thread.
//
//export cguardGoFree
func cguardGoFree(p unsafe.Pointer) { release(p) }

// cguardGoMalloc is cguard_malloc's way into the books.
//
//export cguardGoMalloc
func cguardGoMalloc(n C.size_t) unsafe.Pointer { return malloc(uintptr(n)) }

// cguardGoCalloc is cguard_calloc's way into the books.
//
//export cguardGoCalloc
func cguardGoCalloc(n, size C.size_t) unsafe.Pointer { return calloc(uintptr(n), uintptr(size)) }
