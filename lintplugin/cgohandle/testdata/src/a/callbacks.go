package a

/*
#include <stdint.h>
extern void onEventH(uintptr_t h);
static uintptr_t registered;
static void register_cb(uintptr_t h) { registered = h; }
static void unregister_cb(void) { registered = 0; }
static void fire(void) { if (registered) onEventH(registered); }
*/
import "C"

import "runtime/cgo"

//export onEventH
func onEventH(h C.uintptr_t) {
	_ = cgo.Handle(h).Value()
}

// A handle deleted while C, which kept it, can still call back with it.

func deleteThenFire(v any) {
	h := cgo.NewHandle(v)
	C.register_cb(C.uintptr_t(h))
	h.Delete()
	C.fire() // want `cgohandle: C\.fire may call back into exported onEventH, which resolves handles, with the handle C\.register_cb kept, but the handle was deleted by Delete above`
}

func unregisterThenDelete(v any) {
	h := cgo.NewHandle(v)
	C.register_cb(C.uintptr_t(h))
	C.unregister_cb()
	h.Delete()
	C.fire()
}

func fireThenDelete(v any) {
	h := cgo.NewHandle(v)
	C.register_cb(C.uintptr_t(h))
	C.fire()
	h.Delete()
}
