package a

import (
	"reflect"
	"unsafe"
)

// view is a helper in a file without cgo: it lays a header over whatever
// its callers pass, and a caller passes C memory.
func view(p unsafe.Pointer, n int) []byte {
	var b []byte
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(p) // want `cgoheader: reflect.SliceHeader.Data set at line 13 to parameter p, and UseView passes it C memory at use.go:11 \(the result of C.buffer2 at line 11\).*use unsafe.Slice\(\(\*byte\)\(p\), n\)`
	h.Len = n
	h.Cap = n
	return b
}

// goView is only ever called with Go memory.
func goView(p unsafe.Pointer, n int) []byte {
	var b []byte
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(p)
	h.Len = n
	h.Cap = n
	return b
}
