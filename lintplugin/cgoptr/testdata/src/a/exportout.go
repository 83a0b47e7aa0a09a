package a

// #include <stdlib.h>
import "C"

import "unsafe"

// An //export function's pointer parameters point to memory its C caller
// owns: a Go pointer stored through them is a Go pointer in C memory.

//export fillOut
func fillOut(out *unsafe.Pointer) {
	x := new(int)
	*out = unsafe.Pointer(x) // want `cgoptr: Go pointer new\(int\) .*stored in C memory, through the out-parameter out of exported fillOut`
}

//export fillOutC
func fillOutC(out *unsafe.Pointer) {
	*out = C.malloc(8)
}

//export fillOutInt
func fillOutInt(out *C.int) {
	*out = 42
}
