package a

/*
static void nb_use(void *p) {}
*/
import "C"

import "unsafe"

// A file without a runtime import: the fix adds one.
func (c *Conn) Flush() {
	C.nb_use(unsafe.Pointer(c.buf)) // want `cgofinalizer: .*Flush passes c.buf`
}

// A second fix in the same file adds the same import: tools merge them.
func (c *Conn) Flush2() {
	C.nb_use(unsafe.Pointer(c.buf)) // want `cgofinalizer: .*Flush2 passes c.buf`
}
