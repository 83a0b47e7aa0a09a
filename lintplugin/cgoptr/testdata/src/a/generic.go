package a

/*
static void takeG(void *p) {}
*/
import "C"

import "unsafe"

type cell[T any] struct {
	v    T
	next *cell[T]
}

// The instantiation decides whether v is a pointer: silent.
func genericCell[T any](v T) {
	c := &cell[T]{v: v}
	C.takeG(unsafe.Pointer(c))
}

func genericNext[T any](v T) {
	c := &cell[T]{next: &cell[T]{}}
	C.takeG(unsafe.Pointer(c)) // want `cgoptr: c passed to C.takeG points to Go memory that holds the Go pointer &cell\[T\]\{\} \(at .next\)`
}

func useGeneric() {
	genericCell(1)
	genericCell(new(int))
	genericNext("x")
}
