package cgoleak

// Bad and Good are the README's snippets: code the check flags, and the
// corrected version it is silent on.
const (
	Bad = `cs := C.CString(name)
if err := validate(name); err != nil {
	return err // cs is never freed on this path
}
C.tm_set_name(cs)
C.free(unsafe.Pointer(cs))`

	Good = `cs := C.CString(name)
defer C.free(unsafe.Pointer(cs)) // freed on every path
if err := validate(name); err != nil {
	return err
}
C.tm_set_name(cs)`
)
