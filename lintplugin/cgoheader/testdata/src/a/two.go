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

func TwoBytes() []byte {
	h := reflect.SliceHeader{Data: uintptr(unsafe.Pointer(C.two())), Len: 4, Cap: 4}
	return *(*[]byte)(unsafe.Pointer(&h)) // want `cgoheader: reflect.SliceHeader value h is converted`
}

func TwoString() string {
	h := reflect.StringHeader{Data: uintptr(unsafe.Pointer(C.two())), Len: 4}
	return *(*string)(unsafe.Pointer(&h)) // want `cgoheader: reflect.StringHeader value h is converted`
}
