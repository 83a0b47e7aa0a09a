package cgofree

// Bad and Good are the README's snippets: code the check flags, and the
// corrected version it is silent on.
const (
	Bad = `cs := C.CString(name)
if err := validate(name); err != nil {
	C.free(unsafe.Pointer(cs)) // freed on the error path ...
}
C.tm_set_name(cs) // ... then used: no return after the free`

	Good = `cs := C.CString(name)
defer C.free(unsafe.Pointer(cs)) // freed once, after the last use
if err := validate(name); err != nil {
	return err
}
C.tm_set_name(cs)`
)
