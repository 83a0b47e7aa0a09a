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
	return h.Value() // want `cgohandle: h deleted at line 14, used at line 15 \(Value called\)`
}

func leak(v any) any {
	h := guard.NewHandle(v) // want `cgohandle: handle from guard.NewHandle at line 19 is never deleted`
	return h.Value()
}

func fine(v any) {
	h := guard.NewHandle(v)
	defer h.Delete()
	C.take(C.uintptr_t(h))
}
