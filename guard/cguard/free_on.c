//go:build cgoguard

#include "_cgo_export.h"
#include "cguard.h"

// The Go side keeps the books; C threads reach it through a cgo callback.
void cguard_free(void *p) {
	if (p != NULL) {
		cguardGoFree(p);
	}
}

// The C caller's return address tells allocation sites in C apart: the Go
// stack of a call from C holds only the callback frames.
void *cguard_malloc(size_t n) { return cguardGoMalloc(n, (uintptr_t)__builtin_return_address(0)); }

void *cguard_calloc(size_t n, size_t size) { return cguardGoCalloc(n, size, (uintptr_t)__builtin_return_address(0)); }
