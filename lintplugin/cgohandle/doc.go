package cgohandle

// Bad and Good are the README's snippets: code the check flags, and the
// corrected version it is silent on.
const (
	Bad = `h := cgo.NewHandle(sink)
if C.tm_register(C.uintptr_t(h)) != 0 {
	h.Delete() // C refused it ...
}
C.tm_flush(C.uintptr_t(h)) // ... and gets it anyway: no return after Delete`

	Good = `h := cgo.NewHandle(sink)
if C.tm_register(C.uintptr_t(h)) != 0 {
	h.Delete()
	return errRefused
}
C.tm_flush(C.uintptr_t(h))`
)
