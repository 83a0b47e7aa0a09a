//go:build cgo && cgoguard

package cguard

// #include <stdint.h>
import "C"

import "unsafe"

// cguardGoFree is cguard_free's way into the books, from any C thread.
//
//export cguardGoFree
func cguardGoFree(p unsafe.Pointer) { release(p) }

// cguardGoMalloc is cguard_malloc's way into the books.
//
//export cguardGoMalloc
func cguardGoMalloc(n C.size_t, caller C.uintptr_t) unsafe.Pointer {
	return allocateFrom(uintptr(n), uint64(caller)).user
}

// cguardGoCalloc is cguard_calloc's way into the books.
//
//export cguardGoCalloc
func cguardGoCalloc(n, size C.size_t, caller C.uintptr_t) unsafe.Pointer {
	if size != 0 && n > ^C.size_t(0)/size {
		return nil
	}
	b := allocateFrom(uintptr(n*size), uint64(caller))
	clear(b.bytes())
	return b.user
}
