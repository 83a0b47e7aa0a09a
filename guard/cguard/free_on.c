//go:build cgoguard

#include "_cgo_export.h"
#include "cguard.h"

// The Go side keeps the books; C threads reach it through a cgo callback.
void cguard_free(void *p) {
	if (p != NULL) {
		cguardGoFree(p);
	}
}

void *cguard_malloc(size_t n) { return cguardGoMalloc(n); }

void *cguard_calloc(size_t n, size_t size) { return cguardGoCalloc(n, size); }
