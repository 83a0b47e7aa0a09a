package cgoheader

// Bad and Good are the README's snippets: code the check flags, and the
// corrected version it is silent on.
const (
	Bad = `var b []byte
hdr := (*reflect.SliceHeader)(unsafe.Pointer(&b))
hdr.Data = uintptr(unsafe.Pointer(C.tm_buffer())) // C memory behind a uintptr
hdr.Len = n
hdr.Cap = n`

	Good = `b := unsafe.Slice((*byte)(unsafe.Pointer(C.tm_buffer())), n)`
)
