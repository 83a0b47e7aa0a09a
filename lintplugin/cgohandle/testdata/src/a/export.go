package a

/*
#include <stdint.h>
void take3(uintptr_t h);
*/
import "C"

import "runtime/cgo"

// C calls back with the handle it was given; the callback deletes it and
// then reads it.
//
//export goCallbackUnsafe
func goCallbackUnsafe(x C.uintptr_t) {
	h := cgo.Handle(x)
	h.Delete()
	fn := h.Value().(func()) // want `cgohandle: h used by Value after it was deleted by Delete`
	fn()
}

//export goCallback
func goCallback(x C.uintptr_t) {
	h := cgo.Handle(x)
	fn := h.Value().(func())
	h.Delete()
	fn()
}

func aliasDouble(v any) {
	h := cgo.NewHandle(v)
	C.take3(C.uintptr_t(h))
	h2 := h
	h.Delete()
	h2.Delete() // want `cgohandle: h2 \(an alias of h\) deleted by Delete after it was already deleted by Delete`
}

func deleteAll(hs []cgo.Handle) {
	for _, h := range hs {
		h.Delete()
	}
}

type conn struct{ h cgo.Handle }

func (c *conn) closeUnsafe() any {
	c.h.Delete()
	return c.h.Value() // want `cgohandle: c\.h used by Value after it was deleted by Delete`
}

func (c *conn) reopen(v any) any {
	c.h.Delete()
	c.h = cgo.NewHandle(v)
	return c.h.Value()
}
