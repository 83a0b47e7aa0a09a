package cgoptr

// Bad and Good are the README's snippets: code the check flags, and the
// corrected version it is silent on.
const (
	Bad = `buf := make([]byte, 4096)
var req C.struct_request
req.data = unsafe.Pointer(&buf[0]) // a Go pointer, stored in Go memory
C.submit(&req)                     // C follows req.data while the GC may move buf`

	Good = `var pinner runtime.Pinner
pinner.Pin(&buf[0]) // C may follow req.data until Unpin
defer pinner.Unpin()
C.submit(&req)`
)
