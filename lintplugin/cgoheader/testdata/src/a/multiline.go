package a

/*
#include <stdlib.h>
static int *table(void) { return calloc(8, sizeof(int)); }
*/
import "C"

import (
	"reflect"
	"unsafe"
)

// A literal over several lines, converted in the next statement.
func Table(length int) []C.int {
	hdr := reflect.SliceHeader{
		Data: uintptr(unsafe.Pointer(C.table())), // want `cgoheader: reflect.SliceHeader.Data set at line 17 to C memory \(the result of C.table at line 17\)`
		Len:  length,
		Cap:  length,
	}
	table := *(*[]C.int)(unsafe.Pointer(&hdr))
	return table
}
