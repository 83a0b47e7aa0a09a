package a

/*
struct request { void *data; int len; };
static void submit(struct request *r) {}
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// The README's snippets (doc.go's Bad and Good).

func readmeBad() {
	buf := make([]byte, 4096)
	var req C.struct_request
	req.data = unsafe.Pointer(&buf[0]) // a Go pointer, stored in Go memory
	C.submit(&req)                     // want `cgoptr: &req passed to C.submit points to Go memory that holds the Go pointer &buf\[0\] \(at .data\)`
}

func readmeGood() {
	buf := make([]byte, 4096)
	var req C.struct_request
	req.data = unsafe.Pointer(&buf[0])
	var pinner runtime.Pinner
	pinner.Pin(&buf[0]) // C may follow req.data until Unpin
	defer pinner.Unpin()
	C.submit(&req)
}
