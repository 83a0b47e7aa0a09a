package a

import (
	"reflect"
	"unsafe"
)

// A file without cgo: its fix edits the pass's own syntax tree.
func view(p unsafe.Pointer, n int) []byte {
	var h reflect.SliceHeader
	h.Data = uintptr(p)
	h.Len = n
	h.Cap = n
	return *(*[]byte)(unsafe.Pointer(&h)) // want `cgoheader: reflect.SliceHeader value h is converted to a \[\]byte.*unsafe.Slice\(\(\*byte\)\(p\), n\)`
}

// The header of a real slice over a parameter: silent by default.
func realView(p unsafe.Pointer, n int) []byte {
	var b []byte
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(p)
	h.Len = n
	h.Cap = n
	return b
}
