// Package badtypes is cgo code with Go type errors.
package badtypes

/*
static void take(void *p) {}
*/
import "C"

import "unsafe"

func Pass(p unsafe.Pointer) { C.take(p) }

func f() {
	m := map[string]int{}
	C.take(unsafe.Pointer(&m)) //cgoguard:ignore cgomap a check may stay silent on ill-typed code: not stale
	var x int = "not an int"
	Pass(undefined)
	_ = x
}
