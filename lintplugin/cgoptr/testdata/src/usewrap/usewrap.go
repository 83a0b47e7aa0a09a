// Package usewrap has no cgo of its own: its pointers reach C through wrap.
package usewrap

import (
	"unsafe"

	"wrap"
)

type node struct {
	next *node
	val  int
}

func bad() {
	n := &node{next: &node{}}
	wrap.Pass(unsafe.Pointer(n)) // want `cgoptr: n passed to C.take via parameter p of Pass\(\) points to Go memory that holds the Go pointer &node\{.*\} \(at .next\)`
}

func asBytes() {
	n := &node{next: &node{}}
	wrap.PassBytes(unsafe.Pointer(n)) // C.takeChar's char* is not pointer-checked: C reads bytes
}

func onlyValue() {
	n := &node{val: 1}
	wrap.Pass(unsafe.Pointer(&n.val))
}

func slot() {
	x := new(int32)
	var p unsafe.Pointer
	p = unsafe.Pointer(x)
	wrap.PassSlot(&p) // want `cgoptr: &p passed to C.takePP via parameter p of PassSlot\(\) points to Go memory that holds the Go pointer new\(int32\)`
}
