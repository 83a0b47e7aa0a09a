package a

/*
#include <stdlib.h>
static char *name(void) { return "n"; }
*/
import "C"

import (
	"reflect"
	"unsafe"
)

// The file's only use of reflect: the fix drops the import.
func Name() string {
	var s string
	h := (*reflect.StringHeader)(unsafe.Pointer(&s))
	h.Data = uintptr(unsafe.Pointer(C.name())) // want `cgoheader: reflect.StringHeader.Data set at line 18 to C memory \(the result of C.name at line 18\)`
	h.Len = 1
	return s
}
