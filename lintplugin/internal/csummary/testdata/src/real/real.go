// Package real is a cgo package with a preamble and a separate .c file,
// compiled by cgo in TestRealCgoPackage.
package real

/*
#cgo CFLAGS: -DREAL_KEEP=1 -pthread
#cgo LDFLAGS: -pthread
#include <stdlib.h>
#include "real.h"

static void *last;

static void remember(void *p) {
#if REAL_KEEP
	last = p;
#endif
}

static void forget(void) { last = NULL; }
*/
import "C"

import "unsafe"

func Use(b []byte) {
	p := unsafe.Pointer(&b[0])
	C.remember(p)
	C.forget()
	C.register_cb(p)
	C.start_worker(p)
	C.checksum(p, C.int(len(b)))
	s := C.make_name(C.int(3))
	C.free(unsafe.Pointer(s))
}

//export goNotify
func goNotify(p unsafe.Pointer) {}
