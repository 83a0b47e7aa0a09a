package a

/*
#include <stdlib.h>
struct slots { char *a[4]; };
static char **newSlot(void) { return malloc(sizeof(char*)); }
static struct slots *newSlots(void) { return calloc(1, sizeof(struct slots)); }
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Stores into C memory: no unpinned Go pointer may be stored in memory C
// allocated.

func storeGoPointer() {
	p := C.newSlot()
	*p = new(C.char) // want `cgoptr: Go pointer new\(C.char\) stored in C memory: the garbage collector does not see pointers in C memory and may move or free what it points to; pin new\(C.char\) with a runtime.Pinner first`
}

func storeThroughMalloc() {
	p := (**C.char)(C.malloc(8))
	q := p
	x := new(C.char)
	*q = x // want `cgoptr: Go pointer new\(C.char\) stored in C memory`
}

func storeCPointer() {
	p := C.newSlot()
	*p = (*C.char)(C.malloc(1))
	*p = nil
}

func storePinned() {
	var pinner runtime.Pinner
	p := C.newSlot()
	x := new(C.char)
	pinner.Pin(x)
	*p = x
	C.free(unsafe.Pointer(p))
	pinner.Unpin()
}

func storeAfterUnpin() {
	var pinner runtime.Pinner
	p := C.newSlot()
	x := new(C.char)
	pinner.Pin(x)
	pinner.Unpin()
	*p = x // want `cgoptr: Go pointer new\(C.char\) stored in C memory`
}

func storeArray() {
	s := C.newSlots()
	s.a = [4]*C.char{new(C.char)} // want `cgoptr: value stored in C memory holds the Go pointer new\(C.char\) \(at \[0\]\)`
}

func storeArrayOfCPointers() {
	s := C.newSlots()
	s.a = [4]*C.char{C.CString("x")}
}

func storeArrayCopied() {
	s := C.newSlots()
	local := &[4]*C.char{}
	local[2] = new(C.char)
	s.a = *local // want `cgoptr: value stored in C memory holds the Go pointer new\(C.char\) \(at \[2\]\)`
	local[2] = nil
	s.a = *local
}

func copyInto() {
	s := C.newSlots()
	copy(s.a[:], []*C.char{nil, new(C.char)}) // want `cgoptr: copy into C memory copies the Go pointer new\(C.char\) \(at \[1\] of \[\]\*C.char\{.*\}`
}

func copyNils() {
	s := C.newSlots()
	copy(s.a[:], []*C.char{nil, nil})
}

type record struct {
	p *int
	n int
	u uintptr
}

func storeUintptr() {
	i := 0
	r := &record{u: uintptr(unsafe.Pointer(&i))}
	q := (*record)(C.malloc(C.size_t(unsafe.Sizeof(*r))))
	*q = *r // u is an integer
}

func storeStruct() {
	i := 0
	r := record{p: &i}
	q := (*record)(C.malloc(C.size_t(unsafe.Sizeof(r))))
	*q = r // want `cgoptr: value stored in C memory holds the Go pointer &i \(at .p\)`
}

func storeString(s string) {
	q := (*string)(C.malloc(16))
	*q = s + "!" // want `cgoptr: Go pointer s \+ "!" stored in C memory: .*a string cannot be pinned; pass a copy made with C.CString`
}
