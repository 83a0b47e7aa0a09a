// Package usewrap has no cgo: it forwards to wrap, and gets facts of its own.
package usewrap

import (
	"unsafe"

	"wrap"
)

func Forward(p unsafe.Pointer) { wrap.Pass(p) } // want Forward:`reachesC\(p:value->C.take\)` Forward:`summary borrows\[0\]`

func ForwardAny(v any) { wrap.Pass(v.(unsafe.Pointer)) } // want ForwardAny:`reachesC\(v:value->C.take\)`

type T struct{}

func (T) Method(a int, p uintptr) { wrap.PassInt(p) } // want Method:`reachesC\(p:value->C.takeInt\)`

// Reads only: no reachesC fact, a use.
func Peek(p unsafe.Pointer) int { return wrap.Len(p) } // want Peek:`summary borrows\[0\] uses\(0\)`

// Passes its own local, not its parameter: no fact.
func Local(p unsafe.Pointer) { // want Local:`summary borrows\[0\]`
	var x int
	_ = p
	wrap.Pass(unsafe.Pointer(&x))
}
