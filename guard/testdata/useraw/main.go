// Command useraw is testdata/useguard written with the raw calls that the
// guard stands for, the baseline of the release build's size.
package main

// #include <stdlib.h>
import "C"

import (
	"fmt"
	"runtime"
	"runtime/cgo"
	"unsafe"
)

func main() {
	var p runtime.Pinner
	x := new(int)
	p.Pin(x)
	p.Unpin()
	h := cgo.NewHandle(x)
	_ = h.Value()
	h.Delete()
	buf := C.malloc(16)
	C.free(buf)
	C.free(C.calloc(2, 8))
	C.free(unsafe.Pointer(C.CString("s")))
	C.free(C.CBytes([]byte{1}))
	fmt.Println(false, error(nil), unsafe.Sizeof(p))
}
