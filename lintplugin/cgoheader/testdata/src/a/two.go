package a

/*
#include <stdlib.h>
static char *two(void) { return malloc(4); }
*/
import "C"

import (
	"reflect"
	"unsafe"
)

// Two fixes that together remove the file's uses of reflect: each carries
// the import's removal, and tools applying both merge the two.

func TwoBytes() (b []byte) {
	h := (*reflect.SliceHeader)(unsafe.Pointer(&b))
	h.Data = uintptr(unsafe.Pointer(C.two())) // want `cgoheader: reflect.SliceHeader.Data set at line 19`
	h.Len = 4
	h.Cap = 4
	return
}

func TwoString() (s string) {
	h := (*reflect.StringHeader)(unsafe.Pointer(&s))
	h.Data = uintptr(unsafe.Pointer(C.two())) // want `cgoheader: reflect.StringHeader.Data set at line 27`
	h.Len = 4
	return
}
