package cgomap

// Bad and Good are the README's snippets: code the check flags, and the
// corrected version it is silent on.
const (
	Bad = `labels := map[string]string{"host": "a"}
C.tm_send(unsafe.Pointer(&labels)) // C keeps a pointer into runtime-owned memory`

	Good = `h := cgo.NewHandle(labels) // C gets an integer; Go keeps the map
C.tm_send_handle(C.uintptr_t(h))
h.Delete()`
)
