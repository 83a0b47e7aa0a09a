package a

/*
#include <stdint.h>
static void watch(uintptr_t h) {}
static uintptr_t last_seen;
static void peek_handle(uintptr_t h) { (void)h; }
static void keep_handle(uintptr_t h) { last_seen = h; }
*/
import "C"

import "runtime/cgo"

// Deletes done by methods and helpers count at the call.

type hconn struct {
	h cgo.Handle
}

func newHconn(v any) *hconn { return &hconn{h: cgo.NewHandle(v)} }

func (c *hconn) Close() { c.h.Delete() }

func (c *hconn) Watch() { C.watch(C.uintptr_t(c.h)) }

func (c *hconn) Get() any { return c.h.Value() }

func closeThenGet(v any) any {
	c := newHconn(v)
	c.Close()
	return c.Get() // want `cgohandle: c\.h used by c\.Get \(Value\) after it was deleted by c\.Close \(Delete\)`
}

func closeThenWatch(v any) {
	c := newHconn(v)
	c.Close()
	c.Watch() // want `cgohandle: c\.h used by c\.Watch \(C\.watch\) after it was deleted by c\.Close \(Delete\)`
}

func closeTwice(c *hconn) {
	c.Close()
	c.Close() // want `cgohandle: c\.h deleted by c\.Close \(Delete\) after it was already deleted by c\.Close \(Delete\)`
}

func deferredCloseAndClose(c *hconn) {
	defer c.Close()
	c.Close() // want `cgohandle: c\.h deleted by c\.Close \(Delete\), then deleted by the deferred c\.Close \(Delete\) when the function returns`
}

func getThenClose(v any) any {
	c := newHconn(v)
	defer c.Close()
	return c.Get()
}

// A Close that zeroes the handle after deleting it.
type safeConn struct{ h cgo.Handle }

func (c *safeConn) Close() {
	if c.h != 0 {
		c.h.Delete()
		c.h = 0
	}
}

func safeCloseTwice(c *safeConn) {
	c.Close()
	c.Close()
}

func release(h cgo.Handle) { h.Delete() }

func helperThenValue(v any) any {
	h := cgo.NewHandle(v)
	release(h)
	return h.Value() // want `cgohandle: h used by Value after it was deleted by release \(Delete\)`
}

func valueThenHelper(v any) any {
	h := cgo.NewHandle(v)
	x := h.Value()
	release(h)
	return x
}

// Handles passed only to C functions that use them during the call (by
// the C bodies the analysis reads) and never deleted leak.
func peekOnly(v any) {
	h := cgo.NewHandle(v) // want `cgohandle: handle from cgo\.NewHandle is never deleted`
	C.peek_handle(C.uintptr_t(h))
}

func keptByC(v any) {
	h := cgo.NewHandle(v)
	C.keep_handle(C.uintptr_t(h))
}
