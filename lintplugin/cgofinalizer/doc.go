package cgofinalizer

// Bad and Good are the README's snippets: code the check flags, and the
// corrected version it is silent on.
const (
	Bad = `c := &Conn{buf: (*C.char)(C.malloc(n))}
runtime.SetFinalizer(c, func(c *Conn) { C.free(unsafe.Pointer(c.buf)) })
...
func (c *Conn) Write() {
	C.tm_write(c.buf) // c is dead here: the finalizer may free c.buf mid-call
}`

	Good = `func (c *Conn) Write() {
	C.tm_write(c.buf)
	runtime.KeepAlive(c) // c, and so c.buf, outlives the C call
}`
)
