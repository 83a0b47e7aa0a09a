//go:build !cgoguard

#include <stdlib.h>
#include "cguard.h"

void cguard_free(void *p) { free(p); }

void *cguard_malloc(size_t n) { return malloc(n); }

void *cguard_calloc(size_t n, size_t size) { return calloc(n, size); }
