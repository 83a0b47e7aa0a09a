package a

/*
#include <stdlib.h>
typedef struct { int *a; int *b; } pair;
*/
import "C"

import (
	"runtime"
	"strconv"
	"unsafe"
)

// Exported functions must not return Go pointers (unless pinned), nor
// strings, slices, maps, channels or funcs, nor memory holding them.

//export goPointer
func goPointer() *C.int {
	return new(C.int) // want `cgoptr: exported goPointer returns the unpinned Go pointer new\(C.int\) to C: C must not keep Go pointers`
}

//export cPointer
func cPointer() *C.int {
	return (*C.int)(C.malloc(4))
}

//export nilPointer
func nilPointer() *C.int {
	return nil
}

var pinner runtime.Pinner

//export pinnedPointer
func pinnedPointer() *C.int {
	p := new(C.int)
	pinner.Pin(p)
	return p
}

//export goString
func goString(n int) string {
	return strconv.Itoa(n) + "!" // want `cgoptr: exported goString returns the Go string strconv.Itoa\(n\) \+ "!" to C: C must not keep Go memory; a string cannot be pinned; pass a copy made with C.CString`
}

//export cString
func cString(n int) *C.char {
	return C.CString(strconv.Itoa(n))
}

//export goSlice
func goSlice(n int) []byte {
	return make([]byte, n) // want `cgoptr: exported goSlice returns the Go slice make\(\[\]byte, n\) to C`
}

//export nilSlice
func nilSlice() []byte {
	return nil
}

//export goChan
func goChan() chan int {
	return make(chan int) // want `cgoptr: exported goChan returns the Go channel make\(chan int\) to C: C must not keep Go memory; a channel cannot be pinned; pass a cgo.Handle instead`
}

//export goMap
func goMap() map[int]int {
	return map[int]int{} // want `cgoptr: exported goMap returns the Go map`
}

//export goFunc
func goFunc(n int) func() int {
	return func() int { return n } // want `cgoptr: exported goFunc returns the Go func a func literal`
}

//export goStruct
func goStruct() C.pair {
	p := C.pair{a: (*C.int)(C.malloc(4)), b: new(C.int)}
	return p // want `cgoptr: exported goStruct returns the unpinned Go pointer new\(C.int\) inside its result \(at .b\) to C`
}

//export cStruct
func cStruct() C.pair {
	return C.pair{a: (*C.int)(C.malloc(4))}
}

//export goUnsafe
func goUnsafe() unsafe.Pointer {
	x := 0
	return unsafe.Pointer(&x) // want `cgoptr: exported goUnsafe returns the unpinned Go pointer &x to C`
}

//export pinnedHolder
func pinnedHolder() *C.pair {
	p := &C.pair{a: new(C.int)}
	pinner.Pin(p)
	return p // want `cgoptr: exported pinnedHolder returns the pinned pointer &C.pair\{.*\} to Go memory that holds the unpinned Go pointer new\(C.int\) \(at .a\)`
}

//export pinnedHolderPinnedToo
func pinnedHolderPinnedToo() *C.pair {
	x := new(C.int)
	pinner.Pin(x)
	p := &C.pair{a: x}
	pinner.Pin(p)
	return p
}
