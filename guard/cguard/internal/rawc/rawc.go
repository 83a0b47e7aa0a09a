//go:build cgo

// Package rawc holds the raw cgo calls the benchmarks compare cguard
// against; test files cannot import "C". Each function is what a user's
// own C.malloc or C.free compiles to.
package rawc

/*
#include <stdlib.h>
#include <sys/mman.h>

// A page between two 16-page guard gaps, separated from them as cguard's
// slots are, for a protection flip measured alone.
static char *flip_page;

static int protect_pair(void) {
	if (flip_page == NULL) {
		char *m = mmap(NULL, 33 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED) {
			return -1;
		}
		madvise(m, 16 * 4096, MADV_DONTDUMP);
		madvise(m + 17 * 4096, 16 * 4096, MADV_DONTDUMP);
		flip_page = m + 16 * 4096;
	}
	if (mprotect(flip_page, 4096, PROT_READ | PROT_WRITE) != 0) {
		return -1;
	}
	flip_page[100] = 1;
	return mprotect(flip_page, 4096, PROT_NONE);
}
*/
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

// ProtectPair makes a page writable, writes to it and makes it
// inaccessible again: the two system calls a buffer on guard pages costs.
func ProtectPair() {
	if C.protect_pair() != 0 {
		panic("rawc: mprotect failed")
	}
}
