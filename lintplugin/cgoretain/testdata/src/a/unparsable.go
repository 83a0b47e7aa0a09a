package a

/*
// GCC accepts nested functions; the C front end cgoguard reads C with
// does not: this C has no summary, so nothing is reported about it, and
// the analysis goes on without an error.
static void *g_nested;
static void keep_nested(void *p) {
	void inner(void) { g_nested = p; }
	inner();
}
*/
import "C"

import "unsafe"

func cNotParsed() {
	x := new(int)
	C.keep_nested(unsafe.Pointer(x))
}
