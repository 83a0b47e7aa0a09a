// Package badcgo fails cgo preprocessing: C.nosuch is not declared.
package badcgo

/*
static void take(void *p) {}
*/
import "C"

import "unsafe"

func f() {
	m := map[string]int{}
	C.take(unsafe.Pointer(&m))
	C.nosuch(unsafe.Pointer(&m))
}
