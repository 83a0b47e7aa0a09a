package modernize

/*
static char *name(void) { return "n"; }
*/
import "C"

import (
	"reflect"
	"unsafe"
)

// The file's only use of reflect: the fix drops the import.
func OnlyName() string {
	var s string
	h := (*reflect.StringHeader)(unsafe.Pointer(&s))
	h.Data = uintptr(unsafe.Pointer(C.name())) // want `cgoheader: reflect.StringHeader of s set to C memory \(the result of C.name\)`
	h.Len = 1
	return s
}
