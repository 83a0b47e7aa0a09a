//go:build cgoguard

#include "_cgo_export.h"
#include "cguard.h"

// The Go side keeps the books; C threads reach it through a cgo callback.
void cguard_free(void *p) {
	if (p != NULL) {
		cguardGoFree(p);
	}
}
