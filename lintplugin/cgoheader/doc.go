package cgoheader

// Bad and Good are the README's snippets: code the check flags, and the
// corrected version it is silent on.
const (
	Bad = `hdr := reflect.SliceHeader{Data: uintptr(unsafe.Pointer(p)), Len: n, Cap: n}
b := *(*[]byte)(unsafe.Pointer(&hdr)) // a header value is not a slice

line := (*[1 << 30]byte)(unsafe.Pointer(p))[:n] // capacity 1 << 30, not n
line = append(line, '\n')                       // writes past the C buffer`

	Good = `b := unsafe.Slice((*byte)(unsafe.Pointer(p)), n)

line := (*[1 << 30]byte)(unsafe.Pointer(p))[:n:n] // append copies to Go memory
line = append(line, '\n')`
)
