package guarded

/*
#include <stdint.h>
static void take(uintptr_t h) {}
*/
import "C"

import "github.com/cgoguard/cgoguard/guard"

func useAfterDelete(v any) any {
	h := guard.NewHandle(v)
	C.take(C.uintptr_t(h))
	h.Delete()
	return h.Value() // want `cgohandle: h used by Value after it was deleted by Delete`
}

func leak(v any) any {
	h := guard.NewHandle(v) // want `cgohandle: handle from guard\.NewHandle is never deleted and never leaves the function`
	return h.Value()
}

func fine(v any) {
	h := guard.NewHandle(v)
	defer h.Delete()
	C.take(C.uintptr_t(h))
}
