//go:build !cgoguard

#include <stdlib.h>
#include "cguard.h"

void cguard_free(void *p) { free(p); }
