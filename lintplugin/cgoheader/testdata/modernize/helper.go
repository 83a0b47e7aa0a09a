package modernize

import (
	"reflect"
	"unsafe"
)

// view is a helper in a file without cgo: it lays a real slice's header
// over whatever its callers pass, and a caller passes C memory.
func view(p unsafe.Pointer, n int) []byte {
	var b []byte
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(p) // want `cgoheader: reflect.SliceHeader of b set to parameter p, which UseView passes C memory \(the result of C.buffer2\): correct, .*use unsafe.Slice\(\(\*byte\)\(p\), n\)`
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
